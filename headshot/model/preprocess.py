"""Image preprocessing shared by training and inference: letterbox the WHOLE image, then resize.

No cropping anywhere: framing (face position, head cut off, shoulders in frame) and attire
(collar visible) depend on the image borders, so the model must see the full frame.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np
import torch


@dataclass(frozen=True)
class Preprocessing:
    image_size: int = 224
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    fill: int = 0  # letterbox padding grey level; black bars read as "image border", like a cut frame

    def to_dict(self) -> dict:
        return {**asdict(self), "method": "letterbox-whole-image-then-resize", "interpolation": "area"}

    @classmethod
    def from_dict(cls, d: dict) -> "Preprocessing":
        return cls(int(d["image_size"]), tuple(d["mean"]), tuple(d["std"]), int(d.get("fill", 0)))


def letterbox(img: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """Pad to a centred square with ``fill`` and resize to ``size`` x ``size`` (uint8 RGB in and out)."""
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    img = img[..., :3]
    h, w = img.shape[:2]
    s = max(h, w)
    canvas = np.full((s, s, 3), fill, np.uint8)
    y0, x0 = (s - h) // 2, (s - w) // 2
    canvas[y0:y0 + h, x0:x0 + w] = img
    interp = cv2.INTER_AREA if s > size else cv2.INTER_LINEAR
    return cv2.resize(canvas, (size, size), interpolation=interp)


def to_tensor(batch_uint8: np.ndarray, pre: Preprocessing) -> torch.Tensor:
    """(B, S, S, 3) uint8 -> normalised (B, 3, S, S) float32."""
    x = torch.from_numpy(np.array(batch_uint8, dtype=np.uint8, copy=True)).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor(pre.mean).view(1, 3, 1, 1)
    std = torch.tensor(pre.std).view(1, 3, 1, 1)
    return (x - mean) / std
