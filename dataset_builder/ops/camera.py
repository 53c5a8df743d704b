"""Camera family: label-neutral renderings of the whole frame.

``monochrome``: a black-and-white photo. The contract asks for no colour (only that no strong
colour cast makes skin look unnatural), so converting a variant changes none of its labels; g
never applies it on top of a colour-cast edit, whose label would then be wrong.
"""
from __future__ import annotations

import numpy as np

from headshot.measures.regions import luma

from .base import RenderContext, register


@register("camera", "monochrome", "camera_light")
def monochrome(ctx: RenderContext, tone: float = 0.0) -> None:
    """Black and white, optionally toned (``tone`` > 0 warm / sepia, < 0 cool)."""
    y = luma(ctx.frame).astype(np.float32)
    tint = np.array([1.0 + 0.08 * tone, 1.0, 1.0 - 0.08 * tone], np.float32)
    ctx.frame = y[..., None] * tint
