"""Expression family.

- ``open_mouth`` / ``close_mouth``: counterfactual previews only; g never uses them for labelled
  data, because a warped mouth is not a reliable label.
- ``sunglasses`` / ``face_mask``: occluders that g uses for labelled data. The contract makes
  expression 0 when the eyes are not visible (sunglasses) or a mask covers the face, whatever
  the face does underneath, so the label they inject is certain. Drawn on the base pixels
  (attire stage), so later light, framing and camera edits treat them like the rest of the face.
"""
from __future__ import annotations

import cv2
import numpy as np

from headshot.analysis import (CHIN, FACE_OVAL, LEFT_CHEEK, LEFT_EYE_BOTTOM, LEFT_EYE_INNER, LEFT_EYE_OUTER,
                               LEFT_EYE_TOP, LIP_INNER_BOTTOM, LIP_INNER_TOP, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP,
                               RIGHT_CHEEK, RIGHT_EYE_BOTTOM, RIGHT_EYE_INNER, RIGHT_EYE_OUTER, RIGHT_EYE_TOP)

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


def _blend(ctx: RenderContext, mask: np.ndarray, colour: np.ndarray, opacity: float) -> None:
    """Paint ``colour`` (HxWx3 or 3) through a soft 0-1 mask onto the person layer."""
    m = (mask * opacity)[..., None]
    ctx.person = ctx.person * (1 - m) + np.asarray(colour, np.float32) * m


@register("expression", "sunglasses", "attire")
def sunglasses(ctx: RenderContext, tint: tuple = (22, 22, 26), size: float = 1.3, shape: str = "round") -> None:
    """Dark lenses over both eyes with a bridge and temple arms (contract: eyes not visible -> 0)."""
    g = ctx.geom
    if g.landmarks is None:
        raise ValueError("sunglasses need face landmarks")
    lm = g.landmarks
    h, w = ctx.person.shape[:2]
    lens = np.zeros((h, w), np.float32)
    frame = np.zeros((h, w), np.float32)
    centres = []
    for outer, inner, top, bottom in ((RIGHT_EYE_OUTER, RIGHT_EYE_INNER, RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM),
                                      (LEFT_EYE_OUTER, LEFT_EYE_INNER, LEFT_EYE_TOP, LEFT_EYE_BOTTOM)):
        c = (lm[outer] + lm[inner]) / 2
        c[1] = (lm[top, 1] + lm[bottom, 1]) / 2 + 0.02 * g.face_h
        ew = float(np.hypot(*(lm[outer] - lm[inner])))
        ax = (int(max(2, 0.5 * size * ew * 1.4)), int(max(2, 0.5 * size * ew * (1.05 if shape == "round" else 0.9))))
        centres.append((c, ax))
        if shape == "round":
            cv2.ellipse(lens, (int(c[0]), int(c[1])), ax, g.roll, 0, 360, 1.0, -1)
        else:
            box = cv2.boxPoints(((float(c[0]), float(c[1])), (2.0 * ax[0], 2.0 * ax[1]), g.roll)).astype(np.int32)
            cv2.fillPoly(lens, [box], 1.0)
    t = max(1, int(0.012 * g.face_h))
    (c1, a1), (c2, a2) = centres
    near1 = c1 + np.sign(c2[0] - c1[0]) * np.array([a1[0], 0.0])
    near2 = c2 + np.sign(c1[0] - c2[0]) * np.array([a2[0], 0.0])
    cv2.line(frame, tuple(int(v) for v in near1), tuple(int(v) for v in near2), 1.0, t)
    for c, a, cheek in ((c1, a1, RIGHT_CHEEK), (c2, a2, LEFT_CHEEK)):
        far = c + np.sign(lm[cheek, 0] - c[0]) * np.array([a[0], 0.0])
        cv2.line(frame, tuple(int(v) for v in far), (int(lm[cheek, 0]), int(far[1])), 1.0, t)
    soft = max(0.6, 0.004 * g.face_h)
    lens = cv2.GaussianBlur(lens, (0, 0), soft)
    # a faint vertical gradient and a highlight keep the lenses from looking like flat holes
    yy = np.linspace(1.25, 0.8, h, dtype=np.float32)[:, None, None]
    _blend(ctx, lens, np.asarray(tint, np.float32) * yy, 0.96)
    _blend(ctx, cv2.GaussianBlur(frame, (0, 0), soft), np.asarray(tint, np.float32) * 0.6, 1.0)


@register("expression", "face_mask", "attire")
def face_mask(ctx: RenderContext, colour: tuple = (160, 195, 220), pleats: bool = True) -> None:
    """A surgical / cloth mask from the nose bridge to under the chin (contract: mask -> 0)."""
    g = ctx.geom
    if g.landmarks is None:
        raise ValueError("a face mask needs face landmarks")
    lm = g.landmarks
    h, w = ctx.person.shape[:2]
    eye_y = float(lm[[RIGHT_EYE_BOTTOM, LEFT_EYE_BOTTOM], 1].mean())
    top_y = eye_y + 0.45 * (float(lm[NOSE_TIP, 1]) - eye_y)
    oval = lm[list(FACE_OVAL)]
    pts = [p for p in oval if p[1] >= top_y]
    if len(pts) < 4:
        raise ValueError("face mask: too few face-outline points below the nose")
    pts = np.array(pts, np.float32)
    pts[:, 1] = np.maximum(pts[:, 1], top_y)
    cx = float(lm[NOSE_TIP, 0])
    ang = np.arctan2(pts[:, 1] - top_y, pts[:, 0] - cx)
    pts = pts[np.argsort(ang)]
    chin = lm[CHIN]
    poly = np.vstack([pts, [[chin[0], chin[1] + 0.04 * g.face_h]]])
    hull = cv2.convexHull(poly.astype(np.int32))
    m = np.zeros((h, w), np.float32)
    cv2.fillPoly(m, [hull], 1.0)
    soft = max(0.6, 0.005 * g.face_h)
    m = cv2.GaussianBlur(m, (0, 0), soft)
    # shading: the fabric follows the face's own light (luma of the covered skin, smoothed)
    luma = cv2.GaussianBlur(ctx.person.mean(axis=2), (0, 0), 0.08 * g.face_h)
    ref = float(np.median(luma[m > 0.5])) if (m > 0.5).any() else 128.0
    shade = np.clip(luma / max(ref, 1.0), 0.55, 1.3)[..., None]
    fabric = np.asarray(colour, np.float32) * shade
    if pleats:
        yy = np.arange(h, dtype=np.float32)[:, None]
        mid = (top_y + float(chin[1])) / 2
        for k in (-1, 0, 1):
            y = mid + k * 0.09 * g.face_h
            line = np.exp(-((yy - y) / max(1.0, 0.01 * g.face_h)) ** 2)
            fabric = fabric * (1 - 0.18 * line[..., None])
    _blend(ctx, m, fabric, 1.0)
    t = max(1, int(0.01 * g.face_h))
    loops = np.zeros((h, w), np.float32)
    for cheek in (RIGHT_CHEEK, LEFT_CHEEK):
        side = pts[np.argmin(np.abs(pts[:, 0] - lm[cheek, 0]))]
        cv2.line(loops, (int(side[0]), int(top_y)), (int(lm[cheek, 0]), int(lm[cheek, 1])), 1.0, t)
    _blend(ctx, cv2.GaussianBlur(loops, (0, 0), soft), np.asarray(colour, np.float32) * 0.9, 0.9)
