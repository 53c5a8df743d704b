"""The counterfactual preview on the real generator (dataset_builder.counterfactual).

Each attribute is flipped on its own and re-scored; the improved version is re-scored and
written for download.
"""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("dataset_builder.counterfactual")

from headshot.app.counterfactual import backend_note, comparison_html, make_preview  # noqa: E402
from headshot.attributes import ATTRIBUTE_NAMES  # noqa: E402


@pytest.fixture(scope="module")
def scorer():
    from headshot.scorer import HeadshotScorer

    return HeadshotScorer("measures")


@pytest.fixture(scope="module")
def preview(scorer, astronaut, tmp_path_factory):
    return make_preview(scorer, astronaut, seed=0, out_dir=str(tmp_path_factory.mktemp("improved")))


def test_every_attribute_flipped_and_rescored(preview, astronaut):
    assert preview.original is not None and preview.message is None
    assert [v.attribute for v in preview.flips] == list(ATTRIBUTE_NAMES)
    for v in preview.flips:
        assert v.image is not None and v.image.dtype == np.uint8 and v.image.ndim == 3, v.attribute
        assert v.before == pytest.approx(preview.original.attributes[v.attribute].probability)
        assert f"{v.before:.2f} -> " in v.caption()


def test_flips_move_the_flipped_attribute(preview):
    """g pushes the attribute to the opposite of what the measures say; the measures must see it."""
    moved = []
    for v in preview.flips:
        if v.after is None:
            continue
        was_pass = preview.original.attributes[v.attribute].passed
        moved.append((v.after < v.before) if was_pass else (v.after > v.before))
    assert sum(moved) >= 4, [(v.attribute, v.before, v.after) for v in preview.flips]
    sharp = next(v for v in preview.flips if v.attribute == "sharpness")
    assert preview.original.attributes["sharpness"].passed and not sharp.report.attributes["sharpness"].passed


def test_improved_version_offered_for_download(preview):
    assert preview.improved is not None and preview.improved_report is not None
    saved = np.asarray(Image.open(preview.improved_path))
    assert np.array_equal(saved, preview.improved)
    html = comparison_html(preview)
    assert "improved" in html and html.count("class='hs-cf'") >= 6 * 7
    assert "procedural" in backend_note()
