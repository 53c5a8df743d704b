"""The learned attribute model (inference side). ``training/`` imports from here, never the reverse."""
from __future__ import annotations

import os
from typing import Union

import numpy as np

from ..analysis import FaceAnalysis
from ..attributes import ATTRIBUTE_NAMES
from ..measures import MeasureResult
from ..predictors import register_predictor
from .backbones import BACKBONES, Backbone, create_backbone, list_backbones, register_backbone
from .features import MeasureFeaturizer
from .modeling import CONFIG_NAME, HeadshotModel, ModelConfig
from .preprocess import Preprocessing, letterbox


class ModelPredictor:
    """Predictor protocol around a :class:`HeadshotModel` (thresholds tuned on the validation split)."""

    def __init__(self, model: HeadshotModel) -> None:
        self.model = model
        self.name = model.name
        self.thresholds = {n: float(model.thresholds.get(n, 0.5)) for n in ATTRIBUTE_NAMES}

    def predict(self, analysis: FaceAnalysis, measures: dict[str, MeasureResult]) -> dict[str, float]:
        p = self.model.predict_proba([analysis.image], [measures])[0]
        return {n: float(p[i]) for i, n in enumerate(self.model.config.labels)}

    def predict_batch(self, images: list[np.ndarray], measures: list) -> np.ndarray:
        return self.model.predict_proba(images, measures)


def load_predictor(path_or_hub_id: Union[str, os.PathLike]) -> ModelPredictor:
    return ModelPredictor(HeadshotModel.from_pretrained(path_or_hub_id, merge_lora=True))


@register_predictor("model")
def _model_factory(path=None) -> ModelPredictor:
    from ..scorer import DEFAULT_MODEL_DIR

    return load_predictor(path or DEFAULT_MODEL_DIR)


__all__ = ["BACKBONES", "Backbone", "CONFIG_NAME", "HeadshotModel", "MeasureFeaturizer", "ModelConfig",
           "ModelPredictor", "Preprocessing", "create_backbone", "letterbox", "list_backbones", "load_predictor",
           "register_backbone"]
