"""Draw what a verdict rests on over the analysis image.

Guides follow the label contract (shared/docs/ATTRIBUTES.md, section 5 "framing"): the
centre line with the +-12% band the face centre must stay in, the eye line at 50% height
(eyes must sit above it), the head-room guide (top of the head must be inside the frame) and
the 85% chin limit (shoulders in frame). The background region (outside
``analysis.person_mask``) is tinted, and an optional saliency map is blended in as a heat
map. Everything is drawn in the analysis image's pixel coordinates, read from one
:class:`~headshot.analysis.FaceAnalysis`, so the app, the CLI or a notebook can reuse it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

from .analysis import FaceAnalysis, LEFT_EYE_INNER, LEFT_EYE_OUTER, RIGHT_EYE_INNER, RIGHT_EYE_OUTER


@dataclass(frozen=True)
class OverlayStyle:
    """Colours (RGB) and the contract's numbers used for the guides."""

    centre_band: float = 0.12  # face centre within 12% of the width from the centre line
    eye_line: float = 0.50  # eyes above the middle of the image
    chin_limit: float = 0.85  # chin above 85% of the height, so the shoulders are in frame
    background_tint: tuple[int, int, int] = (60, 110, 255)
    background_alpha: float = 0.28
    heat_alpha: float = 0.45
    face_colour: tuple[int, int, int] = (40, 220, 80)
    other_face_colour: tuple[int, int, int] = (255, 60, 60)
    guide_colour: tuple[int, int, int] = (255, 255, 255)
    band_colour: tuple[int, int, int] = (255, 210, 0)
    head_colour: tuple[int, int, int] = (255, 140, 0)


def _dashed_line(img: np.ndarray, p0: tuple[int, int], p1: tuple[int, int], colour, thickness: int,
                 dash: int = 10) -> None:
    p0a, p1a = np.array(p0, float), np.array(p1, float)
    length = float(np.linalg.norm(p1a - p0a))
    if length < 1:
        return
    n = max(1, int(length // (2 * dash)))
    for i in range(n + 1):
        a = p0a + (p1a - p0a) * min(1.0, (2 * i * dash) / length)
        b = p0a + (p1a - p0a) * min(1.0, (2 * i * dash + dash) / length)
        cv2.line(img, tuple(int(v) for v in a), tuple(int(v) for v in b), colour, thickness, cv2.LINE_AA)


def _label(img: np.ndarray, text: str, org: tuple[int, int], colour, scale: float) -> None:
    """Text with a dark outline so it reads on any background."""
    th = max(1, int(round(scale * 2)))
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), th + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, th, cv2.LINE_AA)


def heat_colours(saliency: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Normalise a saliency map to 0-1 at ``size`` (w, h); return (RGB heat colours, weights)."""
    s = np.asarray(saliency, np.float32)
    s = np.nan_to_num(s, nan=0.0, posinf=0.0, neginf=0.0)
    s = cv2.resize(s, size, interpolation=cv2.INTER_LINEAR)  # linear: no overshoot below the minimum
    s = s - s.min()
    peak = float(s.max())
    s = s / peak if peak > 1e-9 else np.zeros_like(s)
    colours = cv2.applyColorMap((s * 255).astype(np.uint8), cv2.COLORMAP_JET)
    return cv2.cvtColor(colours, cv2.COLOR_BGR2RGB), s


def eye_line_y(analysis: FaceAnalysis) -> float:
    """y of the eyes (mesh eye corners, or 40% down the face box without a mesh)."""
    if analysis.landmarks is not None:
        idx = [RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_INNER]
        return float(analysis.landmarks[idx, 1].mean())
    f = analysis.main_face
    return f.y0 + 0.4 * f.height


def draw_overlay(analysis: FaceAnalysis, saliency: Optional[np.ndarray] = None,
                 style: OverlayStyle = OverlayStyle(), background: bool = True, guides: bool = True) -> np.ndarray:
    """Return an RGB uint8 copy of ``analysis.image`` with the guides, regions and heat map drawn."""
    img = analysis.image.astype(np.float32)
    h, w = img.shape[:2]
    if background and analysis.person_mask is not None:
        bg = (1.0 - np.clip(cv2.resize(analysis.person_mask, (w, h)), 0, 1))[..., None] * style.background_alpha
        img = img * (1 - bg) + np.array(style.background_tint, np.float32) * bg
    if saliency is not None:
        colours, weight = heat_colours(saliency, (w, h))
        a = (style.heat_alpha * np.clip(weight * 1.5, 0, 1))[..., None]
        img = img * (1 - a) + colours.astype(np.float32) * a
    out = np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8))
    if not guides:
        return out
    t = max(1, round(min(h, w) / 300))
    fs = max(0.35, min(h, w) / 900)
    cx = w / 2
    # centre line and the contract's +-12% band
    _dashed_line(out, (int(cx), 0), (int(cx), h - 1), style.guide_colour, t)
    for side in (-1, 1):
        x = int(round(cx + side * style.centre_band * w))
        _dashed_line(out, (x, 0), (x, h - 1), style.band_colour, t, dash=6)
    _label(out, "centre +-12%", (int(cx + style.centre_band * w) + 4, h - 8), style.band_colour, fs)
    # eye line: the eyes must be above the middle of the image
    y_mid = int(round(style.eye_line * h))
    _dashed_line(out, (0, y_mid), (w - 1, y_mid), style.guide_colour, t)
    _label(out, "eyes above", (4, y_mid - 4), style.guide_colour, fs)
    # chin limit: below 85% the shoulders leave the frame
    y_chin = int(round(style.chin_limit * h))
    _dashed_line(out, (0, y_chin), (w - 1, y_chin), style.band_colour, t, dash=6)
    _label(out, "chin above", (4, y_chin - 4), style.band_colour, fs)
    if not analysis.faces:
        return out
    # other faces (fail framing and background), then the main face with its head-room guide
    for f in analysis.faces[1:]:
        x0, y0, x1, y1 = f.as_int()
        cv2.rectangle(out, (x0, y0), (x1, y1), style.other_face_colour, t + 1, cv2.LINE_AA)
        _label(out, "other face", (x0, max(12, y0 - 4)), style.other_face_colour, fs)
    f = analysis.main_face
    x0, y0, x1, y1 = f.as_int()
    cv2.rectangle(out, (x0, y0), (x1, y1), style.face_colour, t + 1, cv2.LINE_AA)
    fcx = int(round((x0 + x1) / 2))
    ey = int(round(eye_line_y(analysis)))
    cv2.circle(out, (fcx, ey), 3 * t + 1, style.face_colour, -1, cv2.LINE_AA)  # face centre at eye height
    top, chin = analysis.face_top_chin()
    top_i, chin_i = int(round(top)), int(round(chin))
    # head room: a bracket from the frame's top edge to the top of the forehead
    cv2.line(out, (x0, top_i), (x1, top_i), style.head_colour, t, cv2.LINE_AA)
    cv2.arrowedLine(out, (x1 + 6, max(0, top_i)), (x1 + 6, 0), style.head_colour, t, cv2.LINE_AA, tipLength=0.08)
    text = f"head room {max(0.0, top) / max(1.0, chin - top):.2f} face h."
    tw = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, fs, max(1, int(round(fs * 2))) + 2)[0][0]
    tx = x1 + 10 if x1 + 10 + tw < w else max(0, x0 - 10 - tw)  # right of the face, or left when it would not fit
    _label(out, text, (tx, max(12, top_i // 2 + 6)), style.head_colour, fs)
    cv2.line(out, (x0, chin_i), (x1, chin_i), style.head_colour, t, cv2.LINE_AA)
    return out
