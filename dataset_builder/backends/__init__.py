"""Generator backends: a registry, ``get_backend(name, **kwargs)``.

Every backend renders one :class:`~dataset_builder.g.EditPlan` on one base image:
``backend.render(image_rgb, plan, analysis) -> RGB uint8``.
"""
from __future__ import annotations

from typing import Any, Callable, Protocol

import numpy as np

from headshot.analysis import FaceAnalysis

from ..g import EditPlan


class Backend(Protocol):
    name: str

    def render(self, image_rgb: np.ndarray, plan: EditPlan, analysis: FaceAnalysis, **kwargs: Any) -> np.ndarray: ...


BACKENDS: dict[str, Callable[..., Backend]] = {}


def register_backend(name: str) -> Callable:
    def deco(factory: Callable[..., Backend]) -> Callable[..., Backend]:
        BACKENDS[name] = factory
        return factory

    return deco


def get_backend(name: str, **kwargs: Any) -> Backend:
    """Build a backend by name (``procedural`` or ``diffusion``); kwargs go to its constructor."""
    if name not in BACKENDS:
        # import lazily: the diffusion backend pulls torch/diffusers only when asked for
        if name == "procedural":
            from . import procedural  # noqa: F401
        elif name == "diffusion":
            from . import diffusion  # noqa: F401
    if name not in BACKENDS:
        raise KeyError(f"unknown backend {name!r}; known: procedural, diffusion")
    return BACKENDS[name](**kwargs)


def list_backends() -> list[str]:
    return ["procedural", "diffusion"]


__all__ = ["Backend", "BACKENDS", "register_backend", "get_backend", "list_backends"]
