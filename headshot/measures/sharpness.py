"""Sharpness: Laplacian variance and high-frequency energy on the face, blockiness, noise, face size.

The face crop is resampled to a fixed height so the blur measures do not depend on the
photo's resolution; resolution itself is judged by the face's height in original pixels.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import FaceAnalysis
from .base import MeasureResult, combine, register
from .regions import face_crop

CROP_HEIGHT = 160


def _blockiness(grey: np.ndarray, x0: int = 0, y0: int = 0) -> float:
    """Mean jump across 8-px block borders over the mean jump elsewhere (1 = no blocking).

    ``x0, y0``: where ``grey`` starts in the decoded image, so the borders fall on the JPEG grid.
    """
    g = grey.astype(np.float32)
    dx = np.abs(np.diff(g, axis=1))
    cols = np.arange(dx.shape[1]) + x0
    on = dx[:, cols % 8 == 7].mean()
    off = dx[:, cols % 8 != 7].mean() + 1e-3
    dy = np.abs(np.diff(g, axis=0))
    rows = np.arange(dy.shape[0]) + y0
    on_y = dy[rows % 8 == 7].mean()
    off_y = dy[rows % 8 != 7].mean() + 1e-3
    return float((on / off + on_y / off_y) / 2)


def _noise_sigma(grey: np.ndarray) -> float:
    """Immerkaer's fast noise estimate (1996): robust to image content for small sigma."""
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    conv = cv2.filter2D(grey.astype(np.float32), -1, k)[1:-1, 1:-1]
    return float(np.sqrt(np.pi / 2) * np.abs(conv).mean() / 6.0)


@register("sharpness")
def measure_sharpness(a: FaceAnalysis) -> MeasureResult:
    crop = face_crop(a, margin=-0.1)  # inner face: skin, eyes, mouth
    fx0, fy0, fx1, fy1 = a.main_face.as_int()  # crop origin, as face_crop computes it
    ox, oy = max(0, fx0 - int(-0.1 * (fx1 - fx0))), max(0, fy0 - int(-0.1 * (fy1 - fy0)))
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return combine("sharpness", {"face_pixels": a.face_height_px / a.scale})
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    s = CROP_HEIGHT / grey.shape[0]
    g = cv2.resize(grey, (max(8, round(grey.shape[1] * s)), CROP_HEIGHT),
                   interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    # exposure-invariant: a darker photo of the same detail has proportionally smaller Laplacian values
    gain = 128.0 / max(16.0, float(g.mean()))
    lap = cv2.Laplacian(g.astype(np.float32) * gain, cv2.CV_32F)
    low = cv2.GaussianBlur(g.astype(np.float32), (0, 0), 1.5)
    hf = float(np.mean((g - low) ** 2) / (np.var(g) + 1e-3))
    full_grey = cv2.cvtColor(a.image, cv2.COLOR_RGB2GRAY)
    raw = {
        "laplacian_var": float(lap.var()),
        "hf_energy_ratio": hf,
        "blockiness": _blockiness(grey, ox, oy) if a.scale == 1.0 else 1.0,
        "noise_sigma": _noise_sigma(full_grey),
        "face_pixels": a.face_height_px / a.scale,
    }
    raw["log_laplacian_var"] = float(np.log10(raw["laplacian_var"] + 1e-3))
    return combine("sharpness", raw)
