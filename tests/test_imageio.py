"""Robust image input: every accepted form gives the same RGB array; every bad input a clear ImageLoadError."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from headshot.errors import HeadshotError, ImageLoadError
from headshot.imageio import ImageLimits, fit_within, load_image

from tests.helpers import bomb_png, jpeg_bytes, png_bytes, truncated_jpeg


@pytest.fixture(scope="module")
def small(astronaut) -> np.ndarray:
    return np.ascontiguousarray(astronaut[::4, ::4])  # 128x128: fast to encode


def test_all_input_forms_agree(small, tmp_path):
    data = png_bytes(small)
    path = tmp_path / "a.png"
    path.write_bytes(data)
    forms = [path, str(path), data, bytearray(data), io.BytesIO(data), Image.open(io.BytesIO(data)), small]
    for src in forms:
        out = load_image(src)
        assert out.dtype == np.uint8 and out.shape == small.shape, type(src)
        np.testing.assert_array_equal(out, small)


def test_exif_orientation_is_applied(small):
    # orientation 6: the camera was turned; viewers rotate 90 degrees clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    Image.fromarray(small[:, :100]).save(buf, format="PNG", exif=exif)
    out = load_image(buf.getvalue())
    assert out.shape == (100, 128, 3)
    np.testing.assert_array_equal(out, np.rot90(small[:, :100], k=-1))


def test_grey_palette_rgba_cmyk_16bit_become_rgb(small):
    grey = np.asarray(Image.fromarray(small).convert("L"))
    out = load_image(grey)
    assert out.shape == (*grey.shape, 3) and (out[..., 0] == out[..., 2]).all()

    pal = Image.fromarray(small).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    out = load_image(png_bytes_of(pal))
    assert out.shape == small.shape and np.abs(out.astype(int) - small).mean() < 12

    rgba = np.dstack([small, np.full(small.shape[:2], 255, np.uint8)])
    rgba[:10, :10, 3] = 0  # transparent corner is composited onto white
    out = load_image(png_bytes_of(Image.fromarray(rgba, "RGBA")))
    assert (out[:10, :10] == 255).all()
    np.testing.assert_array_equal(out[20:, 20:], small[20:, 20:])

    buf = io.BytesIO()
    Image.fromarray(small).convert("CMYK").save(buf, format="JPEG", quality=95)
    out = load_image(buf.getvalue())
    assert out.shape == small.shape and np.abs(out.astype(int) - small).mean() < 15

    g16 = (grey.astype(np.uint16) * 257)
    out = load_image(png_bytes_of(Image.fromarray(g16)))
    assert out.shape == (*grey.shape, 3)
    assert np.abs(out[..., 0].astype(int) - grey).max() <= 1


def png_bytes_of(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_numpy_dtypes(small):
    np.testing.assert_array_equal(load_image(small.astype(np.float32) / 255.0), small)
    np.testing.assert_array_equal(load_image(small.astype(np.uint16) * 257), small)
    out = load_image(np.ones((40, 50), bool))
    assert out.shape == (40, 50, 3) and (out == 255).all()
    assert load_image(small[..., :1]).shape == small.shape


@pytest.mark.parametrize("make, words", [
    (lambda s: b"", "empty"),
    (lambda s: b"GIF89a is not enough" * 3, "not an image"),
    (lambda s: "plain text, not a photo".encode() * 10, "not an image"),
    (truncated_jpeg, "cannot decode"),
    (lambda s: bomb_png(), "decompression bomb"),
])
def test_bad_bytes_are_refused_in_one_line(small, make, words):
    with pytest.raises(ImageLoadError) as e:
        load_image(make(small))
    msg = str(e.value)
    assert words in msg and "\n" not in msg
    assert isinstance(e.value, HeadshotError)


def test_bad_paths_are_refused(tmp_path, small):
    cases = {tmp_path / "missing.jpg": "not found", tmp_path: "folder"}
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    cases[empty] = "empty"
    trunc = tmp_path / "cut.jpg"
    trunc.write_bytes(truncated_jpeg(small))
    cases[trunc] = "cannot decode"
    for path, words in cases.items():
        with pytest.raises(ImageLoadError, match=words) as e:
            load_image(path)
        assert str(path) in str(e.value) and "\n" not in str(e.value)


def test_large_but_cheap_image_is_refused():
    # an honest image above the pixel limit (limit lowered so the test stays small)
    limits = ImageLimits(max_pixels=1_000_000)
    data = png_bytes(np.zeros((1100, 1000, 3), np.uint8))
    with pytest.raises(ImageLoadError, match="limit"):
        load_image(data, limits)
    with pytest.raises(ImageLoadError, match="limit"):
        load_image(Image.new("RGB", (1100, 1000)), limits)
    assert load_image(data[:], ImageLimits(max_pixels=2_000_000)).shape == (1100, 1000, 3)


def test_bad_arrays_and_types():
    with pytest.raises(ImageLoadError, match="NaN"):
        load_image(np.full((40, 40, 3), np.nan, np.float32))
    with pytest.raises(ImageLoadError, match="shape"):
        load_image(np.zeros((40, 40, 5), np.uint8))
    with pytest.raises(ImageLoadError, match="empty"):
        load_image(np.zeros((0, 40, 3), np.uint8))
    with pytest.raises(ImageLoadError, match="at least"):
        load_image(np.zeros((10, 400, 3), np.uint8))
    with pytest.raises(ImageLoadError, match="unsupported"):
        load_image(12345)  # type: ignore[arg-type]


def test_fit_within_downscales_large_photos(small):
    big = np.zeros((3000, 2000, 3), np.uint8)
    out, scale = fit_within(big, 1024)
    assert out.shape == (1024, 683, 3) and scale == pytest.approx(1024 / 3000)
    out, scale = fit_within(small, 1024)
    assert out is small and scale == 1.0


def test_jpeg_roundtrip_is_close(small):
    out = load_image(jpeg_bytes(small, quality=95))
    assert np.abs(out.astype(int) - small).mean() < 4


def test_sixteen_bit_scaled_by_bit_depth_not_by_data(tmp_path):
    """A dark 16-bit PNG (values <= 255 of 65535) must stay dark, not be read as 8-bit."""
    dark = np.full((64, 64), 200, np.uint16)
    p = tmp_path / "dark16.png"
    Image.fromarray(dark).save(p)
    assert load_image(p).mean() < 2
    mid = np.full((64, 64), 32768, np.uint16)
    Image.fromarray(mid).save(p)
    assert 120 < load_image(p).mean() < 135
    wide = np.random.default_rng(0).integers(0, 65536, (64, 64, 3)).astype(np.int64)
    assert 110 < load_image(wide).mean() < 145  # scaled by the 16-bit range, not clipped to white


def test_unreadable_paths_and_oversized_files_are_load_errors(tmp_path):
    with pytest.raises(ImageLoadError, match="cannot read file"):
        load_image(tmp_path / ("x" * 5000))
    big = tmp_path / "big.jpg"
    big.write_bytes(jpeg_bytes(np.zeros((64, 64, 3), np.uint8)) + b"\0" * 5000)
    with pytest.raises(ImageLoadError, match="MB limit"):
        load_image(big, ImageLimits(max_file_bytes=1000))
