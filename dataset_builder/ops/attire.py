"""Attire family, on head-and-shoulders bases, both ways.

- ``casual_top``: a crew-neck T-shirt (solid, striped or printed) replaces whatever is worn,
  keeping the body's large-scale shading (a smooth fit of the original luminance, so the old
  jacket/shirt/tie structure does not show through).
- ``suit``: a jacket with lapels, a collared shirt and (optionally) a tie drawn over the top,
  shaded the same way.
Cropping the clothing out of frame is framing's ``tight`` operation.
"""
from __future__ import annotations

import cv2
import numpy as np

from .base import RenderContext, register

JACKETS = {"navy": (32, 40, 62), "charcoal": (52, 54, 58), "black": (22, 22, 25), "grey": (105, 108, 112),
           "brown": (72, 55, 42)}
SHIRTS = {"white": (236, 236, 232), "light_blue": (196, 214, 236)}


def _smooth_shading(ctx: RenderContext, region: np.ndarray) -> np.ndarray:
    """Quadratic fit of the original luminance over the clothing: light fall-off, no garment detail."""
    h, w = region.shape
    img = ctx.person
    lum = img[..., 0] * 0.299 + img[..., 1] * 0.587 + img[..., 2] * 0.114
    ys, xs = np.nonzero(region)
    if len(xs) < 30:
        return np.ones((h, w), np.float32)
    sel = np.random.default_rng(0).choice(len(xs), min(4000, len(xs)), replace=False)
    x, y = xs[sel] / w, ys[sel] / h
    A = np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], 1)
    coef, *_ = np.linalg.lstsq(A, lum[ys[sel], xs[sel]], rcond=None)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xx, yy = xx / w, yy / h
    fit = coef[0] + coef[1] * xx + coef[2] * yy + coef[3] * xx * xx + coef[4] * yy * yy + coef[5] * xx * yy
    return np.clip(fit / max(1.0, float(np.median(fit[region]))), 0.65, 1.3).astype(np.float32)


def _clothing_region(ctx: RenderContext, neck_depth: float) -> np.ndarray:
    """Person pixels below a neckline (a U under the chin), outside the face oval."""
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    cx, _ = g.center
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = np.clip((xx - cx) / (0.42 * g.face_w), -1, 1)
    neck_y = g.chin + 0.28 * g.face_h + neck_depth * g.face_h * (1 - u * u)
    region = (ctx.alpha > 0.5) & (yy > neck_y)
    face = np.zeros((h, w), np.uint8)
    c = g.center
    cv2.ellipse(face, (int(c[0]), int(c[1])), (int(0.55 * g.face_w), int(0.62 * g.face_h)), g.roll, 0, 360, 1, -1)
    return region & (face == 0)


def _fabric(ctx: RenderContext, shape: tuple[int, int], amp: float) -> np.ndarray:
    h, w = shape
    n = ctx.rng.normal(0, 1, (max(2, h // 24), max(2, w // 24))).astype(np.float32)
    folds = cv2.resize(n, (w, h), interpolation=cv2.INTER_CUBIC)
    grain = ctx.rng.normal(0, 1, (h, w)).astype(np.float32)
    return 1 + amp * (0.7 * folds + 0.3 * cv2.GaussianBlur(grain, (0, 0), 0.7))


def _paint(ctx: RenderContext, region: np.ndarray, colour_map: np.ndarray) -> None:
    shade = _smooth_shading(ctx, region) * _fabric(ctx, region.shape, 0.04)
    m = cv2.GaussianBlur(region.astype(np.float32), (0, 0), max(0.7, 0.004 * region.shape[0]))[..., None]
    ctx.person = ctx.person * (1 - m) + np.clip(colour_map * shade[..., None], 0, 255) * m


@register("attire", "casual_top")
def casual_top(ctx: RenderContext, colour: list[int], pattern: str = "solid", seed: int = 0) -> None:
    """A crew-neck T-shirt: solid, striped or with a loud print."""
    rng = np.random.default_rng(seed)
    h, w = ctx.person.shape[:2]
    region = _clothing_region(ctx, 0.12)
    cmap = np.broadcast_to(np.array(colour, np.float32), (h, w, 3)).copy()
    g = ctx.geom
    if pattern == "stripes":
        p = max(4, int(g.face_h * rng.uniform(0.06, 0.14)))
        c2 = np.array([int(rng.integers(0, 256)) for _ in range(3)], np.float32)
        rows = ((np.arange(h) // p) % 2).astype(bool)
        cmap[rows] = c2
    elif pattern == "print":
        cx, cy = int(g.center[0]), int(g.chin + g.face_h * 0.9)
        for _ in range(int(rng.integers(3, 7))):
            col = tuple(int(c) for c in rng.integers(0, 256, 3))
            r = int(g.face_w * rng.uniform(0.1, 0.3))
            px, py = int(cx + rng.normal(0, g.face_w * 0.3)), int(cy + rng.normal(0, g.face_h * 0.2))
            if rng.random() < 0.5:
                cv2.circle(cmap, (px, py), r, col, -1)
            else:
                cv2.putText(cmap, str(rng.choice(["NYC", "SURF", "83", "LOVE", "ROCK"])), (px - r, py),
                            cv2.FONT_HERSHEY_DUPLEX, max(0.4, r / 18), col, max(1, r // 8), cv2.LINE_AA)
    _paint(ctx, region, cmap)
    # ribbed neckband just along the neckline
    band = region & ~_clothing_region(ctx, 0.12 + 0.05)
    ctx.person[band] *= 0.85


@register("attire", "suit")
def suit(ctx: RenderContext, jacket: str, shirt: str, tie: bool, tie_colour: list[int]) -> None:
    """A jacket with lapels over a collared shirt, with or without a tie."""
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    cx, _ = g.center
    region = _clothing_region(ctx, 0.02)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    v_top = g.chin + 0.3 * g.face_h
    # lapels meet at the top button: the V is widest at the collar and closes about 1.1 face heights lower
    half_v = 0.34 * g.face_w * np.clip(1 - (yy - v_top) / (1.1 * g.face_h), 0, 1)
    in_v = np.abs(xx - cx) < half_v
    cmap = np.empty((h, w, 3), np.float32)
    cmap[:] = JACKETS[jacket]
    cmap[in_v] = SHIRTS[shirt]
    # lapel edges: a darker seam and a lighter lapel band along the V
    lapel = (np.abs(xx - cx) >= half_v) & (np.abs(xx - cx) < half_v + 0.12 * g.face_w)
    cmap[lapel] *= 1.18
    seam = np.abs(np.abs(xx - cx) - half_v) < max(1.0, 0.012 * g.face_w)
    cmap[seam] *= 0.55
    # collar points
    for s in (-1, 1):
        pts = np.array([[cx, v_top + 0.02 * g.face_h], [cx + s * 0.3 * g.face_w, v_top - 0.06 * g.face_h],
                        [cx + s * 0.2 * g.face_w, v_top + 0.28 * g.face_h]], np.int32)
        cv2.fillPoly(cmap, [pts], tuple(float(c) * 0.97 for c in SHIRTS[shirt]))
        cv2.polylines(cmap, [pts], True, tuple(float(c) * 0.75 for c in SHIRTS[shirt]), max(1, int(0.01 * g.face_w)))
    if tie:
        tw0, tw1 = 0.07 * g.face_w, 0.13 * g.face_w
        knot = np.array([[cx - tw0 * 1.2, v_top], [cx + tw0 * 1.2, v_top], [cx + tw0, v_top + 0.12 * g.face_h],
                         [cx - tw0, v_top + 0.12 * g.face_h]], np.int32)
        blade = np.array([[cx - tw0, v_top + 0.12 * g.face_h], [cx + tw0, v_top + 0.12 * g.face_h],
                          [cx + tw1, h], [cx - tw1, h]], np.int32)
        col = tuple(float(c) * 0.75 for c in tie_colour)
        cv2.fillPoly(cmap, [blade], col)
        cv2.fillPoly(cmap, [knot], tuple(c * 0.85 for c in col))
    # the shirt collar also covers the neck base between the neckline and the V
    collar = (ctx.alpha > 0.5) & (yy > v_top - 0.06 * g.face_h) & (np.abs(xx - cx) < 0.32 * g.face_w) & (yy <= v_top + 0.3 * g.face_h)
    _paint(ctx, region | collar, cmap)
