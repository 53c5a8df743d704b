"""Framing family: off-centre shift, too tight, too far, head cut off, tilt.

Shift, far and tilt move the person layer on an extended canvas (the person's sides and
bottom are extended by edge replication, the backdrop is composited afterwards); tight and
cut_top are real crops at the base's native pixels (no upscaling, so sharpness is unchanged).
"""
from __future__ import annotations

import cv2
import numpy as np

from .base import RenderContext, register


def _warp(ctx: RenderContext, m: np.ndarray, size: tuple[int, int]) -> None:
    """Apply affine ``m`` (base -> output) to the person layer, matte and geometry."""
    h, w = ctx.person.shape[:2]
    p = max(h, w)
    person = cv2.copyMakeBorder(ctx.person, p, p, p, p, cv2.BORDER_REPLICATE)
    alpha = cv2.copyMakeBorder(ctx.alpha, 0, p, p, p, cv2.BORDER_REPLICATE)
    alpha = cv2.copyMakeBorder(alpha, p, 0, 0, 0, cv2.BORDER_CONSTANT, value=0.0)  # nothing above the head
    shift = np.array([[1, 0, -p], [0, 1, -p], [0, 0, 1]], np.float64)
    mm = (np.vstack([m, [0, 0, 1]]) @ shift)[:2]
    ctx.person = cv2.warpAffine(person, mm, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    ctx.alpha = cv2.warpAffine(alpha, mm, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    ctx.geom = ctx.geom.transformed(m.astype(np.float32))


def _crop(ctx: RenderContext, x0: int, y0: int, x1: int, y1: int) -> None:
    m = np.array([[1, 0, -x0], [0, 1, -y0]], np.float64)
    _warp(ctx, m, (max(16, x1 - x0), max(16, y1 - y0)))


@register("framing", "shift")
def shift(ctx: RenderContext, offset: float) -> None:
    """Subject far off-centre: the face centre moves ``offset`` of the width from the centre line."""
    h, w = ctx.person.shape[:2]
    cx, _ = ctx.geom.center
    dx = w / 2 + offset * w - cx
    _warp(ctx, np.array([[1, 0, dx], [0, 1, 0]], np.float64), (w, h))


@register("framing", "tight")
def tight(ctx: RenderContext, face_frac: float) -> None:
    """Cropped too tightly: the face fills ``face_frac`` of the height, the clothing is out of frame."""
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    ch = int(g.face_h / face_frac)
    cw = int(min(w, ch * w / h))
    cx, cy = g.center
    y0 = int(cy - ch / 2)
    x0 = int(np.clip(cx - cw / 2, 0, w - cw))
    _crop(ctx, x0, y0, x0 + cw, y0 + ch)


@register("framing", "far")
def far(ctx: RenderContext, face_frac: float) -> None:
    """Too far: the face is only ``face_frac`` of the frame height (extended canvas)."""
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    s = min(1.0, face_frac * h / g.face_h)
    cx, _ = g.center
    m = np.array([[s, 0, w / 2 - s * cx], [0, s, h - s * h]], np.float64)
    _warp(ctx, m, (w, h))
    ctx.scale *= s


@register("framing", "cut_top")
def cut_top(ctx: RenderContext, cut: float) -> None:
    """Top of the head cut off: the frame starts ``cut`` face heights below the forehead top."""
    h, w = ctx.person.shape[:2]
    y0 = int(max(0, ctx.geom.top + cut * ctx.geom.face_h))
    _crop(ctx, 0, y0, w, h)


@register("framing", "tilt")
def tilt(ctx: RenderContext, angle: float) -> None:
    """Tilted head / dutch angle: rotate about the face centre by ``angle`` degrees."""
    h, w = ctx.person.shape[:2]
    cx, cy = ctx.geom.center
    m = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    m[0, 2] += w / 2 - cx  # keep the face horizontally centred: only the roll is wrong
    _warp(ctx, m, (w, h))
