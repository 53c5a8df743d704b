"""Sharpness family: defocus, Gaussian and motion blur, heavy JPEG, pixelation, noise, low
resolution. Strengths scale with the face's height in pixels, so a blur reads the same on a
175 px official portrait and a 1024 px studio shot. Runs last, on the final-size frame (the
backend resizes first, so JPEG blocks stay on the stored 8x8 grid).
"""
from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from .base import RenderContext, register


@register("sharpness", "gaussian")
def gaussian(ctx: RenderContext, sigma_frac: float) -> None:
    """Soft focus."""
    ctx.frame = cv2.GaussianBlur(ctx.frame, (0, 0), max(1.2, sigma_frac * ctx.geom.face_h))


@register("sharpness", "defocus")
def defocus(ctx: RenderContext, radius_frac: float) -> None:
    """Lens defocus: a disk kernel (bokeh), not a Gaussian."""
    r = max(2, int(round(radius_frac * ctx.geom.face_h)))
    k = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    cv2.circle(k, (r, r), r, 1.0, -1)
    ctx.frame = cv2.filter2D(ctx.frame, -1, k / k.sum(), borderType=cv2.BORDER_REFLECT)


@register("sharpness", "motion")
def motion(ctx: RenderContext, length_frac: float, angle: float) -> None:
    """Camera shake: a line kernel, slightly curved like a real hand-held exposure."""
    n = max(5, int(round(length_frac * ctx.geom.face_h)))
    k = np.zeros((n, n), np.float32)
    t = np.linspace(-1, 1, 4 * n)
    xs = (n - 1) / 2 + t * (n - 1) / 2 * np.cos(np.radians(angle)) + 0.08 * n * t ** 2
    ys = (n - 1) / 2 + t * (n - 1) / 2 * np.sin(np.radians(angle))
    for x, y in zip(xs, ys):
        if 0 <= int(round(y)) < n and 0 <= int(round(x)) < n:
            k[int(round(y)), int(round(x))] += 1
    ctx.frame = cv2.filter2D(ctx.frame, -1, k / k.sum(), borderType=cv2.BORDER_REFLECT)


@register("sharpness", "jpeg")
def jpeg(ctx: RenderContext, quality: int) -> None:
    """Heavy JPEG compression (8x8 blocking, ringing)."""
    buf = io.BytesIO()
    Image.fromarray(np.clip(ctx.frame, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=int(quality))
    ctx.frame = np.asarray(Image.open(buf).convert("RGB")).astype(np.float32)


@register("sharpness", "pixelate")
def pixelate(ctx: RenderContext, face_px: int) -> None:
    """Pixelated: blocks as from a tiny image blown up with nearest-neighbour."""
    img = ctx.frame
    h, w = img.shape[:2]
    b = max(3, int(round(ctx.geom.face_h / face_px)))
    small = cv2.resize(img, (max(1, w // b), max(1, h // b)), interpolation=cv2.INTER_AREA)
    up = cv2.resize(small, (small.shape[1] * b, small.shape[0] * b), interpolation=cv2.INTER_NEAREST)
    out = img.copy()
    out[: up.shape[0], : up.shape[1]] = up
    ctx.frame = out


@register("sharpness", "noise")
def noise(ctx: RenderContext, sigma: float, chroma: float) -> None:
    """Strong sensor noise (high ISO): signal-dependent luminance noise plus chroma noise."""
    img = ctx.frame
    h, w = img.shape[:2]
    lum = ctx.rng.normal(0, 1, (h, w, 1)).astype(np.float32)
    col = ctx.rng.normal(0, 1, (h, w, 3)).astype(np.float32)
    level = sigma * (0.6 + 0.4 * np.sqrt(np.clip(img.mean(-1, keepdims=True), 1, 255) / 128.0))
    ctx.frame = img + level * (lum * (1 - chroma) + col * chroma)


@register("sharpness", "lowres")
def lowres(ctx: RenderContext, face_px: int) -> None:
    """Too few pixels: downscaled until the face is ``face_px`` tall, then upscaled (bicubic)."""
    img = ctx.frame
    h, w = img.shape[:2]
    s = min(1.0, face_px / ctx.geom.face_h)
    small = cv2.resize(img, (max(8, int(w * s)), max(8, int(h * s))), interpolation=cv2.INTER_AREA)
    ctx.frame = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


@register("sharpness", "smear")
def smear(ctx: RenderContext, noise: float, strength: float) -> None:
    """Low-light phone look: sensor noise, then heavy denoising that smears skin texture away
    (contract: no fine detail visible -> 0). Non-local means, as phone pipelines do."""
    img = ctx.frame
    h, w = img.shape[:2]
    noisy = img + ctx.rng.normal(0, noise, (h, w, 1)).astype(np.float32)
    u8 = np.clip(noisy, 0, 255).astype(np.uint8)
    ctx.frame = cv2.fastNlMeansDenoisingColored(u8, None, float(strength), float(strength), 7, 21).astype(np.float32)
