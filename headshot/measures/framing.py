"""Framing: position, size and pose of the face relative to the frame (contract section 5)."""
from __future__ import annotations

from ..analysis import FaceAnalysis, LEFT_EYE_INNER, LEFT_EYE_OUTER, RIGHT_EYE_INNER, RIGHT_EYE_OUTER
from .base import MeasureResult, combine, register


@register("framing")
def measure_framing(a: FaceAnalysis) -> MeasureResult:
    h, w = a.image.shape[:2]
    top, chin = a.face_top_chin()
    fh = max(1.0, chin - top)
    f = a.main_face
    if a.landmarks is not None:
        lm = a.landmarks
        cx = float(lm[[RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_INNER], 0].mean())
        eyes_y = float(lm[[RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_INNER], 1].mean())
    else:
        cx, eyes_y = f.center[0], f.y0 + 0.4 * f.height
    raw = {
        "center_offset": abs(cx - w / 2) / w,
        "head_top_margin": top / fh,  # forehead top below the frame's top edge, in face heights
        "chin_position": chin / h,
        "face_height_low": fh / h,
        "face_height_high": fh / h,
        "eyes_position": eyes_y / h,
    }
    if a.head_pose:
        raw.update(abs_roll=abs(a.head_pose["roll"]), abs_yaw=abs(a.head_pose["yaw"]),
                   abs_pitch=abs(a.head_pose["pitch"]))
    hard = "more than one person in the frame" if a.face_count > 1 else None
    return combine("framing", raw, hard_fail=hard)
