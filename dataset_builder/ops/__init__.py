"""Procedural edit operations, one module per family; importing this package registers them all."""
from . import attire, background, camera, expression, framing, lighting, sharpness  # noqa: F401
from .base import OPS, STAGES, Geometry, RenderContext, new_context, register, run_ops

__all__ = ["OPS", "STAGES", "Geometry", "RenderContext", "new_context", "register", "run_ops"]
