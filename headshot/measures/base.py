"""Registry and shared maths of the interpretable measures (the explainable layer).

In the spirit of OFIQ (ISO/IEC 29794-5): every measure produces named raw values, and each
raw value is mapped to a 0-1 quality term by a logistic whose centre and width live in
``headshot/configs/measures.yaml`` (centres come from the thresholds of the label contract,
shared/docs/ATTRIBUTES.md). An attribute's score is its weakest term: one clear problem is
enough to fail an attribute, exactly as the contract's "0 when: ..." lists read.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import yaml

from ..analysis import FaceAnalysis
from ..attributes import ATTRIBUTE_NAMES

CONFIG_PATH = Path(__file__).resolve().parent.parent / "configs" / "measures.yaml"


@dataclass(frozen=True)
class Term:
    """Logistic mapping of one raw value: score 0.5 at ``center``; ``higher_is_better`` sets the side."""

    center: float
    width: float
    higher_is_better: bool = True
    doc: str = ""

    def score(self, value: float) -> float:
        if value is None or not math.isfinite(value):
            return float("nan")
        z = (value - self.center) / self.width
        if not self.higher_is_better:
            z = -z
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass
class MeasureResult:
    """Raw values, their term scores, and the attribute's 0-1 score (1 = professional)."""

    attribute: str
    score: float
    raw: dict[str, float] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    assessable: bool = True
    note: str = ""

    @property
    def weakest(self) -> Optional[str]:
        """The raw value that decided the score (for explanations)."""
        valid = {k: v for k, v in self.terms.items() if math.isfinite(v)}
        return min(valid, key=valid.get) if valid else None


@lru_cache(maxsize=4)
def load_terms(path: Path = CONFIG_PATH) -> dict[str, dict[str, Term]]:
    raw = yaml.safe_load(Path(path).read_text())
    out: dict[str, dict[str, Term]] = {}
    for attr, terms in raw.items():
        if attr not in ATTRIBUTE_NAMES:
            raise ValueError(f"{path}: unknown attribute {attr!r}")
        out[attr] = {k: Term(float(v["center"]), float(v["width"]), bool(v.get("higher_is_better", True)),
                             str(v.get("doc", ""))) for k, v in terms.items()}
    return out


def combine(attribute: str, raw: dict[str, float], hard_fail: Optional[str] = None) -> MeasureResult:
    """Score every raw value that has a term, and take the weakest as the attribute score."""
    terms_cfg = load_terms()[attribute]
    terms = {k: terms_cfg[k].score(v) for k, v in raw.items() if k in terms_cfg}
    valid = [t for t in terms.values() if math.isfinite(t)]
    if hard_fail:
        return MeasureResult(attribute, 0.0, raw, terms, True, hard_fail)
    if not valid:
        return MeasureResult(attribute, 0.5, raw, terms, False, "not assessable on this image")
    return MeasureResult(attribute, float(min(valid)), raw, terms)


MeasureFn = Callable[[FaceAnalysis], MeasureResult]
MEASURES: dict[str, MeasureFn] = {}


def register(attribute: str) -> Callable[[MeasureFn], MeasureFn]:
    """Register the measure of one attribute (one module per attribute)."""
    if attribute not in ATTRIBUTE_NAMES:
        raise KeyError(f"unknown attribute {attribute!r}")

    def deco(fn: MeasureFn) -> MeasureFn:
        MEASURES[attribute] = fn
        return fn

    return deco
