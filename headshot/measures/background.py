"""Background: clutter outside the person mask (edges, texture, saturated blocks) and other faces."""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import FaceAnalysis
from .base import MeasureResult, combine, register
from .regions import background_mask

WORK_SIDE = 384  # measure at a fixed size so edge density does not depend on resolution


@register("background")
def measure_background(a: FaceAnalysis) -> MeasureResult:
    mask = background_mask(a)
    h, w = mask.shape
    s = WORK_SIDE / max(h, w)
    size = (max(8, round(w * s)), max(8, round(h * s)))
    img = cv2.resize(a.image, size, interpolation=cv2.INTER_AREA)
    m = cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    m = cv2.erode(m.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    raw: dict[str, float] = {"background_fraction": float(m.mean()), "other_faces": float(a.face_count - 1)}
    if m.sum() < 0.03 * m.size:
        # the person fills the frame: nothing behind them can distract
        raw.update(edge_density=0.0, texture_energy=0.0, saturated_fraction=0.0)
        return combine("background", raw)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    # smooth first so sensor noise (a sharpness issue) does not read as clutter
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.2)
    edges = cv2.Canny(smooth, 40, 120) > 0
    detail = np.abs(smooth.astype(np.float32) - cv2.GaussianBlur(grey, (0, 0), 3.0).astype(np.float32))
    hsv = cv2.cvtColor(cv2.GaussianBlur(img, (0, 0), 1.5), cv2.COLOR_RGB2HSV)
    sat = (hsv[..., 1] > 150) & (hsv[..., 2] > 60)
    raw.update(
        edge_density=float(edges[m].mean()),
        texture_energy=float(detail[m].mean()),
        saturated_fraction=float(sat[m].mean()),
    )
    hard = "another person's face is visible" if a.face_count > 1 else None
    return combine("background", raw, hard_fail=hard)
