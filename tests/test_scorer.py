"""HeadshotScorer in-process: reports, advice, errors in batches, several faces."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from headshot import samples
from headshot.attributes import ATTRIBUTE_NAMES
from headshot.errors import FaceNotFoundError, ImageLoadError
from headshot.report import CSV_COLUMNS
from headshot.scorer import DEFAULT_MODEL_DIR, HeadshotScorer

from tests.helpers import bomb_png


@pytest.fixture(scope="module")
def scorer(analyzer) -> HeadshotScorer:
    return HeadshotScorer(model="measures", analyzer=analyzer)


@pytest.fixture(scope="module")
def report(scorer, astronaut):
    return scorer.score(astronaut, file="astronaut.png")


def test_report_has_six_attributes_with_advice_on_failures(report):
    assert list(report.attributes) == list(ATTRIBUTE_NAMES)
    assert report.predictor == "measures" and report.face_count == 1 and report.error is None
    for name, a in report.attributes.items():
        assert 0.0 <= a.probability <= 1.0 and a.threshold == 0.5
        assert a.passed == (a.probability >= a.threshold)
        assert (a.advice is None) == a.passed, name
        assert a.explanation and a.measurements
    assert report.failed == [n for n, a in report.attributes.items() if not a.passed]
    assert report.passed == (not report.failed)
    x0, y0, x1, y1 = report.face_box
    assert 0 <= x0 < x1 <= 512 and 0 <= y0 < y1 <= 512


def test_json_and_csv_forms(report):
    d = report.to_dict(details=False)
    assert set(d) == {"file", "attributes", "warnings", "error"}
    assert set(d["attributes"]["lighting"]) == {"probability", "passed", "advice"}
    full = report.to_dict()
    assert full["face_count"] == 1 and full["predictor"] == "measures"
    row = report.csv_row()
    assert list(row) == CSV_COLUMNS
    assert row["file"] == "astronaut.png" and row["error"] == ""
    for n in ATTRIBUTE_NAMES:
        assert float(row[n]) == pytest.approx(report.attributes[n].probability, abs=1e-4)
        assert row[f"{n}_passed"] == int(report.attributes[n].passed)


def test_blurred_photo_fails_sharpness_with_advice(scorer, astronaut, report):
    r = scorer.score(samples.blurred(astronaut))
    s = r.attributes["sharpness"]
    assert report.attributes["sharpness"].passed and not s.passed
    assert s.advice and "sharpness" in r.failed
    assert s.probability < report.attributes["sharpness"].probability


def test_two_faces_fail_framing_and_background(scorer, astronaut):
    r = scorer.score(samples.two_faces(astronaut))
    assert r.face_count == 2
    assert any("2 faces" in w for w in r.warnings)
    assert not r.attributes["framing"].passed and not r.attributes["background"].passed
    assert r.to_dict()["face_count"] == 2


def test_face_too_small_fails_sharpness_whatever_the_predictor_says(analyzer, astronaut):
    """Contract: a face under about 100 px cannot show fine detail. The shipped model alone may call
    a small but clean face sharp; the scorer fails it, as the synthetic labels do."""
    from headshot.predictors import MIN_SHARP_FACE_PX, forced_failures

    assert forced_failures(1, 80.0) == ("sharpness",)
    assert forced_failures(1, 150.0) == ()
    assert set(forced_failures(2, 80.0)) == {"framing", "background", "sharpness"}
    small = samples.downscaled(astronaut, 0.3)  # the astronaut's face drops to about 60 px
    shipped = HeadshotScorer(model="auto", analyzer=analyzer)
    r = shipped.score(small)
    a = analyzer.analyze(small)
    assert a.face_height_px / a.scale < MIN_SHARP_FACE_PX
    s = r.attributes["sharpness"]
    assert not s.passed and s.probability < s.threshold and s.advice
    assert "px tall" in s.explanation
    assert shipped.score(astronaut).attributes["sharpness"].passed  # the full-size photo still passes


def test_face_box_is_in_original_pixels(scorer, astronaut, report):
    big = np.asarray(Image.fromarray(astronaut).resize((1536, 1536), Image.Resampling.BICUBIC))
    r = scorer.score(big)
    np.testing.assert_allclose(np.array(r.face_box), 3 * np.array(report.face_box), rtol=0.06, atol=6)


def test_errors_raise_in_score_and_go_into_the_report_in_score_file(scorer, tmp_path):
    from skimage import data

    with pytest.raises(FaceNotFoundError):
        scorer.score(data.coffee())
    with pytest.raises(ImageLoadError):
        scorer.score(bomb_png())
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    r = scorer.score_file(bad)
    assert r.error and "not an image" in r.error and not r.attributes and not r.passed
    assert r.csv_row()["error"] == r.error and r.csv_row()["lighting"] == ""
    r = scorer.score_file(tmp_path / "missing.jpg")
    assert "not found" in r.error


def test_auto_without_an_installed_model_uses_measures(analyzer, monkeypatch, tmp_path):
    import headshot.scorer as scorer_mod

    monkeypatch.setattr(scorer_mod, "DEFAULT_MODEL_DIR", tmp_path / "no_model")
    monkeypatch.delenv("HEADSHOT_MODEL", raising=False)
    s = HeadshotScorer(model="auto", analyzer=analyzer)
    assert s.predictor_name == "measures"
    r = s.score(samples.astronaut())
    assert any("no trained model" in w for w in r.warnings)


def test_auto_uses_the_shipped_model(analyzer, monkeypatch):
    """The repo ships a trained model; 'auto' must pick it and still explain with the measures."""
    assert (DEFAULT_MODEL_DIR / "headshot_config.json").exists(), "headshot/default_model is missing"
    monkeypatch.delenv("HEADSHOT_MODEL", raising=False)
    s = HeadshotScorer(model="auto", analyzer=analyzer)
    assert s.predictor_name.startswith("model:")
    r = s.score(samples.blurred(samples.astronaut(), 6.0))
    assert r.predictor == s.predictor_name
    assert not r.attributes["sharpness"].passed and r.attributes["sharpness"].advice
    assert r.attributes["sharpness"].measurements["face_pixels"] > 0
