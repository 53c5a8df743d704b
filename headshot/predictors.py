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


# Contract, "General rules": any other person visible with a face makes framing 0 and background 0,
# whatever a predictor says.
FAIL_WITH_OTHER_FACES: tuple[str, ...] = ("framing", "background")


# Contract, sharpness: "enough resolution (face at least about 100 pixels tall)". The synthetic
# labels use the same limit (dataset_builder), so the scorer and the data agree.
MIN_SHARP_FACE_PX = 100.0


def forced_failures(face_count: int, face_px: Optional[float] = None) -> tuple[str, ...]:
    """Attributes the label contract fails outright: framing and background when another face
    shows, sharpness when the main face is under ``MIN_SHARP_FACE_PX`` tall in the original image."""
    out = FAIL_WITH_OTHER_FACES if face_count > 1 else ()
    if face_px is not None and face_px < MIN_SHARP_FACE_PX:
        out = (*out, "sharpness")
    return out


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
