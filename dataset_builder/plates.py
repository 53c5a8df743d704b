"""Real-photo background plates: scenes that ship inside installed packages (scikit-image,
scikit-learn), as a registry.

Why: the drawn backdrops (shelves, streets, posters) teach what clutter *is*, but not what a
real photographed scene looks like; a model trained on them alone passes real outdoor and
office backgrounds. These plates are real photographs whose objects stay recognisable
(contract: background 0), or, blurred until nothing can be recognised, clean (background 1).
Each entry may name a crop that holds no face, because another face would also change framing.
The astronaut is deliberately absent: it is one of the real dev photos.
Nothing here is written into the repository; the plates are read from the packages at build time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

import cv2
import numpy as np


@dataclass(frozen=True)
class Plate:
    name: str
    load: Callable[[], np.ndarray]
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # x0, y0, x1, y1 as fractions
    doc: str = ""


PLATES: dict[str, Plate] = {}


def register_plate(name: str, crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0), doc: str = ""):
    def deco(fn: Callable[[], np.ndarray]) -> Callable[[], np.ndarray]:
        PLATES[name] = Plate(name, fn, crop, doc)
        return fn

    return deco


def _skimage(name: str) -> np.ndarray:
    import skimage.data

    return getattr(skimage.data, name)()


def _sklearn(name: str) -> np.ndarray:
    from sklearn.datasets import load_sample_image

    return load_sample_image(name)


register_plate("coffee", doc="cup on a table")(lambda: _skimage("coffee"))
register_plate("chelsea", doc="cat on a rug")(lambda: _skimage("chelsea"))
register_plate("rocket", doc="launch pad, outdoor")(lambda: _skimage("rocket"))
register_plate("motorcycle", doc="motorcycle in a workshop")(lambda: _skimage("stereo_motorcycle")[0])
register_plate("coins", doc="rows of coins")(lambda: _skimage("coins"))
register_plate("brick", doc="brick wall")(lambda: _skimage("brick"))
register_plate("gravel", doc="gravel texture")(lambda: _skimage("gravel"))
register_plate("page", doc="printed text")(lambda: _skimage("page"))
register_plate("hubble", doc="star field, high-contrast points")(lambda: _skimage("hubble_deep_field"))
register_plate("china", doc="temple building, outdoor")(lambda: _sklearn("china.jpg"))
register_plate("flower", doc="flowers, saturated")(lambda: _sklearn("flower.jpg"))


@lru_cache(maxsize=None)
def plate_image(name: str) -> np.ndarray:
    """The plate as an RGB uint8 array, cropped to its face-free part (cached per process)."""
    p = PLATES[name]
    img = np.asarray(p.load())
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    img = img[..., :3]
    if img.dtype != np.uint8:
        img = (255 * (img.astype(np.float32) / max(1.0, float(img.max())))).astype(np.uint8)
    h, w = img.shape[:2]
    x0, y0, x1, y1 = p.crop
    return np.ascontiguousarray(img[int(y0 * h):int(y1 * h), int(x0 * w):int(x1 * w)])


def available_plates() -> list[str]:
    """Plates whose package is installed (a missing package drops its plates, never the build)."""
    out = []
    for name in sorted(PLATES):
        try:
            plate_image(name)
        except Exception:  # package or file missing: that plate is simply not offered
            continue
        out.append(name)
    return out


CROP_TRIES = 4


def crop_detail(img: np.ndarray) -> float:
    """Mean absolute Laplacian of the grey crop at 128 px: how much recognisable structure it holds."""
    g = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2GRAY)
    g = cv2.resize(g, (128, 128), interpolation=cv2.INTER_AREA)
    return float(np.abs(cv2.Laplacian(g.astype(np.float32), cv2.CV_32F)).mean())


def render_plate(name: str, h: int, w: int, rng: np.random.Generator, zoom: float = 1.0,
                 flip: bool = False, tint: Optional[tuple[float, float, float]] = None) -> np.ndarray:
    """Cover an ``h`` x ``w`` canvas with a random crop of the plate (float32 0-255), the most
    detailed of ``CROP_TRIES`` draws."""
    img = plate_image(name)
    ph, pw = img.shape[:2]
    s = max(h / ph, w / pw) * max(1.0, zoom)
    rw, rh = max(w, int(round(pw * s))), max(h, int(round(ph * s)))
    big = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_CUBIC if s > 1 else cv2.INTER_AREA)
    # of a few random crops keep the most detailed one: a crop of empty sky would be a clean
    # backdrop under a "distracting" label
    best, best_detail = None, -1.0
    for _ in range(CROP_TRIES):
        x0 = int(rng.integers(0, rw - w + 1))
        y0 = int(rng.integers(0, rh - h + 1))
        crop = big[y0:y0 + h, x0:x0 + w]
        detail = crop_detail(crop)
        if detail > best_detail:
            best, best_detail = crop, detail
    out = best.astype(np.float32)
    if flip:
        out = out[:, ::-1]
    if tint is not None:
        out = out * np.asarray(tint, np.float32)
    return np.ascontiguousarray(out)


__all__ = ["Plate", "PLATES", "register_plate", "plate_image", "available_plates", "render_plate", "crop_detail"]
