"""Attire: is clothing in frame (room below the chin, shoulders), and does it look formal.

Formality is only approximated from pixels (skin showing in the torso, colour saturation,
light/dark structure of lapels and collars); the learned model does the real work.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import FaceAnalysis
from .base import MeasureResult, combine, register
from .regions import cheek_band, torso_region


@register("attire")
def measure_attire(a: FaceAnalysis) -> MeasureResult:
    h, w = a.image.shape[:2]
    top, chin = a.face_top_chin()
    fh = max(1.0, chin - top)
    raw: dict[str, float] = {"below_chin_face_heights": (h - chin) / fh}
    if a.shoulders is not None:
        inside = [(0 <= x < w and 0 <= y < h and v > 0.5) for x, y, v in a.shoulders]
        raw["shoulders_in_frame"] = float(sum(inside))
    torso = torso_region(a)
    if torso.sum() < 50:
        return combine("attire", raw)
    smooth = cv2.GaussianBlur(a.image, (0, 0), 2.0)  # noise must not read as colour or texture
    ycc = cv2.cvtColor(smooth, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    left, right = cheek_band(a)
    skin_ref = np.median(ycc[left | right][:, 1:], axis=0) if (left | right).sum() > 20 else np.array([150.0, 110.0])
    dist = np.linalg.norm(ycc[..., 1:] - skin_ref, axis=-1)
    hsv = cv2.cvtColor(smooth, cv2.COLOR_RGB2HSV).astype(np.float32)
    lum = ycc[..., 0][torso]
    raw.update(
        torso_skin_fraction=float((dist[torso] < 9.0).mean()),
        torso_saturation=float(hsv[..., 1][torso & (hsv[..., 2] > 60)].mean() / 255.0) if (torso & (hsv[..., 2] > 60)).sum() > 20 else 0.0,
        torso_contrast=float(np.percentile(lum, 90) - np.percentile(lum, 10)),
    )
    return combine("attire", raw)
