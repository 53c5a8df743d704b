"""Expression family (counterfactual edits only; g never uses it for labelled data, because a
warped mouth is not a reliable label): open or close the mouth with a smooth landmark-driven warp.
"""
from __future__ import annotations

import cv2
import numpy as np

from headshot.analysis import CHIN, LIP_INNER_BOTTOM, LIP_INNER_TOP, MOUTH_LEFT, MOUTH_RIGHT

from .base import RenderContext, register


def _jaw_warp(ctx: RenderContext, drop: float) -> None:
    """Move the lower lip and jaw down by ``drop`` face heights (negative closes the mouth)."""
    g = ctx.geom
    if g.landmarks is None:
        return
    lm = g.landmarks
    h, w = ctx.person.shape[:2]
    d = drop * g.face_h
    lip_y = float(lm[LIP_INNER_BOTTOM, 1])
    cx = float((lm[MOUTH_LEFT, 0] + lm[MOUTH_RIGHT, 0]) / 2)
    mw = float(abs(lm[MOUTH_LEFT, 0] - lm[MOUTH_RIGHT, 0]))
    chin = float(lm[CHIN, 1])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # weight 1 between the lower lip and the chin, fading out sideways and below the chin
    wx = np.exp(-(((xx - cx) / (0.9 * mw)) ** 2))
    wy = np.clip((yy - (lip_y - 0.02 * g.face_h)) / (0.04 * g.face_h), 0, 1) * np.clip(1 - (yy - chin) / (0.25 * g.face_h), 0, 1)
    disp = d * wx * wy
    if d > 0:  # the opened mouth shows a dark interior
        top = float(lm[LIP_INNER_TOP, 1])
        hole = np.zeros((h, w), np.float32)
        cv2.ellipse(hole, (int(cx), int((top + lip_y + d) / 2)), (int(0.4 * mw), int(max(1, (lip_y + d - top) / 2))), 0, 0, 360, 1.0, -1)
        hole = cv2.GaussianBlur(hole, (0, 0), max(1.0, 0.01 * g.face_h))[..., None]
        ctx.person = ctx.person * (1 - 0.85 * hole) + np.array([40, 20, 22], np.float32) * 0.85 * hole
    map_x = xx
    map_y = yy - disp
    ctx.person = cv2.remap(ctx.person, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    ctx.alpha = cv2.remap(ctx.alpha, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


@register("expression", "open_mouth", "attire")
def open_mouth(ctx: RenderContext, drop: float = 0.12) -> None:
    """Jaw dropped, mouth open (talking / laughing)."""
    _jaw_warp(ctx, drop)


@register("expression", "close_mouth", "attire")
def close_mouth(ctx: RenderContext) -> None:
    """Close an open mouth by lifting the jaw by the current lip gap."""
    g = ctx.geom
    if g.landmarks is None:
        return
    gap = float(g.landmarks[LIP_INNER_BOTTOM, 1] - g.landmarks[LIP_INNER_TOP, 1]) / g.face_h
    if gap > 0.01:
        _jaw_warp(ctx, -gap)
