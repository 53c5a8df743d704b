"""Robust image input: every entry point turns its input into an RGB uint8 array here.

Accepts paths, bytes, file objects, PIL images and numpy arrays; applies EXIF orientation;
converts grey, RGBA, palette, CMYK and 16-bit images to RGB; refuses non-images, empty or
truncated files and decompression bombs with an :class:`ImageLoadError`.
"""
from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageLoadError

ImageInput = Union[str, os.PathLike, bytes, bytearray, io.IOBase, Image.Image, np.ndarray]


@dataclass(frozen=True)
class ImageLimits:
    """Why these numbers: 80 MP covers any phone or DSLR photo; anything larger is far more
    likely a decompression bomb than a portrait, and would need gigabytes to decode."""

    max_pixels: int = 80_000_000
    max_file_bytes: int = 200_000_000  # read no further: no portrait file needs 200 MB
    min_side: int = 32
    analysis_max_side: int = 1024  # larger photos are downscaled for analysis; detail above this is not needed


DEFAULT_LIMITS = ImageLimits()


def _describe(src: Any) -> str:
    if isinstance(src, (str, os.PathLike)):
        return os.fspath(src)
    return type(src).__name__


def _open_pil(src: Any, limits: ImageLimits) -> Image.Image:
    if isinstance(src, (str, os.PathLike)):
        path = Path(src)
        try:
            if not path.exists():
                raise ImageLoadError(f"{path}: file not found")
            if path.is_dir():
                raise ImageLoadError(f"{path}: is a folder, not an image")
            size = path.stat().st_size
            if size == 0:
                raise ImageLoadError(f"{path}: file is empty")
            if size > limits.max_file_bytes:
                raise ImageLoadError(f"{path}: file is {size / 1e6:.0f} MB, above the "
                                     f"{limits.max_file_bytes / 1e6:.0f} MB limit for one photo")
            data = path.read_bytes()
        except OSError as e:  # permissions, over-long names, I/O errors: one clear line, not a traceback
            raise ImageLoadError(f"{str(path)[:200]}: cannot read file ({e.strerror or e})") from None
    elif isinstance(src, (bytes, bytearray)):
        data = bytes(src)
    elif isinstance(src, io.IOBase) or hasattr(src, "read"):
        data = src.read()
    else:
        raise ImageLoadError(f"unsupported input type {type(src).__name__}")
    if not data:
        raise ImageLoadError(f"{_describe(src)}: no data (empty file)")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        old = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = limits.max_pixels
        try:
            img = Image.open(io.BytesIO(data))
            w, h = img.size
            if w * h > limits.max_pixels:
                raise ImageLoadError(
                    f"{_describe(src)}: image is {w}x{h} ({w * h / 1e6:.0f} MP), above the "
                    f"{limits.max_pixels / 1e6:.0f} MP limit (possible decompression bomb)"
                )
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise ImageLoadError(f"{_describe(src)}: refused, too many pixels ({e})") from None
        except UnidentifiedImageError:
            raise ImageLoadError(f"{_describe(src)}: not an image or an unsupported format") from None
        except (OSError, SyntaxError, ValueError) as e:
            raise ImageLoadError(f"{_describe(src)}: cannot decode image ({e})") from None
        finally:
            Image.MAX_IMAGE_PIXELS = old
    return img


def _array_to_rgb(arr: np.ndarray) -> np.ndarray:
    a = np.asarray(arr)
    if a.size == 0:
        raise ImageLoadError("array is empty")
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    elif a.dtype == np.uint16:
        a = (a >> 8).astype(np.uint8)
    elif np.issubdtype(a.dtype, np.floating):
        if not np.isfinite(a).all():
            raise ImageLoadError("array contains NaN or infinite values")
        # convention of skimage/PIL: float images are in [0, 1]; a float array beyond 1 is taken as 0-255
        scale = 255.0 if a.max() <= 1.0 else 1.0
        a = np.clip(a * scale, 0, 255).round().astype(np.uint8)
    elif a.dtype != np.uint8:
        # wider integers: 0-255 data stays as it is, 16-bit data is scaled by its range
        hi = 65535 if a.max() > 255 else 255
        a = (np.clip(a, 0, hi).astype(np.float64) * (255.0 / hi)).round().astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    elif a.ndim == 3 and a.shape[2] == 1:
        a = np.repeat(a, 3, axis=2)
    elif a.ndim == 3 and a.shape[2] == 4:
        a = _flatten_alpha(a)
    elif not (a.ndim == 3 and a.shape[2] == 3):
        raise ImageLoadError(f"array of shape {a.shape} is not an image (expected HxW, HxWx3 or HxWx4)")
    return np.ascontiguousarray(a)


def _flatten_alpha(rgba: np.ndarray) -> np.ndarray:
    """Composite transparency onto white, as a viewer would show it."""
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    rgb = rgba[..., :3].astype(np.float32) * alpha + 255.0 * (1 - alpha)
    return rgb.round().astype(np.uint8)


def _pil_to_rgb(img: Image.Image) -> np.ndarray:
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # broken EXIF must not make a readable image unreadable
        pass
    mode = img.mode
    if mode.startswith("I;16"):
        a = np.asarray(img, dtype=np.float64)
        return _array_to_rgb((a / 65535.0).astype(np.float32))  # the mode's bit depth, not the data's maximum
    if mode == "I":  # 32-bit integer: PNGs decode 16-bit grey into it
        a = np.asarray(img, dtype=np.float64)
        hi = 65535.0 if a.max() <= 65535 else float(a.max())
        return _array_to_rgb((a / hi).astype(np.float32))
    if mode == "F":
        a = np.asarray(img, dtype=np.float32)
        return _array_to_rgb(np.clip(a, 0, 255) / 255.0)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
        return _flatten_alpha(np.asarray(img.convert("RGBA")))
    return np.asarray(img.convert("RGB"))


def load_image(src: ImageInput, limits: ImageLimits = DEFAULT_LIMITS) -> np.ndarray:
    """Return the image as an HxWx3 uint8 RGB array, or raise :class:`ImageLoadError`."""
    if isinstance(src, np.ndarray):
        rgb = _array_to_rgb(src)
    elif isinstance(src, Image.Image):
        if src.size[0] * src.size[1] > limits.max_pixels:
            raise ImageLoadError(f"image is {src.size[0]}x{src.size[1]}, above the pixel limit")
        rgb = _pil_to_rgb(src)
    else:
        rgb = _pil_to_rgb(_open_pil(src, limits))
    h, w = rgb.shape[:2]
    if h * w > limits.max_pixels:
        raise ImageLoadError(f"image is {w}x{h}, above the {limits.max_pixels / 1e6:.0f} MP limit")
    if min(h, w) < limits.min_side:
        raise ImageLoadError(f"image is only {w}x{h} pixels; at least {limits.min_side} px per side is needed")
    return rgb


def fit_within(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Downscale so the long side is at most ``max_side``; return the image and the scale used."""
    h, w = rgb.shape[:2]
    s = max(h, w)
    if s <= max_side:
        return rgb, 1.0
    scale = max_side / s
    img = Image.fromarray(rgb).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)
    return np.asarray(img), scale
