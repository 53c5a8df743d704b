"""Each procedural operation moves its independent check (the scorer's measures) the intended way."""
from __future__ import annotations

import numpy as np
import pytest

from dataset_builder.backends import get_backend
from dataset_builder.base import check_scores
from dataset_builder.g import EditPlan
from dataset_builder.counterfactual import flip_one, improve
from headshot.attributes import ATTRIBUTE_NAMES
from headshot.measures import measure_all

CLEAN = {"family": "background", "op": "plain", "params": {"colour": [120, 125, 130], "seed": 1}}
DEGRADE = [
    ("lighting", "directional", {"azimuth": 80, "elevation": 10, "ambient": 0.08}),
    ("lighting", "under", {"gain": 0.12}),
    ("lighting", "over", {"gain": 3.5}),
    ("lighting", "cast", {"tint": "green", "amount": 0.8}),
    ("lighting", "backlight", {"subject_gain": 0.15, "window": 2.0}),
    # sharpness at the weak end of what g draws (dataset_builder/g.py _sharpness_params)
    ("sharpness", "gaussian", {"sigma_frac": 0.012}),
    ("sharpness", "defocus", {"radius_frac": 0.035}),
    ("sharpness", "motion", {"length_frac": 0.09, "angle": 30}),
    ("sharpness", "noise", {"sigma": 24, "chroma": 0.4}),
    ("sharpness", "lowres", {"face_px": 40}),
    ("framing", "shift", {"offset": 0.25}),
    ("framing", "tight", {"face_frac": 0.85}),
    ("framing", "cut_top", {"cut": 0.3}),
    ("framing", "tilt", {"angle": 28}),
    ("framing", "far", {"face_frac": 0.12}),
]


@pytest.fixture(scope="module")
def base(astronaut, analyzer):
    a = analyzer.analyze(astronaut)
    backend = get_backend("procedural")
    ref = backend.render(astronaut, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 0, [CLEAN]), a, max_side=512)
    return a, backend, check_scores(measure_all(analyzer.analyze(ref)))


def _render(astronaut, analyzer, base, ops):
    a, backend, _ = base
    plan = EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, ops)
    out = backend.render(astronaut, plan, a, max_side=512)
    assert out.dtype == np.uint8 and out.ndim == 3
    return check_scores(measure_all(analyzer.analyze(out)))


@pytest.mark.parametrize("family,op,params", DEGRADE, ids=[f"{f}/{o}" for f, o, _ in DEGRADE])
def test_degradation_moves_its_check(astronaut, analyzer, base, family, op, params):
    ref = base[2]
    s = _render(astronaut, analyzer, base, [CLEAN, {"family": family, "op": op, "params": params}])
    assert s[family] < 0.5 <= max(ref[family], 0.5), (ref[family], s[family])


@pytest.mark.parametrize("op", ["clutter", "text", "pattern", "scene"])
def test_distracting_backdrop_scores_below_clean(astronaut, analyzer, base, op):
    s = _render(astronaut, analyzer, base, [{"family": "background", "op": op, "params": {"seed": 5}}])
    assert s["background"] < base[2]["background"] - 0.2, (s["background"], base[2]["background"])


def test_counterfactual_flips_measured_state(astronaut, analyzer):
    s0 = check_scores(measure_all(analyzer.analyze(astronaut)))
    for attr in ("lighting", "background", "framing", "sharpness"):
        out = flip_one(astronaut, attr, seed=1)
        s1 = check_scores(measure_all(analyzer.analyze(out)))
        assert (s0[attr] >= 0.5) != (s1[attr] >= 0.5), (attr, s0[attr], s1[attr])
    better = check_scores(measure_all(analyzer.analyze(improve(astronaut))))
    for attr in ("lighting", "background", "framing", "sharpness"):
        assert better[attr] >= 0.5, (attr, better[attr])


@pytest.mark.parametrize("plate", ["china", "motorcycle", "coffee"])
def test_real_photo_backdrop_scores_below_clean(astronaut, analyzer, base, plate):
    """A real photographed scene behind the subject is distracting to the independent check too."""
    from dataset_builder.plates import available_plates

    assert plate in available_plates()
    s = _render(astronaut, analyzer, base, [{"family": "background", "op": "photo",
                                             "params": {"plate": plate, "zoom": 1.3, "seed": 3}}])
    assert s["background"] < base[2]["background"] - 0.2, (s["background"], base[2]["background"])


def test_defocused_photo_backdrop_has_no_detail_left():
    """The clean "photo_defocus" backdrop is the same real scene blurred past recognition."""
    from dataset_builder.ops.background import make_backdrop
    from dataset_builder.plates import crop_detail

    params = {"plate": "china", "zoom": 1.2, "seed": 3, "sigma_frac": 0.1}
    detail = {k: crop_detail(np.clip(make_backdrop(k, 512, 512, params), 0, 255).astype(np.uint8))
              for k in ("photo", "photo_defocus")}
    assert detail["photo"] > 4.0 and detail["photo_defocus"] < 0.15 * detail["photo"], detail


def _eye_and_mouth_luma(img: np.ndarray, a) -> tuple[float, float]:
    from headshot.analysis import LEFT_EYE_INNER, LEFT_EYE_OUTER, MOUTH_LEFT, MOUTH_RIGHT, RIGHT_EYE_INNER, RIGHT_EYE_OUTER

    lm = a.landmarks[:, :2] / a.scale  # analysis pixels -> the rendered (original-size) image
    grey = img.astype(np.float32).mean(axis=2)

    def box(i: int, j: int) -> float:
        x0, x1 = sorted((int(lm[i, 0]), int(lm[j, 0])))
        y = int((lm[i, 1] + lm[j, 1]) / 2)
        return float(grey[y - 3:y + 4, x0:x1 + 1].mean())

    return (box(RIGHT_EYE_OUTER, RIGHT_EYE_INNER) + box(LEFT_EYE_OUTER, LEFT_EYE_INNER)) / 2, box(MOUTH_RIGHT, MOUTH_LEFT)


def test_occluders_cover_the_eyes_or_the_mouth(astronaut, base):
    """Sunglasses darken both eyes to the lens tint; a mask paints the mouth with its fabric colour."""
    a, backend, _ = base
    plain = backend.render(astronaut, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, [CLEAN]), a)
    glasses = backend.render(astronaut, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, [
        CLEAN, {"family": "expression", "op": "sunglasses", "params": {"tint": [22, 22, 26]}}]), a)
    mask = backend.render(astronaut, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, [
        CLEAN, {"family": "expression", "op": "face_mask", "params": {"colour": [232, 232, 230]}}]), a)
    eyes0, mouth0 = _eye_and_mouth_luma(plain, a)
    eyes1, mouth1 = _eye_and_mouth_luma(glasses, a)
    eyes2, mouth2 = _eye_and_mouth_luma(mask, a)
    assert eyes1 < 45 < eyes0, (eyes0, eyes1)
    assert abs(mouth1 - mouth0) < 3  # the mouth is untouched by sunglasses
    assert abs(mouth2 - 232) < abs(mouth0 - 232) and mouth2 > 150, (mouth0, mouth2)
    assert abs(eyes2 - eyes0) < 3  # ... and the eyes by the mask


def test_sunglasses_fail_expression_by_the_eye_luma_cue(astronaut, analyzer, base):
    """The face mesh still places eyes behind dark lenses; the eye boxes' luma is what sees them."""
    a, backend, _ = base
    out = {}
    for name, ops in {"clean": [CLEAN], "glasses": [CLEAN, {"family": "expression", "op": "sunglasses",
                                                            "params": {"tint": [22, 22, 26]}}]}.items():
        img = backend.render(astronaut, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, ops), a, max_side=512)
        out[name] = measure_all(analyzer.analyze(img))["expression"]
    assert out["clean"].raw["eye_luma_ratio"] > 0.5, out["clean"].raw
    assert out["glasses"].raw["eye_luma_ratio"] < 0.35, out["glasses"].raw
    assert out["glasses"].weakest == "eye_luma_ratio" and out["glasses"].score < 0.3 < out["clean"].score


def test_sunglasses_fail_expression_on_dark_skin(analyzer, portraits_dir):
    """On dark skin the cheeks are nearly as dark as a lens, so the luma ratio passes sunglasses;
    the eye boxes' contrast (a lens is flat) must still fail them. The darkest-cheeked of the
    first Nigeria officials' portraits, with and without the sunglasses g draws."""
    from headshot.imageio import load_image
    from headshot.measures.regions import cheek_band, luma

    backend = get_backend("procedural")
    files = sorted((portraits_dir / "nigeria_officials").glob("*.jpg"))[:12]
    assert files, "no Nigeria officials portraits"

    def cheek_luma(a) -> float:
        left, right = cheek_band(a)
        return float(np.median(luma(a.image[left | right].astype(np.float32))))

    analysed = [(f, analyzer.analyze(f)) for f in files]
    f, a = min((x for x in analysed if x[1].landmarks is not None), key=lambda x: cheek_luma(x[1]))
    assert cheek_luma(a) < 80, cheek_luma(a)  # dark skin indeed
    img = load_image(f)
    out = {}
    for name, ops in {"clean": [CLEAN], "glasses": [CLEAN, {"family": "expression", "op": "sunglasses",
                                                            "params": {"tint": [22, 22, 26]}}]}.items():
        r = backend.render(img, EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, ops), a)
        out[name] = measure_all(analyzer.analyze(r))["expression"]
    assert out["clean"].terms["eye_contrast"] > 0.5, (f.name, out["clean"].raw)
    assert out["glasses"].terms["eye_contrast"] < 0.3 and out["glasses"].score < 0.3, (f.name, out["glasses"].raw)


def test_smear_wipes_fine_texture_off_the_face(astronaut, base):
    """The low-light smear keeps the face's outlines but removes its fine detail (contract: sharpness 0)."""
    import cv2

    a, backend, _ = base
    plans = {name: EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7, ops) for name, ops in {
        "clean": [CLEAN],
        # the mildest setting g draws: it must already wipe the texture
        "smear": [CLEAN, {"family": "sharpness", "op": "smear", "params": {"noise": 8, "strength": 14}}]}.items()}
    f = a.main_face
    s = 1 / a.scale
    lap = {}
    for name, plan in plans.items():
        out = backend.render(astronaut, plan, a)
        face = cv2.cvtColor(out[int(f.y0 * s):int(f.y1 * s), int(f.x0 * s):int(f.x1 * s)], cv2.COLOR_RGB2GRAY)
        lap[name] = float(cv2.Laplacian(face, cv2.CV_64F).var())
    assert lap["smear"] < 0.5 * lap["clean"], lap


def test_monochrome_leaves_one_channel_of_light(astronaut, base):
    a, backend, _ = base
    plan = EditPlan(dict.fromkeys(ATTRIBUTE_NAMES, 1), "", "", 0.5, 7,
                    [CLEAN, {"family": "camera", "op": "monochrome", "params": {"tone": 0.0}}])
    out = backend.render(astronaut, plan, a).astype(int)
    assert np.abs(out[..., 0] - out[..., 1]).max() <= 1 and np.abs(out[..., 1] - out[..., 2]).max() <= 1
    assert out.std() > 20  # the picture is still there
