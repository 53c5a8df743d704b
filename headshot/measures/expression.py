"""Expression: mouth opening, eye openness, head yaw and the FER expression classifier."""
from __future__ import annotations

import numpy as np

from ..analysis import (FaceAnalysis, LEFT_EYE_BOTTOM, LEFT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_TOP,
                        LIP_INNER_BOTTOM, LIP_INNER_TOP, MOUTH_LEFT, MOUTH_RIGHT, RIGHT_EYE_BOTTOM,
                        RIGHT_EYE_INNER, RIGHT_EYE_OUTER, RIGHT_EYE_TOP)
from .base import MeasureResult, combine, register

NEGATIVE = ("angry", "disgust", "fear", "sad", "surprise")


def _dist(lm: np.ndarray, i: int, j: int) -> float:
    return float(np.linalg.norm(lm[i, :2] - lm[j, :2]))


@register("expression")
def measure_expression(a: FaceAnalysis) -> MeasureResult:
    raw: dict[str, float] = {}
    if a.landmarks is not None:
        lm = a.landmarks
        fh = a.face_height_px
        raw["mouth_opening"] = _dist(lm, LIP_INNER_TOP, LIP_INNER_BOTTOM) / fh
        raw["mouth_width"] = _dist(lm, MOUTH_LEFT, MOUTH_RIGHT) / fh
        r = _dist(lm, RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM) / max(1e-6, _dist(lm, RIGHT_EYE_OUTER, RIGHT_EYE_INNER))
        l_ = _dist(lm, LEFT_EYE_TOP, LEFT_EYE_BOTTOM) / max(1e-6, _dist(lm, LEFT_EYE_OUTER, LEFT_EYE_INNER))
        raw["eye_openness"] = min(r, l_)
        raw["abs_yaw"] = abs(a.head_pose.get("yaw", 0.0))
    if a.expression_probs:
        p = a.expression_probs
        raw["fer_negative"] = float(sum(p[k] for k in NEGATIVE))
        raw["fer_happy"] = float(p["happy"])
        raw["fer_neutral"] = float(p["neutral"])
    return combine("expression", raw)
