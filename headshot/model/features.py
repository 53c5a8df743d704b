"""The interpretable measures as a normalised feature vector for the hybrid head.

Hand-made measures (cheek luminance ratio, face position, Laplacian variance...) mean the same
on real photos as on synthetic edits, so feeding them beside the CNN features helps the model
transfer. The key order and the normalisation (train-split mean/std) are saved in the model
config. Missing or non-finite values become 0 plus a missing indicator.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Union

import numpy as np

from ..attributes import ATTRIBUTE_NAMES

CLIP = 5.0
MeasuresLike = Union[str, Mapping[str, Any], None]


def raw_measures(measures: MeasuresLike) -> dict[str, dict[str, float]]:
    """Accept the dataset's JSON string, {attr: {name: value}} or {attr: MeasureResult}."""
    if measures is None:
        return {}
    if isinstance(measures, str):
        measures = json.loads(measures) if measures.strip() else {}
    out: dict[str, dict[str, float]] = {}
    for attr, v in measures.items():
        raw = getattr(v, "raw", v)
        if isinstance(raw, Mapping):
            out[attr] = {k: _num(x) for k, x in raw.items()}
    return out


def _num(x: Any) -> float:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return f if math.isfinite(f) else float("nan")


def flat(measures: MeasuresLike) -> dict[str, float]:
    return {f"{a}/{k}": v for a, d in raw_measures(measures).items() for k, v in d.items()}


@dataclass
class MeasureFeaturizer:
    keys: list[str] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)
    std: list[float] = field(default_factory=list)
    with_scores: bool = False  # also the rule layer's 0-1 score per attribute (the head learns a residual on it)

    @property
    def dim(self) -> int:
        return 2 * len(self.keys) + (len(ATTRIBUTE_NAMES) if self.with_scores else 0)

    @classmethod
    def fit(cls, records: Iterable[MeasuresLike], with_scores: bool = False) -> "MeasureFeaturizer":
        rows = [flat(r) for r in records]
        order = {a: i for i, a in enumerate(ATTRIBUTE_NAMES)}
        keys = sorted({k for r in rows for k in r}, key=lambda k: (order.get(k.split("/")[0], 99), k))
        m = np.array([[r.get(k, np.nan) for k in keys] for r in rows], dtype=np.float64).reshape(len(rows), len(keys))
        with np.errstate(all="ignore"):
            mean = np.nan_to_num(np.nanmean(m, axis=0)) if len(rows) else np.zeros(len(keys))
            std = np.nan_to_num(np.nanstd(m, axis=0)) if len(rows) else np.ones(len(keys))
        std = np.where(std < 1e-6, 1.0, std)
        return cls(keys, mean.tolist(), std.tolist(), with_scores)

    def transform(self, measures: MeasuresLike) -> np.ndarray:
        f = flat(measures)
        v = np.array([f.get(k, np.nan) for k in self.keys], dtype=np.float64)
        missing = ~np.isfinite(v)
        z = (v - np.asarray(self.mean)) / np.asarray(self.std)
        z = np.clip(np.where(missing, 0.0, z), -CLIP, CLIP)
        parts = [z, missing.astype(np.float64)]
        if self.with_scores:
            parts.append(rule_scores(measures))
        return np.concatenate(parts).astype(np.float32)

    def transform_many(self, records: Iterable[MeasuresLike]) -> np.ndarray:
        rows = [self.transform(r) for r in records]
        return np.stack(rows) if rows else np.zeros((0, self.dim), np.float32)

    def to_dict(self) -> dict:
        return {"keys": self.keys, "mean": self.mean, "std": self.std, "missing": "0 plus indicator", "clip": CLIP,
                "with_scores": self.with_scores}

    @classmethod
    def from_dict(cls, d: dict) -> "MeasureFeaturizer":
        return cls(list(d["keys"]), list(d["mean"]), list(d["std"]), bool(d.get("with_scores", False)))


def rule_probs(measures: MeasuresLike) -> np.ndarray:
    """The interpretable layer's 0-1 score per attribute from the raw values (the measures predictor)."""
    from ..measures.base import combine

    raw = raw_measures(measures)
    s = np.array([combine(a, raw.get(a, {})).score for a in ATTRIBUTE_NAMES], dtype=np.float64)
    return np.nan_to_num(s, nan=0.5)


def rule_scores(measures: MeasuresLike) -> np.ndarray:
    """The interpretable layer's score per attribute, centred for use as features: 2 * (score - 0.5)."""
    return 2.0 * (rule_probs(measures) - 0.5)


def blend_with_rules(probs: np.ndarray, measures: Iterable[MeasuresLike], weight: float) -> np.ndarray:
    """(1 - weight) * network probability + weight * rule-layer score, row by row.

    Why: the network learns appearance from synthetic edits, the rules encode the label contract's
    cues directly; on real photos they fail differently, so a fixed average is more robust than
    either (see model_card.md). ``weight`` is fixed a priori, not tuned on any split.
    """
    if weight <= 0:
        return probs
    rules = np.stack([rule_probs(m) for m in measures]) if len(probs) else np.zeros_like(probs)
    return (1.0 - weight) * probs + weight * rules
