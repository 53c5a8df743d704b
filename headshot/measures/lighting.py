"""Lighting: face-half luminance ratio, exposure, clipping and skin colour cast.

Cues from the contract (ATTRIBUTES.md section 1) and OFIQ's illumination-uniformity,
luminance and natural-colour components.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import FaceAnalysis
from .base import MeasureResult, combine, register
from .regions import cheek_band, linear_luminance, luma


@register("lighting")
def measure_lighting(a: FaceAnalysis) -> MeasureResult:
    left, right = cheek_band(a)
    if left.sum() < 20 or right.sum() < 20:
        return combine("lighting", {})
    img = a.image
    lin = linear_luminance(img)
    l_left, l_right = float(np.median(lin[left])), float(np.median(lin[right]))
    band = left | right
    face = a.face_mask()
    y = luma(img.astype(np.float32))
    lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB).astype(np.float32)
    a_star, b_star = float(np.median(lab[..., 1][band]) - 128), float(np.median(lab[..., 2][band]) - 128)
    # distance of the skin's chroma from OFIQ's natural range (a* 5-25, b* 5-35), with slack
    cast = max(0.0, 0.0 - a_star, a_star - 30.0) + max(0.0, 0.0 - b_star, b_star - 40.0)
    raw = {
        "half_luminance_ratio": min(l_left, l_right) / max(l_left, l_right, 1e-6),
        "face_luma_mean": float(y[band].mean()),
        "face_highlight_clip": float((img[face].max(axis=1) >= 250).mean()),
        "face_shadow_clip": float((y[face] <= 20).mean()),
        "skin_a_star": a_star,
        "skin_b_star": b_star,
        "colour_cast_distance": cast,
    }
    raw["face_luma_low"] = raw["face_luma_high"] = raw["face_luma_mean"]
    return combine("lighting", raw)
