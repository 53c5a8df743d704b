"""Image regions several measures share: face halves, cheek band, background, torso."""
from __future__ import annotations

import cv2
import numpy as np

from ..analysis import CHIN, FaceAnalysis, LIP_INNER_TOP, NOSE_TIP, RIGHT_EYE_BOTTOM, LEFT_EYE_BOTTOM


def srgb_to_linear(v: np.ndarray) -> np.ndarray:
    v = v.astype(np.float32) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def luma(rgb: np.ndarray) -> np.ndarray:
    """sRGB luma 0-255 (Rec. 601 weights, as in JPEG)."""
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def linear_luminance(rgb: np.ndarray) -> np.ndarray:
    lin = srgb_to_linear(rgb)
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def cheek_band(a: FaceAnalysis) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of the subject's two face halves between the eyes and the mouth.

    Using only this band keeps hair, beards and the forehead (often hidden by hair) out of
    the lighting ratio, as the contract speaks of the cheeks. Lighting, attire and expression all
    use it, so it is computed once per analysis.
    """
    cached = a.derived.get("cheek_band")
    if cached is None:
        cached = _cheek_band(a)
        for m in cached:
            m.setflags(write=False)  # shared by three measures: an in-place edit must raise, not leak
        a.derived["cheek_band"] = cached
    return cached


def _cheek_band(a: FaceAnalysis) -> tuple[np.ndarray, np.ndarray]:
    face = a.face_mask()
    h, w = face.shape
    yy, xx = np.mgrid[0:h, 0:w]
    if a.landmarks is not None:
        lm = a.landmarks
        y_top = min(lm[RIGHT_EYE_BOTTOM, 1], lm[LEFT_EYE_BOTTOM, 1])
        y_bot = lm[LIP_INNER_TOP, 1]
        # midline through the nose tip, perpendicular to the eye line
        nx, ny = lm[NOSE_TIP, :2]
        roll = np.radians(a.head_pose.get("roll", 0.0))
        side = (xx - nx) * np.cos(roll) + (yy - ny) * np.sin(roll)
    else:
        f = a.main_face
        y_top, y_bot = f.y0 + 0.4 * f.height, f.y0 + 0.75 * f.height
        side = xx - f.center[0]
    band = face & (yy >= y_top) & (yy <= y_bot)
    return band & (side < 0), band & (side > 0)


def background_mask(a: FaceAnalysis, threshold: float = 0.2) -> np.ndarray:
    """Pixels that belong to neither the person (segmentation) nor a margin around them."""
    h, w = a.image.shape[:2]
    if a.person_mask is None:
        person = np.zeros((h, w), bool)
        x0, y0, x1, y1 = a.main_face.as_int()
        fw = x1 - x0
        person[max(0, y0 - fw // 2):, max(0, x0 - fw):x1 + fw] = True
    else:
        person = a.person_mask > threshold
    k = max(3, int(0.02 * max(h, w)) | 1)
    person = cv2.dilate(person.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
    for f in a.faces[1:]:  # other faces are part of the background by definition
        x0, y0, x1, y1 = f.as_int()
        person[max(0, y0):y1, max(0, x0):x1] = False
    return ~person


def torso_region(a: FaceAnalysis) -> np.ndarray:
    """Where clothing should be: below the chin, within about two face widths, on the person."""
    h, w = a.image.shape[:2]
    top, chin = a.face_top_chin()
    fh = chin - top
    cx = a.main_face.center[0]
    fw = a.main_face.width
    m = np.zeros((h, w), bool)
    y0 = int(min(h, max(0, chin + 0.25 * fh)))
    m[y0:, max(0, int(cx - 1.6 * fw)):min(w, int(cx + 1.6 * fw))] = True
    if a.person_mask is not None:
        m &= a.person_mask > 0.5
    return m


def face_crop(a: FaceAnalysis, margin: float = 0.0) -> np.ndarray:
    x0, y0, x1, y1 = a.main_face.as_int()
    mx, my = int(margin * (x1 - x0)), int(margin * (y1 - y0))
    h, w = a.image.shape[:2]
    return a.image[max(0, y0 - my):min(h, y1 + my), max(0, x0 - mx):min(w, x1 + mx)]


__all__ = ["srgb_to_linear", "luma", "linear_luminance", "cheek_band", "background_mask", "torso_region",
           "face_crop", "CHIN"]
