"""Expression: mouth opening, eye openness and visibility, head yaw and the FER expression classifier.

The contract allows "a smile showing teeth with a relaxed jaw", so the mouth is judged twice:
an open mouth without a smile (talking, surprise) fails early, a smiling mouth only when the jaw
drops (laughing). FER's "sad" is left out of the negative sum: resting neutral faces, older ones
above all, read as sad to it, and sadness is not among the contract's failures.
"""
from __future__ import annotations

import numpy as np

from ..analysis import (FaceAnalysis, LEFT_EYE_BOTTOM, LEFT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_TOP,
                        LIP_INNER_BOTTOM, LIP_INNER_TOP, MOUTH_LEFT, MOUTH_RIGHT, RIGHT_EYE_BOTTOM,
                        RIGHT_EYE_INNER, RIGHT_EYE_OUTER, RIGHT_EYE_TOP)
from .base import MeasureResult, combine, register
from .regions import cheek_band, luma

NEGATIVE = ("angry", "disgust", "fear", "surprise")


def _dist(lm: np.ndarray, i: int, j: int) -> float:
    return float(np.linalg.norm(lm[i, :2] - lm[j, :2]))


def _eye_boxes(a: FaceAnalysis) -> list[np.ndarray]:
    """Luma of each eye box: the corners' span wide, half as tall, centred between the corners."""
    lm, img = a.landmarks, a.image
    h, w = img.shape[:2]
    out = []
    for outer, inner in ((RIGHT_EYE_OUTER, RIGHT_EYE_INNER), (LEFT_EYE_OUTER, LEFT_EYE_INNER)):
        c = (lm[outer, :2] + lm[inner, :2]) / 2
        half_w = max(1.0, _dist(lm, outer, inner) / 2)
        x0, x1 = int(max(0, c[0] - half_w)), int(min(w, c[0] + half_w + 1))
        y0, y1 = int(max(0, c[1] - half_w / 2)), int(min(h, c[1] + half_w / 2 + 1))
        if x1 > x0 and y1 > y0:
            out.append(luma(img[y0:y1, x0:x1].astype(np.float32)).ravel())
    return out


def eye_visibility(a: FaceAnalysis) -> tuple[float, float]:
    """(eye_luma_ratio, eye_contrast), both relative to the cheeks' median luma.

    The face mesh places eyes even behind sunglasses, so eye openness alone cannot see them.
    A visible eye holds sclera, iris and lashes: bright and dark pixels (contrast), and on light
    skin a mean close to the cheeks' (luma ratio). A dark lens is dark and flat. On dark skin
    the cheeks are nearly as dark as a lens, so only the contrast (p90 - p10 of the flatter eye
    box) tells them apart; the luma ratio alone passed sunglasses there.
    """
    boxes = _eye_boxes(a)
    left, right = cheek_band(a)
    cheeks = luma(a.image[left | right].astype(np.float32))
    if not boxes or cheeks.size < 20:
        return float("nan"), float("nan")
    ref = max(1.0, float(np.median(cheeks)))
    contrast = min(float(np.percentile(b, 90) - np.percentile(b, 10)) for b in boxes)
    return float(np.concatenate(boxes).mean() / ref), contrast / ref


@register("expression")
def measure_expression(a: FaceAnalysis) -> MeasureResult:
    raw: dict[str, float] = {}
    p = a.expression_probs or {}
    if a.landmarks is not None:
        lm = a.landmarks
        fh = a.face_height_px
        raw["mouth_opening"] = _dist(lm, LIP_INNER_TOP, LIP_INNER_BOTTOM) / fh
        raw["mouth_width"] = _dist(lm, MOUTH_LEFT, MOUTH_RIGHT) / fh
        # a smile may show teeth; an open mouth without one is talking or surprise (no classifier:
        # every opening counts, as before the smile allowance)
        raw["mouth_open_unsmiling"] = raw["mouth_opening"] * (1.0 - float(p["happy"]) if p else 1.0)
        r = _dist(lm, RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM) / max(1e-6, _dist(lm, RIGHT_EYE_OUTER, RIGHT_EYE_INNER))
        l_ = _dist(lm, LEFT_EYE_TOP, LEFT_EYE_BOTTOM) / max(1e-6, _dist(lm, LEFT_EYE_OUTER, LEFT_EYE_INNER))
        raw["eye_openness"] = min(r, l_)
        raw["eye_luma_ratio"], raw["eye_contrast"] = eye_visibility(a)
        raw["abs_yaw"] = abs(a.head_pose.get("yaw", 0.0))
    if p:
        raw["fer_negative"] = float(sum(p[k] for k in NEGATIVE))
        raw["fer_sad"] = float(p["sad"])
        raw["fer_happy"] = float(p["happy"])
        raw["fer_neutral"] = float(p["neutral"])
    return combine("expression", raw)
