"""Test helpers: bad files the loader and the CLI must refuse (made here, never real photos)."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def png_bytes(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes(rgb: np.ndarray, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb's header)."""
    data = png_bytes(np.zeros((8, 8, 3), np.uint8))
    assert data[12:16] == b"IHDR"
    ihdr = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(ihdr) & 0xFFFFFFFF)
    return data[:12] + ihdr + crc + data[33:]


def truncated_jpeg(rgb: np.ndarray) -> bytes:
    data = jpeg_bytes(rgb)
    return data[: len(data) // 3]


def write_bad_files(folder: Path, rgb: np.ndarray) -> dict[str, Path]:
    """Every kind of bad input the project must refuse with a one-line error."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "not_image": folder / "notes.jpg",
        "empty": folder / "empty.jpg",
        "truncated": folder / "truncated.jpg",
        "bomb": folder / "bomb.png",
    }
    files["not_image"].write_text("this is a text file, not a photo\n" * 20)
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(truncated_jpeg(rgb))
    files["bomb"].write_bytes(bomb_png())
    return files
