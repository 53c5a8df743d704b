"""Predictors turn one shared analysis into six probabilities; a registry holds the kinds.

``measures`` is the explainable rule layer (always available). The learned model registers
``model`` from :mod:`headshot.model` when its dependencies are installed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, Protocol

from .analysis import FaceAnalysis
from .attributes import ATTRIBUTE_NAMES
from .measures import MeasureResult, measure_all


class Predictor(Protocol):
    name: str
    thresholds: dict[str, float]

    def predict(self, analysis: FaceAnalysis, measures: dict[str, MeasureResult]) -> dict[str, float]:
        """P(professional) per attribute name."""


class MeasurePredictor:
    """The interpretable measures' 0-1 scores used directly as probabilities (threshold 0.5)."""

    name = "measures"

    def __init__(self) -> None:
        self.thresholds = {n: 0.5 for n in ATTRIBUTE_NAMES}

    def predict(self, analysis: FaceAnalysis, measures: dict[str, MeasureResult]) -> dict[str, float]:
        return {n: measures[n].score for n in ATTRIBUTE_NAMES}


PredictorFactory = Callable[[Optional[Path]], Predictor]
PREDICTORS: dict[str, PredictorFactory] = {"measures": lambda _path=None: MeasurePredictor()}


def register_predictor(name: str) -> Callable[[PredictorFactory], PredictorFactory]:
    def deco(fn: PredictorFactory) -> PredictorFactory:
        PREDICTORS[name] = fn
        return fn

    return deco
