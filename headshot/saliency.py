"""Where the model looked: a saliency map for one analysed image.

A predictor that knows its own saliency (the learned model: occlusion or Grad-CAM) exposes
``saliency(analysis) -> HxW float array`` and is used as is. Any other predictor gets a
coarse occlusion map (Zeiler & Fergus 2014): each cell of a ``grid x grid`` partition of the
analysis image is filled with the image's mean colour, the predictor re-scores the image
with the detections, mesh and mask held fixed, and the cell's value is the total change of
the six probabilities. Cheap: ``grid**2`` predictions (about 1 s for 6x6 with the measures).
"""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

import numpy as np

from .analysis import FaceAnalysis
from .attributes import ATTRIBUTE_NAMES
from .measures import measure_all


def occlusion_saliency(predictor, analysis: FaceAnalysis, grid: int = 6,
                       attributes: Optional[Sequence[str]] = None) -> np.ndarray:
    """Sum over ``attributes`` of |P(original) - P(cell occluded)|, as a ``grid x grid`` array."""
    if grid < 1:
        raise ValueError(f"grid must be at least 1, got {grid}")
    names = list(attributes or ATTRIBUTE_NAMES)
    img = analysis.image
    h, w = img.shape[:2]
    base = predictor.predict(analysis, measure_all(analysis))
    fill = img.reshape(-1, 3).mean(axis=0).astype(img.dtype)
    ys = np.linspace(0, h, grid + 1).round().astype(int)
    xs = np.linspace(0, w, grid + 1).round().astype(int)
    out = np.zeros((grid, grid), np.float32)
    for i in range(grid):
        for j in range(grid):
            occluded = img.copy()
            occluded[ys[i]:ys[i + 1], xs[j]:xs[j + 1]] = fill
            a = dataclasses.replace(analysis, image=occluded, warnings=list(analysis.warnings))
            p = predictor.predict(a, measure_all(a))
            out[i, j] = sum(abs(float(base[n]) - float(p[n])) for n in names)
    return out


def saliency_map(predictor, analysis: FaceAnalysis, grid: int = 6) -> np.ndarray:
    """The predictor's own saliency when it has one, else the occlusion map."""
    own = getattr(predictor, "saliency", None)
    if callable(own):
        return np.asarray(own(analysis), np.float32)
    return occlusion_saliency(predictor, analysis, grid=grid)
