"""Camera family: label-neutral renderings of the whole frame.

``monochrome``: a black-and-white photo. The contract asks for no colour (only that no strong
colour cast makes skin look unnatural), so converting a variant changes none of its labels; g
never applies it on top of a colour-cast edit, whose label would then be wrong.
"""
from __future__ import annotations

import numpy as np

from .base import RenderContext, register

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


@register("camera", "monochrome", "camera_light")
def monochrome(ctx: RenderContext, tone: float = 0.0) -> None:
    """Black and white, optionally toned (``tone`` > 0 warm / sepia, < 0 cool)."""
    y = ctx.frame @ LUMA
    tint = np.array([1.0 + 0.08 * tone, 1.0, 1.0 - 0.08 * tone], np.float32)
    ctx.frame = y[..., None] * tint
