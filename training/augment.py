"""Label-preserving augmentations, as a registry. Each one knows which labels it must not touch.

No crops or shifts (framing and attire depend on the borders), horizontal flip only (a left/right
lighting imbalance stays an imbalance, centring is symmetric), small global brightness/contrast
(well inside the contract's exposure limits), and blur only on images already labelled unsharp.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES

SHARP = ATTRIBUTE_NAMES.index("sharpness")
AugFn = Callable[[np.ndarray, np.ndarray, np.random.Generator, float], np.ndarray]
AUGMENTS: dict[str, AugFn] = {}


def register_augment(name: str) -> Callable[[AugFn], AugFn]:
    def deco(fn: AugFn) -> AugFn:
        AUGMENTS[name] = fn
        return fn

    return deco


@register_augment("hflip")
def hflip(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator, p: float) -> np.ndarray:
    return img[:, ::-1].copy() if rng.random() < p else img


@register_augment("brightness")
def brightness(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    f = 1.0 + rng.uniform(-amount, amount)
    return np.clip(img.astype(np.float32) * f, 0, 255).astype(np.uint8)


@register_augment("contrast")
def contrast(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    f = 1.0 + rng.uniform(-amount, amount)
    m = img.mean()
    return np.clip((img.astype(np.float32) - m) * f + m, 0, 255).astype(np.uint8)


@register_augment("blur_if_unsharp")
def blur_if_unsharp(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator, p: float) -> np.ndarray:
    if labels[SHARP] != 0 or rng.random() >= p:
        return img  # never blur an image whose sharpness label is 1
    return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))


def augment(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator, cfg: dict[str, float]) -> np.ndarray:
    for name, amount in cfg.items():
        if name not in AUGMENTS:
            raise ValueError(f"unknown augmentation {name!r}; known: {sorted(AUGMENTS)}")
        if amount:
            img = AUGMENTS[name](img, labels, rng, float(amount))
    return img
