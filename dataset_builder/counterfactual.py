"""Counterfactual edits for the app: flip one attribute, or improve every fixable one.

``flip_one`` reads the scorer's measures on the photo and pushes one attribute to the
opposite state with the same registered operations the dataset uses; ``improve`` sets every
fixable attribute to professional (clean backdrop, recentred, evened light, mild sharpening).
"""
from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from headshot.analysis import FaceAnalysis, default_analyzer
from headshot.attributes import ATTRIBUTE_NAMES

from .base import check_scores
from .ops import new_context, run_ops
from .ops.base import RenderContext, to_linear, to_srgb

DEGRADE = {
    "lighting": {"family": "lighting", "op": "directional", "params": {"azimuth": 75.0, "elevation": 10.0, "ambient": 0.08}},
    "background": {"family": "background", "op": "clutter", "params": {"seed": 0, "blur_sigma": 0.5}},
    "attire": {"family": "attire", "op": "casual_top", "params": {"colour": [200, 40, 60], "pattern": "solid"}},
    "expression": {"family": "expression", "op": "open_mouth", "params": {"drop": 0.2}},
    "framing": {"family": "framing", "op": "tilt", "params": {"angle": 25.0}},
    "sharpness": {"family": "sharpness", "op": "motion", "params": {"length_frac": 0.14, "angle": 20.0}},
}
REPAIR = {
    "background": {"family": "background", "op": "studio", "params": {"colour": [120, 128, 138], "colour2": [80, 86, 96]}},
    "attire": {"family": "attire", "op": "suit", "params": {"jacket": "navy", "shirt": "white", "tie": True, "tie_colour": [120, 30, 40]}},
    "expression": {"family": "expression", "op": "close_mouth", "params": {}},
}


def _analyze(img: np.ndarray, analysis: Optional[FaceAnalysis]) -> FaceAnalysis:
    return analysis if analysis is not None else default_analyzer().analyze(img)


def _even_light(img: np.ndarray, a: FaceAnalysis) -> np.ndarray:
    """Lift the darker face half and normalise exposure and white balance on the face."""
    from headshot.measures.regions import cheek_band

    s = 1 / a.scale
    left, right = cheek_band(a)
    h, w = img.shape[:2]
    left = cv2.resize(left.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    right = cv2.resize(right.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    lin = to_linear(img.astype(np.float32))
    if left.sum() > 20 and right.sum() > 20:
        lum = lin @ np.array([0.2126, 0.7152, 0.0722], np.float32)
        ll, lr = float(np.median(lum[left])), float(np.median(lum[right]))
        nose_x = (a.landmarks[1, 0] * s) if a.landmarks is not None else w / 2
        xx = np.arange(w, dtype=np.float32)[None, :]
        fw = a.main_face.width * s
        t = np.clip((xx - nose_x) / fw + 0.5, 0, 1)  # 0 at the image-left cheek, 1 at the right
        # left mask is the image-left side (side < 0)
        gl, gr = np.sqrt(max(ll, lr) / max(ll, 1e-4)), np.sqrt(max(ll, lr) / max(lr, 1e-4))
        gain = gl * (1 - t) + gr * t
        lin = lin * np.clip(gain, 1, 4)[..., None]
        face = left | right
        rgb = lin[face].mean(0)
        lin = lin * (rgb.mean() / np.maximum(rgb, 1e-4)) ** 0.6  # partial white balance towards neutral skin
        luma = float(to_srgb(lin[face]).mean())
        target = float(np.clip(luma, 110, 180))
        lin = lin * (to_linear(np.array([target]))[0] / max(1e-4, to_linear(np.array([luma]))[0]))
    return np.clip(to_srgb(lin), 0, 255).astype(np.uint8)


def _sharpen(img: np.ndarray, a: FaceAnalysis) -> np.ndarray:
    face_px = a.face_height_px / a.scale
    if face_px < 160:
        f = min(4.0, 200 / face_px)
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_LANCZOS4)
    img = cv2.fastNlMeansDenoisingColored(img, None, 3, 3, 5, 11) if min(img.shape[:2]) < 2000 else img
    blur = cv2.GaussianBlur(img, (0, 0), 1.2)
    return cv2.addWeighted(img, 1.6, blur, -0.6, 0)


def _recentre(ctx: RenderContext) -> None:
    """Rotate upright, then crop/extend so the face is centred with head-and-shoulders proportions."""
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    cx, cy = g.center
    m = cv2.getRotationMatrix2D((cx, cy), g.roll, 1.0)
    target_h = min(h, g.face_h / 0.42)
    target_w = min(w, target_h * 0.8) if w < h else target_h * 0.8
    m[0, 2] += target_w / 2 - cx
    m[1, 2] += target_h * 0.45 - cy
    from .ops.framing import _warp

    _warp(ctx, m, (int(target_w), int(target_h)))


def flip_one(image_rgb: np.ndarray, attribute: str, seed: int = 0, analysis: Optional[FaceAnalysis] = None) -> np.ndarray:
    """The photo with only ``attribute`` pushed to the opposite of what the measures say now."""
    if attribute not in ATTRIBUTE_NAMES:
        raise KeyError(f"unknown attribute {attribute!r}; expected one of {ATTRIBUTE_NAMES}")
    from headshot.measures import measure_all

    img = np.asarray(image_rgb)[..., :3].astype(np.uint8)
    a = _analyze(img, analysis)
    score = check_scores(measure_all(a))[attribute]
    rng = np.random.default_rng(seed)
    ctx = new_context(img, a, seed)
    if score >= 0.5:  # professional now: degrade
        op = dict(DEGRADE[attribute])
        op["params"] = dict(op["params"])
        if attribute == "background":
            op["params"]["seed"] = int(seed)
        if attribute == "attire" and (a.shoulders is None or a.face_height_px / a.height > 0.55):
            op = {"family": "framing", "op": "tight", "params": {"face_frac": 0.85}}
        if attribute == "framing":
            op["params"] = {"angle": float(rng.choice([-1, 1]) * 25.0)}
        run_ops(ctx, [op])
        return np.clip(ctx.frame + 0.5, 0, 255).astype(np.uint8)
    # not professional now: repair
    if attribute == "lighting":
        return _even_light(img, a)
    if attribute == "sharpness":
        return _sharpen(img, a)
    if attribute == "framing":
        _recentre(ctx)
        run_ops(ctx, [])
        return np.clip(ctx.frame + 0.5, 0, 255).astype(np.uint8)
    run_ops(ctx, [REPAIR[attribute]])
    return np.clip(ctx.frame + 0.5, 0, 255).astype(np.uint8)


def improve(image_rgb: np.ndarray, analysis: Optional[FaceAnalysis] = None) -> np.ndarray:
    """Every fixable attribute set to professional: even light, recentred, clean backdrop, sharpened."""
    img = np.asarray(image_rgb)[..., :3].astype(np.uint8)
    a = _analyze(img, analysis)
    lit = _even_light(img, a)
    ctx = new_context(lit, a, 0)
    _recentre(ctx)
    run_ops(ctx, [REPAIR["background"]])
    out = np.clip(ctx.frame + 0.5, 0, 255).astype(np.uint8)
    a2 = default_analyzer().analyze(out, require_face=False)
    return _sharpen(out, a2) if a2.faces else out
