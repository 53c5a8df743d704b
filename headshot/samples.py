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


def side_lit(img: np.ndarray, strength: float = 0.85) -> np.ndarray:
    """Darken the image progressively from one side: split light with no fill."""
    h, w = img.shape[:2]
    ramp = np.linspace(1.0 - strength, 1.0, w, dtype=np.float32)[None, :, None]
    return np.clip(img.astype(np.float32) * ramp, 0, 255).astype(np.uint8)


def shifted(img: np.ndarray, frac: float = 0.3) -> np.ndarray:
    """Move the subject sideways by ``frac`` of the width, filling with the edge colour."""
    h, w = img.shape[:2]
    m = np.float32([[1, 0, frac * w], [0, 1, 0]])
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def write_sample(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(astronaut(), cv2.COLOR_RGB2BGR))
    return path
