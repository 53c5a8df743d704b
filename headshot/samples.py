"""Sample portraits the project makes itself from images that ship inside packages.

``skimage.data.astronaut()`` is NASA's public-domain portrait of Eileen Collins; the
variants below are derived from it, so they can be committed, shown in the app and used in
tests (no image from shared/data ever is).
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def blurred(img: np.ndarray, sigma: float = 4.0) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def side_lit(img: np.ndarray, strength: float = 0.85, center_x: float | None = None, softness: float = 0.03,
             dark_side: str = "left") -> np.ndarray:
    """Split light with no fill: one side of ``center_x`` (the face's midline) keeps only ``1 - strength``.

    A smooth step across ``softness`` of the width, so the shadow edge falls on the nose as with a
    single side light; ``center_x`` defaults to the image centre.
    """
    h, w = img.shape[:2]
    cx = w / 2 if center_x is None else float(center_x)
    x = (np.arange(w, dtype=np.float32) - cx) / max(1.0, softness * w)
    step = 1.0 / (1.0 + np.exp(-x))  # 0 left of the midline, 1 right of it
    if dark_side == "right":
        step = 1.0 - step
    gain = (1.0 - strength) + strength * step
    return np.clip(img.astype(np.float32) * gain[None, :, None], 0, 255).astype(np.uint8)


def darkened(img: np.ndarray, gain: float = 0.3) -> np.ndarray:
    """Under-exposure: every pixel value scaled by ``gain``."""
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def shifted(img: np.ndarray, frac: float = 0.3) -> np.ndarray:
    """Move the subject sideways by ``frac`` of the width, filling with the edge colour."""
    h, w = img.shape[:2]
    m = np.float32([[1, 0, frac * w], [0, 1, 0]])
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def noisy(img: np.ndarray, sigma: float = 25.0, seed: int = 0) -> np.ndarray:
    """Strong sensor noise: additive Gaussian, ``sigma`` grey levels."""
    rng = np.random.default_rng(seed)
    return np.clip(img.astype(np.float32) + rng.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def jpeg_blocked(img: np.ndarray, quality: int = 5) -> np.ndarray:
    """Heavy JPEG compression: visible 8x8 blocks."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def downscaled(img: np.ndarray, factor: float = 0.25) -> np.ndarray:
    """Fewer pixels on the face (the same framing): too little resolution for detail."""
    h, w = img.shape[:2]
    return cv2.resize(img, (max(1, round(w * factor)), max(1, round(h * factor))), interpolation=cv2.INTER_AREA)


def padded(img: np.ndarray, factor: float = 3.0, colour: tuple[int, int, int] = (128, 128, 128)) -> np.ndarray:
    """The same photo in the middle of a ``factor`` times larger plain canvas: the face becomes tiny in the frame."""
    h, w = img.shape[:2]
    H, W = round(h * factor), round(w * factor)
    out = np.empty((H, W, 3), np.uint8)
    out[:] = colour
    y, x = (H - h) // 2, (W - w) // 2
    out[y:y + h, x:x + w] = img
    return out


def two_faces(img: np.ndarray) -> np.ndarray:
    """The portrait beside its mirror image: two people in one frame."""
    return np.ascontiguousarray(np.hstack([img, img[:, ::-1]]))


def cluttered(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """A busy background: many saturated, high-contrast rectangles, lines and circles."""
    h, w = shape
    rng = np.random.default_rng(seed)
    out = np.full((h, w, 3), 200, np.uint8)
    for _ in range(int(h * w / 1500)):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        kind = rng.integers(0, 3)
        if kind == 0:
            cv2.rectangle(out, (x, y), (x + int(rng.integers(5, 40)), y + int(rng.integers(5, 40))), colour, -1)
        elif kind == 1:
            cv2.line(out, (x, y), (int(rng.integers(0, w)), int(rng.integers(0, h))), colour, int(rng.integers(1, 4)))
        else:
            cv2.circle(out, (x, y), int(rng.integers(3, 20)), colour, 2)
    return out


def plain(shape: tuple[int, int], colour: tuple[int, int, int] = (150, 150, 155)) -> np.ndarray:
    """A studio backdrop: one flat colour."""
    out = np.empty((*shape, 3), np.uint8)
    out[:] = colour
    return out


def on_background(img: np.ndarray, person_mask: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Paste the person (soft mask, HxW in [0, 1]) onto ``background`` of the same size."""
    m = np.clip(person_mask.astype(np.float32), 0, 1)[..., None]
    return (img.astype(np.float32) * m + background.astype(np.float32) * (1 - m)).round().astype(np.uint8)


def write_sample(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(astronaut(), cv2.COLOR_RGB2BGR))
    return path
