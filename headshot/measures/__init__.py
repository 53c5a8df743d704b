"""Interpretable per-attribute measures; importing this package registers all six."""
from __future__ import annotations

from ..analysis import FaceAnalysis
from ..attributes import ATTRIBUTE_NAMES
from . import attire, background, expression, framing, lighting, sharpness  # noqa: F401  (registration)
from .base import MEASURES, MeasureResult, Term, load_terms, register


def measure_all(a: FaceAnalysis) -> dict[str, MeasureResult]:
    """Every attribute's measures, in the contract's order."""
    return {name: MEASURES[name](a) for name in ATTRIBUTE_NAMES}


__all__ = ["MEASURES", "MeasureResult", "Term", "load_terms", "register", "measure_all"]
