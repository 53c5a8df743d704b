"""Shared fixtures: real images (the packaged astronaut and variants derived from it, the shared portraits)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PORTRAITS = SHARED / "data" / "portraits"
REALEVAL = SHARED / "data" / "realeval_public"


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from headshot.samples import astronaut as load

    return load()


@pytest.fixture(scope="session")
def analyzer():
    from headshot.analysis import default_analyzer

    return default_analyzer()


@pytest.fixture(scope="session")
def portraits_dir() -> Path:
    if not PORTRAITS.is_dir():
        pytest.skip("../shared/data/portraits is not beside the checkout")
    return PORTRAITS


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory) -> Path:
    """16/8/8 astronaut variants in the built-dataset format (parquet shards, load_dataset(folder))."""
    from dataset_fixture import build_fixture

    return build_fixture(tmp_path_factory.mktemp("headshot_ds"))
