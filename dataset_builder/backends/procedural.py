"""Procedural backend: runs anywhere (numpy + OpenCV), renders at the base photo's resolution
(or the stored size, via ``max_side``), one registered operation per (family, op)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from headshot.analysis import FaceAnalysis

from ..g import EditPlan
from ..ops import new_context, run_ops
from . import register_backend


class ProceduralBackend:
    name = "procedural"

    def __init__(self, max_side: Optional[int] = None) -> None:
        self.max_side = max_side

    def render(self, image_rgb: np.ndarray, plan: EditPlan, analysis: FaceAnalysis, donor: Optional[np.ndarray] = None,
               max_side: Optional[int] = None, return_context: bool = False, **_: Any):
        if not analysis.faces:
            raise ValueError("the procedural backend needs an analysis with a face")
        ctx = new_context(image_rgb, analysis, plan.seed, donor=donor)
        run_ops(ctx, plan.operations, max_side=max_side or self.max_side)
        out = np.clip(ctx.frame + 0.5, 0, 255).astype(np.uint8)
        return (out, ctx) if return_context else out


@register_backend("procedural")
def _factory(**kwargs: Any) -> ProceduralBackend:
    return ProceduralBackend(**kwargs)
