"""Interpretable measures: each derived degradation of a real portrait moves its own measure the right way.

Compared are the raw measure and the attribute score of the original and of the derived
image; the only absolute numbers used are the label contract's thresholds (ATTRIBUTES.md).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pytest

from headshot import samples
from headshot.analysis import NOSE_TIP
from headshot.attributes import ATTRIBUTE_NAMES
from headshot.measures import MEASURES, MeasureResult, Term, load_terms, measure_all


def _blue_gradient(shape: tuple[int, int]) -> np.ndarray:
    """A saturated studio-blue backdrop, lighter at the top: smooth, so clean by the contract."""
    t = np.linspace(0, 1, shape[0], dtype=np.float32)[:, None, None]
    top, bottom = np.array([80, 125, 225], np.float32), np.array([35, 70, 170], np.float32)
    return np.broadcast_to(top * (1 - t) + bottom * t, (*shape, 3)).astype(np.uint8).copy()


def _corner_flag(bg: np.ndarray) -> np.ndarray:
    """One small striped flag in the top-left corner of an otherwise plain backdrop."""
    h, w = bg.shape[:2]
    fh, fw = h // 6, w // 5
    for k in range(7):
        bg[k * fh // 7:(k + 1) * fh // 7, :fw] = (190, 30, 40) if k % 2 == 0 else (245, 245, 245)
    bg[: fh // 2, : fw // 2] = (30, 40, 120)
    return bg


@pytest.fixture(scope="module")
def measured(analyzer, astronaut):
    """name -> (analysis, measures) for the astronaut and images derived from it, computed once each."""
    base = analyzer.analyze(astronaut)
    nose_x = float(base.landmarks[NOSE_TIP, 0])
    mask = base.person_mask
    # darken the side that is brighter in the original, so the derived ratio is clearly lower
    left_brighter = astronaut[:, :int(nose_x)].mean() > astronaut[:, int(nose_x):].mean()
    makers = {
        "original": lambda: astronaut,
        "blurred": lambda: samples.blurred(astronaut, 4.0),
        "noisy": lambda: samples.noisy(astronaut, 25.0),
        "jpeg": lambda: samples.jpeg_blocked(astronaut, 5),
        # the same blocks when the face box does not start on the 8 px grid
        "jpeg_offset": lambda: samples.jpeg_blocked(np.ascontiguousarray(astronaut[3:, 5:]), 5),
        "downscaled": lambda: samples.downscaled(astronaut, 0.25),
        "side_lit": lambda: samples.side_lit(astronaut, 0.85, center_x=nose_x,
                                             dark_side="left" if left_brighter else "right"),
        "dark": lambda: samples.darkened(astronaut, 0.3),
        "shifted": lambda: samples.shifted(astronaut, 0.3),
        "padded": lambda: samples.padded(astronaut, 3.0),
        "cluttered": lambda: samples.on_background(astronaut, mask, samples.cluttered(astronaut.shape[:2])),
        "plain": lambda: samples.on_background(astronaut, mask, samples.plain(astronaut.shape[:2])),
        "studio_blue": lambda: samples.on_background(astronaut, mask, _blue_gradient(astronaut.shape[:2])),
        "corner_flag": lambda: samples.on_background(astronaut, mask, _corner_flag(samples.plain(astronaut.shape[:2]))),
        "two_faces": lambda: samples.two_faces(astronaut),
    }

    @lru_cache(maxsize=None)
    def get(name: str):
        a = base if name == "original" else analyzer.analyze(makers[name]())
        return a, measure_all(a)

    return get


def raw(measured, name: str, attr: str, key: str) -> float:
    return measured(name)[1][attr].raw[key]


def score(measured, name: str, attr: str) -> float:
    return measured(name)[1][attr].score


def test_measure_all_covers_the_contract(measured):
    a, ms = measured("original")
    assert list(ms) == list(ATTRIBUTE_NAMES) and set(MEASURES) == set(ATTRIBUTE_NAMES)
    terms = load_terms()
    for name, m in ms.items():
        assert isinstance(m, MeasureResult) and m.attribute == name and m.assessable
        assert 0.0 <= m.score <= 1.0
        # every configured term is computed on a normal portrait (catches renamed raw values)
        assert set(terms[name]) <= set(m.raw), name
        assert all(math.isfinite(t) for t in m.terms.values())
        assert m.score == pytest.approx(min(m.terms.values()))
        assert m.terms[m.weakest] == m.score


def test_term_logistic_is_centred_and_directed():
    up, down = Term(10.0, 2.0, True), Term(10.0, 2.0, False)
    assert up.score(10.0) == pytest.approx(0.5) and down.score(10.0) == pytest.approx(0.5)
    assert up.score(14.0) > 0.85 and down.score(14.0) < 0.15
    assert math.isnan(up.score(float("nan")))


def test_blur_lowers_sharpness(measured):
    for key in ("log_laplacian_var", "hf_energy_ratio"):
        assert raw(measured, "blurred", "sharpness", key) < 0.5 * raw(measured, "original", "sharpness", key)
    assert score(measured, "original", "sharpness") >= 0.5 > score(measured, "blurred", "sharpness")


def test_noise_raises_noise_estimate(measured):
    assert raw(measured, "noisy", "sharpness", "noise_sigma") > 3 * raw(measured, "original", "sharpness", "noise_sigma")
    assert score(measured, "noisy", "sharpness") < 0.5
    # noise is a sharpness problem, not background clutter
    assert abs(score(measured, "noisy", "background") - score(measured, "original", "background")) < 0.3


@pytest.mark.parametrize("name", ["jpeg", "jpeg_offset"])
def test_jpeg_blocks_raise_blockiness(measured, name):
    assert raw(measured, name, "sharpness", "blockiness") > raw(measured, "original", "sharpness", "blockiness") + 0.5
    assert score(measured, name, "sharpness") < 0.5


def test_downscaled_face_is_too_small_for_detail(measured):
    assert raw(measured, "original", "sharpness", "face_pixels") >= 100  # contract: at least about 100 px
    assert raw(measured, "downscaled", "sharpness", "face_pixels") < 100
    assert score(measured, "downscaled", "sharpness") < 0.5


def test_side_light_lowers_half_ratio(measured):
    ratio_o = raw(measured, "original", "lighting", "half_luminance_ratio")
    ratio_s = raw(measured, "side_lit", "lighting", "half_luminance_ratio")
    assert ratio_o > 0.35 > ratio_s  # contract: shadow cheek below ~35% of the lit one is 0
    assert score(measured, "original", "lighting") >= 0.5 > score(measured, "side_lit", "lighting")
    assert measured("side_lit")[1]["lighting"].weakest == "half_luminance_ratio"


def test_underexposure_lowers_face_luminance(measured):
    assert raw(measured, "dark", "lighting", "face_luma_mean") < 0.5 * raw(measured, "original", "lighting", "face_luma_mean")
    assert score(measured, "dark", "lighting") < 0.5
    # both halves darken alike: the ratio is not what fails, and the detail is still there
    assert raw(measured, "dark", "lighting", "half_luminance_ratio") > 0.35
    assert score(measured, "dark", "sharpness") >= 0.5


def test_off_centre_face_fails_framing(measured):
    assert raw(measured, "original", "framing", "center_offset") < 0.12 < raw(measured, "shifted", "framing", "center_offset")
    assert score(measured, "original", "framing") >= 0.5 > score(measured, "shifted", "framing")
    assert measured("shifted")[1]["framing"].weakest == "center_offset"
    # the pose of a frontal portrait is within the contract's limits (roll 15, yaw 30, pitch 20)
    r = measured("original")[1]["framing"].raw
    assert r["abs_roll"] < 15 and r["abs_yaw"] < 30 and r["abs_pitch"] < 20


def test_tiny_face_in_frame_fails_framing(measured):
    assert raw(measured, "padded", "framing", "face_height_low") < 0.2 <= raw(measured, "original", "framing", "face_height_low")
    assert score(measured, "padded", "framing") < 0.5


def test_clutter_behind_the_person_fails_background(measured):
    for key in ("edge_density", "texture_energy"):
        assert raw(measured, "cluttered", "background", key) > raw(measured, "original", "background", key)
        assert raw(measured, "plain", "background", key) < raw(measured, "original", "background", key)
    assert score(measured, "cluttered", "background") < 0.5 <= score(measured, "plain", "background")
    assert score(measured, "plain", "background") > score(measured, "original", "background")
    # the person is unchanged: framing and lighting do not move
    for attr in ("framing", "lighting"):
        assert abs(score(measured, "cluttered", attr) - score(measured, "original", attr)) < 0.1


def test_smooth_saturated_backdrop_is_clean(measured):
    """Contract: a smoothly varying backdrop is clean however saturated (official studio blue)."""
    assert raw(measured, "studio_blue", "background", "colour_block_fraction") < 0.01
    assert score(measured, "studio_blue", "background") >= 0.5


def test_one_object_in_a_corner_fails_background(measured):
    """Contract: a single recognisable object (a flag) fails the background; the busiest tile finds it
    where the average over the whole backdrop stays low."""
    assert raw(measured, "corner_flag", "background", "edge_density_peak") > 2 * raw(
        measured, "corner_flag", "background", "edge_density")
    assert score(measured, "corner_flag", "background") < 0.5 <= score(measured, "plain", "background")


def test_second_face_fails_background_and_framing(measured):
    a, ms = measured("two_faces")
    assert a.face_count == 2
    assert ms["background"].score == 0.0 and ms["framing"].score == 0.0
    assert ms["background"].raw["other_faces"] == 1
    assert "person" in ms["framing"].note and "face" in ms["background"].note


def test_degradations_leave_unrelated_attributes_alone(measured):
    """Off-centring, a new background or side light do not change the expression verdict."""
    o = measured("original")[1]
    for name in ("shifted", "plain", "side_lit"):
        assert (measured(name)[1]["expression"].score >= 0.5) == (o["expression"].score >= 0.5), name


@pytest.mark.parametrize("index", [0, 1, 2])
def test_studio_portraits_pass_lighting_background_framing(analyzer, portraits_dir, index):
    files = sorted((portraits_dir / "frl_webmorph").glob("london_neutral_*.jpg"))
    assert files, "no London neutral portraits"
    a = analyzer.analyze(files[index * 17])
    ms = measure_all(a)
    assert a.face_count == 1
    for attr in ("lighting", "background", "framing", "sharpness"):
        assert ms[attr].score >= 0.5, (files[index * 17].name, attr, ms[attr].weakest, ms[attr].raw)
    assert ms["lighting"].raw["half_luminance_ratio"] > 0.5  # even studio light: better than 2:1


def test_teeth_showing_smile_passes_expression(measured):
    """The contract allows a smile showing teeth with a relaxed jaw: the astronaut's open-lipped
    smile must not be read as talking (the mouth term only counts an opening without a smile)."""
    ex = measured("original")[1]["expression"]
    assert ex.raw["mouth_opening"] > 0.05 and ex.raw["fer_happy"] > 0.9, ex.raw
    assert ex.raw["mouth_open_unsmiling"] < 0.01 and ex.score >= 0.8, ex.raw


@pytest.mark.parametrize("kind", ["neutral", "smiling"])
def test_composed_studio_expressions_pass(analyzer, portraits_dir, kind):
    """The Face Research Lab London set photographs each person neutral and smiling, facing the
    camera: both are expression 1 by the contract. Every 10th of them must pass with the margin
    the dataset builder needs to use a base (0.65)."""
    files = sorted((portraits_dir / "frl_webmorph").glob(f"london_{kind}_*.jpg"))[::10]
    assert len(files) >= 10, "no London portraits"
    low = {}
    for f in files:
        ex = measure_all(analyzer.analyze(f))["expression"]
        if ex.score < 0.65:
            low[f.name] = (round(ex.score, 3), ex.weakest)
    assert not low, low
