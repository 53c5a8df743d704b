"""Lighting family: directional relighting that follows the face geometry, hard cast shadows
(subject stage), and camera-stage under/over exposure, colour cast, backlight, mild exposure
jitter ("even", stays professional). All arithmetic is in linear light.
"""
from __future__ import annotations

import cv2
import numpy as np

from .base import RenderContext, register, to_linear, to_srgb

TINTS = {"green": (0.45, 1.0, 0.5), "blue": (0.45, 0.7, 1.0), "orange": (1.0, 0.62, 0.25), "magenta": (1.0, 0.45, 0.9)}


def face_luma(ctx: RenderContext, img: np.ndarray) -> float:
    x0, y0, x1, y1 = ctx.geom.box
    h, w = img.shape[:2]
    fx0, fx1 = int(max(0, x0 + 0.2 * (x1 - x0))), int(min(w, x1 - 0.2 * (x1 - x0)))
    fy0, fy1 = int(max(0, y0 + 0.35 * (y1 - y0))), int(min(h, y1 - 0.2 * (y1 - y0)))
    crop = img[fy0:fy1, fx0:fx1]
    if crop.size == 0:
        return 128.0
    return float((crop[..., 0] * 0.299 + crop[..., 1] * 0.587 + crop[..., 2] * 0.114).mean())


def normal_map(ctx: RenderContext, shape: tuple[int, int]) -> np.ndarray:
    """Surface normals: an ellipsoid for the head (rotated with the head's roll), a cylinder for the body."""
    h, w = shape
    g = ctx.geom
    cx, cy = g.center
    rx, ry = 0.55 * g.face_w, 0.62 * g.face_h
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.radians(g.roll)
    dx, dy = xx - cx, yy - cy
    u = (dx * np.cos(r) + dy * np.sin(r)) / rx
    v = (-dx * np.sin(r) + dy * np.cos(r)) / ry
    r2 = u * u + v * v
    inside = np.clip(1.4 - r2, 0, 1)  # smooth blend from head to body normals
    nz_head = np.sqrt(np.clip(1 - np.minimum(r2, 0.97), 0.03, 1))
    head = np.stack([u * (r2 < 1) + u / np.sqrt(r2 + 1e-6) * (r2 >= 1) * 0.97, v * (r2 < 1), nz_head], -1)
    bu = np.clip(dx / (2.6 * g.face_w), -0.97, 0.97)
    body = np.stack([bu, np.zeros_like(bu), np.sqrt(1 - bu * bu)], -1)
    n = head * inside[..., None] + body * (1 - inside[..., None])
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


@register("lighting", "directional", "subject_light")
def directional(ctx: RenderContext, azimuth: float, elevation: float, ambient: float, warmth: float = 0.0) -> None:
    """Side / split / top light without fill: Lambertian shading of a head-and-body normal map."""
    h, w = ctx.person.shape[:2]
    n = normal_map(ctx, (h, w))
    az, el = np.radians(azimuth), np.radians(elevation)
    light = np.array([np.sin(az) * np.cos(el), -np.sin(el), np.cos(az) * np.cos(el)], np.float32)
    shade = ambient + (1 - ambient) * np.clip(n @ light, 0, None)
    shade = cv2.GaussianBlur(shade, (0, 0), max(1.0, 0.03 * ctx.geom.face_h))
    shade = shade / max(1e-3, float(np.percentile(shade, 97)))
    tint = np.array([1 + warmth, 1.0, 1 - warmth], np.float32)
    lin = to_linear(ctx.person) * shade[..., None] * 1.15 * tint
    ctx.person = to_srgb(lin)


@register("lighting", "hard_shadow", "subject_light")
def hard_shadow(ctx: RenderContext, seed: int, depth: float, kind: str) -> None:
    """A hard-edged cast shadow over one side of the face (a door frame, blinds, a leaf)."""
    rng = np.random.default_rng(seed)
    h, w = ctx.person.shape[:2]
    g = ctx.geom
    cx, cy = g.nose
    m = np.zeros((h, w), np.float32)
    side = 1 if rng.random() < 0.5 else -1
    if kind == "diagonal":
        ang = np.radians(rng.uniform(-25, 25))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        m = (((xx - cx - side * 0.05 * g.face_w) * np.cos(ang) + (yy - cy) * np.sin(ang)) * side > 0).astype(np.float32)
    elif kind == "bars":
        period = max(4, int(g.face_h * rng.uniform(0.12, 0.2)))
        yy = np.arange(h)[:, None]
        m = np.broadcast_to(((yy // period) % 2).astype(np.float32), (h, w)).copy()
        xx = np.arange(w)[None, :]
        m *= ((xx - cx) * side > -0.1 * g.face_w)
    else:
        pts = []
        for k in range(9):
            a = 2 * np.pi * k / 9
            rr = g.face_w * rng.uniform(0.35, 0.6)
            pts.append([cx + side * 0.3 * g.face_w + rr * np.cos(a), cy + rr * 1.3 * np.sin(a)])
        cv2.fillPoly(m, [np.array(pts, np.int32)], 1.0)
    m = cv2.GaussianBlur(m, (0, 0), max(0.8, 0.006 * g.face_h))
    gain = 1 - (1 - depth) * m
    ctx.person = to_srgb(to_linear(ctx.person) * gain[..., None])


@register("lighting", "under", "camera_light")
def under(ctx: RenderContext, gain: float, gamma: float = 1.0, target_luma: float = 0.0) -> None:
    """Under-exposed: the whole frame dark and murky (adaptive to the face's own brightness)."""
    img = ctx.frame
    cur = max(1.0, face_luma(ctx, img))
    tgt = target_luma or 28 + 160 * gain  # gain 0.10-0.22 -> face luma about 44-63 at most
    tgt = min(tgt, 50.0)
    k = (to_linear(np.array([tgt]))[0] / max(1e-4, to_linear(np.array([cur]))[0]))
    lin = to_linear(img) * k
    ctx.frame = to_srgb(np.power(lin, gamma))


@register("lighting", "over", "camera_light")
def over(ctx: RenderContext, gain: float) -> None:
    """Over-exposed: blown skin and highlights."""
    img = ctx.frame
    cur = max(1.0, face_luma(ctx, img))
    k = max(gain, float(to_linear(np.array([238.0]))[0] / max(1e-4, to_linear(np.array([cur]))[0])))
    ctx.frame = to_srgb(to_linear(img) * k)


@register("lighting", "cast", "camera_light")
def cast(ctx: RenderContext, tint: str, amount: float) -> None:
    """A strong colour cast (fluorescent green, blue shade, orange tungsten, magenta)."""
    t = np.array(TINTS[tint], np.float32)
    mult = 1 - amount * (1 - t)
    mult = mult / (mult @ np.array([0.2126, 0.7152, 0.0722], np.float32))
    ctx.frame = to_srgb(to_linear(ctx.frame) * mult)


@register("lighting", "backlight", "camera_light")
def backlight(ctx: RenderContext, subject_gain: float, window: float) -> None:
    """Backlit: a bright window behind, the subject in shadow with a rim of light."""
    if ctx.out is None:
        return
    a = ctx.out_alpha[..., None]
    lin = to_linear(ctx.out)
    cur = max(1.0, face_luma(ctx, ctx.out))
    tgt = 25 + 100 * subject_gain
    k = to_linear(np.array([tgt]))[0] / max(1e-4, to_linear(np.array([cur]))[0])
    edge = np.clip(cv2.GaussianBlur(ctx.out_alpha, (0, 0), max(1.0, 0.02 * ctx.geom.face_h)) - ctx.out_alpha * 0.6, 0, 1)
    rim = 1 + 2.5 * edge[..., None]
    lin = lin * (a * k * rim + (1 - a) * window) + (1 - a) * 0.15
    ctx.out = to_srgb(lin)


@register("lighting", "even", "camera_light")
def even(ctx: RenderContext, exposure: float = 0.0) -> None:
    """Professional light kept: only a small exposure change (within about a sixth of a stop)."""
    ctx.frame = to_srgb(to_linear(ctx.frame) * (2.0 ** exposure))
