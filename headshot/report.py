"""The scorer's output: one report per image, serialisable to the JSON and CSV the CLI prints."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from .attributes import ATTRIBUTE_NAMES


@dataclass
class AttributeReport:
    name: str
    probability: float  # P(professional) for this attribute
    passed: bool
    threshold: float
    advice: Optional[str]  # one sentence when the attribute fails, else None
    explanation: str  # what the decision rests on, in words
    measurements: dict[str, float] = field(default_factory=dict)  # raw interpretable measures


@dataclass
class Report:
    file: Optional[str]
    attributes: dict[str, AttributeReport] = field(default_factory=dict)
    predictor: str = ""
    face_box: Optional[tuple[float, float, float, float]] = None  # x0, y0, x1, y1 in original pixels
    face_count: int = 0
    warnings: list[str] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def passed(self) -> bool:
        """A professional headshot: all six attributes pass."""
        return self.error is None and bool(self.attributes) and all(a.passed for a in self.attributes.values())

    @property
    def failed(self) -> list[str]:
        return [n for n, a in self.attributes.items() if not a.passed]

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        """JSON form. Keys ``file``, ``attributes`` -> {name: {probability, passed, advice}}, ``warnings``,
        ``error`` are the stable interface; ``details`` adds explanations and measurements."""
        attrs = {}
        for n, a in self.attributes.items():
            d = {"probability": round(a.probability, 4), "passed": a.passed, "advice": a.advice}
            if details:
                d.update(threshold=round(a.threshold, 4), explanation=a.explanation,
                         measurements={k: (round(v, 5) if isinstance(v, float) and math.isfinite(v) else None)
                                       for k, v in a.measurements.items()})
            attrs[n] = d
        out: dict[str, Any] = {"file": self.file, "attributes": attrs, "warnings": list(self.warnings),
                               "error": self.error}
        if details:
            out.update(passed=self.passed, predictor=self.predictor, face_count=self.face_count,
                       face_box=[round(float(v), 1) for v in self.face_box] if self.face_box else None)
        return out

    def csv_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"file": self.file}
        for n in ATTRIBUTE_NAMES:
            a = self.attributes.get(n)
            row[n] = "" if a is None else f"{a.probability:.4f}"
        for n in ATTRIBUTE_NAMES:
            a = self.attributes.get(n)
            row[f"{n}_passed"] = "" if a is None else int(a.passed)
        row["error"] = self.error or ""
        return row


CSV_COLUMNS = ["file", *ATTRIBUTE_NAMES, *[f"{n}_passed" for n in ATTRIBUTE_NAMES], "error"]

__all__ = ["AttributeReport", "Report", "CSV_COLUMNS", "asdict"]
