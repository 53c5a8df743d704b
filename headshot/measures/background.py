"""Background: clutter outside the person mask (edges, texture, colour blocks) and other faces.

Two cues look for one object rather than an average, because the contract fails a background
for a single recognisable object (a flag in a corner, a shelf beside the head) that a mean over
the whole backdrop dilutes: ``edge_density_peak`` is the edge share of the busiest background
tile. ``colour_block_fraction`` counts saturated pixels only next to a colour edge, so a smooth
saturated studio gradient (a plain backdrop by the contract) is not mistaken for colour blocks.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import FaceAnalysis
from .base import MeasureResult, combine, register
from .regions import background_mask

WORK_SIDE = 384  # measure at a fixed size so edge density does not depend on resolution
TILE = 48  # busiest-tile cue: tiles of this many work pixels...
TILE_MIN_BACKGROUND = 0.6  # ... that are mostly background


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
        raw.update(edge_density=0.0, edge_density_peak=0.0, texture_energy=0.0, colour_block_fraction=0.0)
        return combine("background", raw)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    # smooth first so sensor noise (a sharpness issue) does not read as clutter
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.2)
    edges = cv2.Canny(smooth, 40, 120) > 0
    detail = np.abs(smooth.astype(np.float32) - cv2.GaussianBlur(grey, (0, 0), 3.0).astype(np.float32))
    soft = cv2.GaussianBlur(img, (0, 0), 1.5)
    hsv = cv2.cvtColor(soft, cv2.COLOR_RGB2HSV)
    sat = (hsv[..., 1] > 150) & (hsv[..., 2] > 60)
    raw.update(
        edge_density=float(edges[m].mean()),
        edge_density_peak=_busiest_tile(edges, m),
        texture_energy=float(detail[m].mean()),
        colour_block_fraction=float((sat & _near_colour_edges(soft))[m].mean()),
    )
    hard = "another person's face is visible" if a.face_count > 1 else None
    return combine("background", raw, hard_fail=hard)


def _starts(n: int) -> np.ndarray:
    """Tile starts every half tile, plus one flush with the far edge so no strip is left out."""
    s = np.arange(0, max(1, n - TILE + 1), TILE // 2)
    return np.unique(np.append(s, max(0, n - TILE)))


def _busiest_tile(edges: np.ndarray, m: np.ndarray) -> float:
    """Edge share of the busiest tile that is mostly background (0 when no tile qualifies).

    Tiles overlap by half; sums come from integral images, so the cost does not grow with the tile count.
    """
    h, w = m.shape
    e_int = cv2.integral((edges & m).astype(np.uint8))
    m_int = cv2.integral(m.astype(np.uint8))
    ys, xs = _starts(h), _starts(w)
    y1, x1 = np.minimum(ys + TILE, h)[:, None], np.minimum(xs + TILE, w)[None, :]
    y0, x0 = ys[:, None], xs[None, :]

    def tile_sum(ii: np.ndarray) -> np.ndarray:
        return (ii[y1, x1] - ii[y0, x1] - ii[y1, x0] + ii[y0, x0]).astype(np.float64)

    area = (y1 - y0) * (x1 - x0)
    bg, ed = tile_sum(m_int), tile_sum(e_int)
    ok = bg >= TILE_MIN_BACKGROUND * area
    if not ok.any():
        return 0.0
    return float((ed[ok] / np.maximum(bg[ok], 1)).max())


def _near_colour_edges(rgb: np.ndarray, reach: int = 5) -> np.ndarray:
    """Pixels within ``reach`` of an edge in the CIELAB colour channels (a*, b*)."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    e = (cv2.Canny(lab[..., 1], 12, 30) > 0) | (cv2.Canny(lab[..., 2], 12, 30) > 0)
    k = 2 * reach + 1
    return cv2.dilate(e.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
