"""Load a built dataset folder with ``load_dataset``, safely after a rebuild.

datasets 5 keys its cache of a local folder by the folder's name and config only (two
different folders both named ``ds0`` share one cache entry; a folder rebuilt in place is read
back from the stale cache). Keying ``cache_dir`` by the shards' names, sizes and modification
times makes every distinct build its own cache entry.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Union


def shards_signature(path: Union[str, os.PathLike]) -> str:
    files = sorted(Path(path).glob("data/*.parquet"))
    if not files:
        raise FileNotFoundError(f"{path}: no Parquet shards under data/ (not a built dataset)")
    h = hashlib.sha1()
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def load_built(path: Union[str, os.PathLike], **kwargs: Any):
    """``datasets.load_dataset(path)`` with a cache entry of its own for this exact set of shards."""
    import datasets

    root = Path(kwargs.pop("cache_dir", None) or datasets.config.HF_DATASETS_CACHE) / "headshot_builds"
    return datasets.load_dataset(str(path), cache_dir=str(root / shards_signature(path)), **kwargs)
