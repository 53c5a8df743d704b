"""Background family: composite the person onto a new backdrop, clean or distracting.

Every variant is composited (clean backdrops too), so matte edges and halo artefacts appear in
both classes and carry no label. Clean: plain, gradient, studio-textured, strongly defocused
scene or real photo (contract: "so defocused that no object can be recognised"). Distracting:
office/home clutter, outdoor scenes, text/logos/flags, busy patterns, other people's faces, and
real photographed scenes from ``dataset_builder.plates`` (lightly blurred at most).
"""
from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from .base import RenderContext, register

WORDS = ["OPEN", "SALE", "WELCOME", "EXIT", "COFFEE", "TEAM", "2024", "NEWS", "HOTEL", "CAFE", "MEETING",
         "BOOKS", "PARK", "OFFICE", "STOP", "MUSEUM", "BAR", "CITY", "PIZZA", "GYM", "ROOM 12", "LAB"]
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX,
         cv2.FONT_HERSHEY_PLAIN]


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; large sigmas run on a downscaled copy (same look, a fraction of the time)."""
    if sigma <= 0.3:
        return img
    h, w = img.shape[:2]
    if sigma < 8:
        return cv2.GaussianBlur(img, (0, 0), sigma)
    f = 4.0 / sigma
    small = cv2.resize(img, (max(4, int(w * f)), max(4, int(h * f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 4.0)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _rand_colour(rng: np.random.Generator, sat: Optional[float] = None) -> tuple[int, int, int]:
    hsv = np.uint8([[[rng.integers(0, 180), 255 * (sat if sat is not None else rng.uniform(0.2, 0.9)),
                      rng.integers(60, 250)]]])
    return tuple(int(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0])


def _gradient(h: int, w: int, c1, c2, direction: str) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if direction == "vertical":
        t = yy / max(1, h - 1)
    elif direction == "diagonal":
        t = (xx / max(1, w - 1) + yy / max(1, h - 1)) / 2
    else:  # radial: lighter behind the head, like a background light
        t = np.clip(np.hypot((xx - w / 2) / w, (yy - 0.4 * h) / h) * 1.6, 0, 1)
    c1, c2 = np.array(c1, np.float32), np.array(c2, np.float32)
    return c1 * (1 - t[..., None]) + c2 * t[..., None]


def _studio_texture(h: int, w: int, rng: np.random.Generator, amp: float) -> np.ndarray:
    """Mottled painted-canvas backdrop: a few octaves of smooth noise."""
    tex = np.zeros((h, w), np.float32)
    for cells, a in ((4, 1.0), (9, 0.5), (20, 0.25)):
        n = rng.normal(0, 1, (cells, max(2, int(cells * w / h)))).astype(np.float32)
        tex += a * cv2.resize(n, (w, h), interpolation=cv2.INTER_CUBIC)
    return tex / 1.75 * amp


def _wall(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    c = np.array(_rand_colour(rng, rng.uniform(0.05, 0.35)), np.float32)
    return _gradient(h, w, c, c * rng.uniform(0.6, 0.95), "diagonal")


def _shelf(img: np.ndarray, rng: np.random.Generator, x0: int, y0: int, x1: int, y1: int) -> None:
    h = y1 - y0
    wood = _rand_colour(rng, 0.5)
    rows = int(rng.integers(2, 5))
    for r in range(rows):
        yb = y0 + int((r + 1) * h / rows)
        cv2.rectangle(img, (x0, yb - max(3, h // 40)), (x1, yb), wood, -1)
        x = x0
        while x < x1 - 4:
            bw = int(rng.integers(max(3, (x1 - x0) // 40), max(5, (x1 - x0) // 12)))
            bh = int(rng.uniform(0.5, 0.9) * h / rows)
            if rng.random() < 0.15:
                x += bw * 2
                continue
            cv2.rectangle(img, (x, yb - max(3, h // 40) - bh), (x + bw, yb - max(3, h // 40)), _rand_colour(rng), -1)
            cv2.line(img, (x + bw, yb - bh), (x + bw, yb), (20, 20, 20), 1)
            x += bw + int(rng.integers(0, 3))
    cv2.rectangle(img, (x0, y0), (x1, y1), wood, max(2, h // 50))


def _clutter(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """An office / home interior: shelves with books, frames, a window, a screen, plants, a door."""
    img = _wall(h, w, rng)
    items = ["shelf", "frame", "window", "screen", "plant", "door", "lamp", "frame", "shelf", "plant", "frame", "shelf"]
    for k, item in enumerate(rng.permutation(items)[: int(rng.integers(7, 12))]):
        side = k % 2  # alternate left and right of the subject, where the backdrop shows
        x0 = int((rng.uniform(-0.15, 0.25) if side == 0 else rng.uniform(0.55, 0.85)) * w)
        y0 = int(rng.uniform(-0.1, 0.55) * h)
        bw, bh = int(rng.uniform(0.18, 0.4) * w), int(rng.uniform(0.2, 0.5) * h)
        x1, y1 = x0 + bw, y0 + bh
        if item == "shelf":
            _shelf(img, rng, x0, y0, x1, y1)
        elif item == "frame":
            cv2.rectangle(img, (x0, y0), (x0 + bw // 2, y0 + bh // 2), _rand_colour(rng, 0.2), -1)
            for _ in range(6):
                cx, cy = int(rng.uniform(x0, x0 + bw // 2)), int(rng.uniform(y0, y0 + bh // 2))
                cv2.circle(img, (cx, cy), int(rng.integers(3, max(4, bw // 8))), _rand_colour(rng), -1)
            cv2.rectangle(img, (x0, y0), (x0 + bw // 2, y0 + bh // 2), (30, 25, 20), max(2, bw // 30))
        elif item == "window":
            sky = np.array(_rand_colour(rng, 0.3), np.float32) * 0.4 + 150
            cv2.rectangle(img, (x0, y0), (x1, y1), tuple(float(c) for c in np.clip(sky, 0, 255)), -1)
            t = max(2, bw // 25)
            cv2.rectangle(img, (x0, y0), (x1, y1), (235, 235, 230), t * 2)
            cv2.line(img, ((x0 + x1) // 2, y0), ((x0 + x1) // 2, y1), (235, 235, 230), t)
            cv2.line(img, (x0, (y0 + y1) // 2), (x1, (y0 + y1) // 2), (235, 235, 230), t)
        elif item == "screen":
            cv2.rectangle(img, (x0, y0), (x1, y0 + bh // 2), (25, 25, 30), -1)
            cv2.rectangle(img, (x0 + 4, y0 + 4), (x1 - 4, y0 + bh // 2 - 4), _rand_colour(rng, 0.4), -1)
            for k in range(6):
                yy = y0 + 8 + k * max(4, bh // 16)
                cv2.line(img, (x0 + 8, yy), (x0 + int(bw * rng.uniform(0.3, 0.9)), yy), (240, 240, 240), 2)
        elif item == "plant":
            cv2.rectangle(img, (x0 + bw // 3, y1 - bh // 4), (x0 + 2 * bw // 3, y1), _rand_colour(rng, 0.5), -1)
            for _ in range(14):
                cx, cy = int(rng.normal(x0 + bw / 2, bw / 5)), int(rng.normal(y0 + bh / 2, bh / 5))
                g = (int(rng.integers(20, 70)), int(rng.integers(90, 170)), int(rng.integers(20, 70)))
                cv2.ellipse(img, (cx, cy), (max(3, bw // 10), max(2, bw // 22)), float(rng.uniform(0, 180)), 0, 360, g, -1)
        elif item == "door":
            cv2.rectangle(img, (x0, y0), (x0 + bw // 2, h), _rand_colour(rng, 0.3), -1)
            cv2.rectangle(img, (x0, y0), (x0 + bw // 2, h), (40, 35, 30), 3)
            cv2.circle(img, (x0 + bw // 2 - 10, y0 + (h - y0) // 2), 5, (200, 180, 60), -1)
        elif item == "lamp":
            cv2.line(img, (x0, y1), (x0, y0 + bh // 4), (50, 50, 50), max(2, bw // 40))
            cv2.ellipse(img, (x0, y0 + bh // 4), (bw // 5, bh // 8), 0, 180, 360, (250, 240, 200), -1)
    return img


def _scene(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """An outdoor street / campus: sky, buildings with windows, trees, a road."""
    sky = _gradient(h, w, (120 + rng.integers(0, 60), 160 + rng.integers(0, 50), 220), (225, 230, 240), "vertical")
    img = sky.copy()
    horizon = int(h * rng.uniform(0.45, 0.7))
    x = int(-rng.uniform(0, 0.1) * w)
    while x < w:
        bw = int(rng.uniform(0.12, 0.35) * w)
        top = int(rng.uniform(0.05, 0.45) * h)
        c = _rand_colour(rng, rng.uniform(0.05, 0.4))
        cv2.rectangle(img, (x, top), (x + bw, horizon), c, -1)
        wc = (40, 50, 70) if rng.random() < 0.6 else (230, 220, 170)
        step = max(6, bw // 6)
        for wy in range(top + step // 2, horizon - step, step):
            for wx in range(x + step // 3, x + bw - step // 2, step):
                cv2.rectangle(img, (wx, wy), (wx + step // 2, wy + step // 2), wc, -1)
        x += bw + int(rng.integers(0, max(2, w // 20)))
    cv2.rectangle(img, (0, horizon), (w, h), (95, 95, 100), -1)
    for _ in range(int(rng.integers(2, 6))):
        cx, cy = int(rng.uniform(0, w)), int(rng.uniform(0.3, 0.7) * h)
        r = int(rng.uniform(0.06, 0.14) * w)
        cv2.line(img, (cx, cy), (cx, horizon + r // 3), (70, 50, 30), max(2, r // 6))
        for _ in range(8):
            g = (int(rng.integers(30, 80)), int(rng.integers(100, 160)), int(rng.integers(30, 70)))
            cv2.circle(img, (int(rng.normal(cx, r / 2)), int(rng.normal(cy - r / 2, r / 3))), int(r * rng.uniform(0.3, 0.6)), g, -1)
    for _ in range(int(rng.integers(0, 3))):
        cx = int(rng.uniform(0, w))
        cv2.rectangle(img, (cx, horizon + h // 20), (cx + w // 5, horizon + h // 9), _rand_colour(rng, 0.7), -1)
    return img


def _text(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A wall with posters, signs, logos and a flag."""
    img = _wall(h, w, rng)
    for _ in range(int(rng.integers(3, 7))):
        x0, y0 = int(rng.uniform(-0.1, 0.8) * w), int(rng.uniform(-0.05, 0.7) * h)
        bw, bh = int(rng.uniform(0.2, 0.45) * w), int(rng.uniform(0.12, 0.35) * h)
        kind = rng.choice(["poster", "logo", "flag", "sign"])
        if kind == "flag":
            n = int(rng.integers(3, 14))
            cols = [_rand_colour(rng, 0.9), (245, 245, 245)]
            for k in range(n):
                cv2.rectangle(img, (x0, y0 + k * bh // n), (x0 + bw, y0 + (k + 1) * bh // n), cols[k % 2], -1)
            cv2.rectangle(img, (x0, y0), (x0 + bw // 2, y0 + bh // 2), _rand_colour(rng, 0.9), -1)
            continue
        bg = _rand_colour(rng, rng.uniform(0.0, 0.9))
        cv2.rectangle(img, (x0, y0), (x0 + bw, y0 + bh), bg, -1)
        fg = tuple(255 - c for c in bg)
        if kind == "logo":
            cv2.circle(img, (x0 + bw // 2, y0 + bh // 2), max(4, min(bw, bh) // 3), _rand_colour(rng, 0.9), -1)
            pts = np.array([[x0 + bw // 2, y0 + bh // 6], [x0 + bw // 5, y0 + 5 * bh // 6], [x0 + 4 * bw // 5, y0 + 5 * bh // 6]], np.int32)
            cv2.fillPoly(img, [pts], fg)
        lines = 1 if kind != "poster" else int(rng.integers(2, 4))
        for k in range(lines):
            word = str(rng.choice(WORDS))
            font = FONTS[int(rng.integers(len(FONTS)))]
            scale = max(0.4, bh / lines / 32.0)
            (tw, th), _ = cv2.getTextSize(word, font, scale, 2)
            scale *= min(1.0, 0.9 * bw / max(1, tw))
            cv2.putText(img, word, (x0 + 4, y0 + int((k + 0.8) * bh / lines)), font, scale, fg, max(1, int(scale * 2)), cv2.LINE_AA)
    return img


def _pattern(h: int, w: int, rng: np.random.Generator, kind: str) -> np.ndarray:
    c1, c2 = np.array(_rand_colour(rng, 0.8), np.float32), np.array(_rand_colour(rng, 0.3), np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    p = max(6.0, w / rng.uniform(8, 20))
    ang = rng.uniform(0, np.pi)
    u = xx * np.cos(ang) + yy * np.sin(ang)
    v = -xx * np.sin(ang) + yy * np.cos(ang)
    if kind == "stripes":
        m = (u // p) % 2
    elif kind == "checks":
        m = ((u // p) + (v // p)) % 2
    elif kind == "zigzag":
        m = ((v + np.abs((u % (2 * p)) - p)) // p) % 2
    else:  # dots
        m = ((((u % p) - p / 2) ** 2 + ((v % p) - p / 2) ** 2) < (p / 3) ** 2).astype(np.float32)
    return c1 * m[..., None] + c2 * (1 - m[..., None])


def _paste_faces(bg: np.ndarray, ctx: RenderContext, rng: np.random.Generator) -> None:
    """Paste another person's face beside the subject, where the subject's matte leaves room."""
    if ctx.donor is None:
        return
    h, w = bg.shape[:2]
    g = ctx.geom
    alpha = ctx.alpha
    for side in rng.permutation([-1, 1])[: int(rng.integers(1, 3))]:
        fh = int(g.face_h * rng.uniform(0.55, 0.85) * 1.5)  # donor crop holds the face plus some hair
        d = cv2.resize(ctx.donor, (max(8, int(fh * ctx.donor.shape[1] / ctx.donor.shape[0])), max(8, fh)))
        dh, dw = d.shape[:2]
        cx = int(g.center[0] + side * (g.face_w * rng.uniform(1.4, 2.0)))
        cy = int(g.center[1] + rng.uniform(-0.3, 0.3) * g.face_h)
        x0, y0 = cx - dw // 2, cy - dh // 2
        xs0, ys0, xs1, ys1 = max(0, x0), max(0, y0), min(w, x0 + dw), min(h, y0 + dh)
        if xs1 - xs0 < dw * 0.7 or ys1 - ys0 < dh * 0.7:
            continue
        region = alpha[ys0:ys1, xs0:xs1]
        if region.mean() > 0.35:
            continue
        m = np.zeros((dh, dw), np.float32)
        cv2.ellipse(m, (dw // 2, dh // 2), (int(dw * 0.46), int(dh * 0.48)), 0, 0, 360, 1.0, -1)
        m = cv2.GaussianBlur(m, (0, 0), max(1.0, dw * 0.03))[..., None]
        patch = d[ys0 - y0:ys1 - y0, xs0 - x0:xs1 - x0].astype(np.float32)
        mm = m[ys0 - y0:ys1 - y0, xs0 - x0:xs1 - x0]
        bg[ys0:ys1, xs0:xs1] = patch * mm + bg[ys0:ys1, xs0:xs1] * (1 - mm)
        ctx.log.append(f"pasted a face at x={cx}")


def make_backdrop(op: str, h: int, w: int, params: dict, ctx: Optional[RenderContext] = None) -> np.ndarray:
    rng = np.random.default_rng(params.get("seed", 0))
    if op == "plain":
        bg = np.broadcast_to(np.array(params["colour"], np.float32), (h, w, 3)).copy()
        bg = bg * (1 - 0.08 * _gradient(h, w, (0, 0, 0), (1, 1, 1), "radial")[..., :1])
    elif op == "gradient":
        bg = _gradient(h, w, params["colour"], params["colour2"], params.get("direction", "vertical"))
    elif op == "studio":
        bg = _gradient(h, w, params["colour"], params["colour2"], "radial")
        bg += _studio_texture(h, w, rng, 9.0)[..., None]
    elif op == "defocus":
        bg = _clutter(h, w, rng) if params.get("scene") == "clutter" else _scene(h, w, rng)
        bg = _blur(bg, params.get("sigma_frac", 0.09) * max(h, w))
    elif op == "clutter":
        bg = _clutter(h, w, rng)
    elif op == "scene":
        bg = _scene(h, w, rng)
    elif op == "text":
        bg = _text(h, w, rng)
    elif op == "pattern":
        bg = _pattern(h, w, rng, params.get("kind", "stripes"))
    elif op in ("photo", "photo_defocus"):
        from ..plates import render_plate

        bg = render_plate(params["plate"], h, w, rng, zoom=params.get("zoom", 1.0), flip=params.get("flip", False),
                          tint=params.get("tint"))
        if op == "photo_defocus":
            bg = _blur(bg, params.get("sigma_frac", 0.09) * max(h, w))
    elif op == "faces":
        bg = _clutter(h, w, rng) if rng.random() < 0.6 else _wall(h, w, rng)
        if ctx is not None:
            _paste_faces(bg, ctx, rng)
    else:
        raise KeyError(f"unknown backdrop {op!r}")
    if params.get("blur_sigma", 0) > 0.3:
        bg = _blur(bg, params["blur_sigma"] * max(h, w) / 400)
    bg = bg + rng.normal(0, 1.6, (h, w, 1)).astype(np.float32)  # sensor grain, so no backdrop is too clean
    return np.clip(bg, 0, 255).astype(np.float32)


def composite(ctx: RenderContext, bg: np.ndarray) -> None:
    a = ctx.alpha[..., None]
    ctx.out = ctx.person * a + bg * (1 - a)
    ctx.out_alpha = ctx.alpha


def _make_op(name: str):
    def op(ctx: RenderContext, **params) -> None:
        h, w = ctx.person.shape[:2]
        composite(ctx, make_backdrop(name, h, w, params, ctx))
    op.__doc__ = f"Composite the person onto a {name} backdrop."
    return op


for _name in ("plain", "gradient", "studio", "defocus", "clutter", "scene", "text", "pattern", "faces", "photo",
              "photo_defocus"):
    register("background", _name)(_make_op(_name))


@register("background", "keep")
def keep(ctx: RenderContext) -> None:
    """Keep the photo's own background (counterfactual edits of other attributes)."""
    ctx.out = ctx.person.copy()
    ctx.out_alpha = ctx.alpha
