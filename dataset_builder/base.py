"""Base portraits: listing, and their own labels for attributes a variant keeps unchanged.

Rules (documented, never guessed):
- attire, head-and-shoulders: the source's labels.csv (looked at by people);
- expression, lighting, sharpness, framing: measured on the base with the project's measures
  (``headshot.measures``) and a confident margin: score >= 0.8 -> 1, <= 0.2 -> 0, otherwise
  undetermined (None); expression uses 0.65 / 0.3 (MARGINS). Undetermined lighting/framing/sharpness force a degrading edit; an
  undetermined expression makes the portrait unusable (nothing can set it procedurally).
- framing: face-only crops (labels.csv framing_head_shoulders = 0) are 0; for the others the
  framing score leaves out ``abs_pitch``, whose geometric estimate reads 20-35 degrees on
  frontal official portraits (a known bias of the foundation's pitch proxy).
- background: always replaced, so the base's own background never matters.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from headshot.analysis import FaceAnalysis
from headshot.attributes import ATTRIBUTE_NAMES

HI, LO = 0.8, 0.2
# expression cannot be edited procedurally, so its margin decides which portraits are usable at all;
# official portraits' smiles score 0.65-0.85 on the measure (closed-mouth smiles are 1 by the contract)
MARGINS = {"expression": (0.65, 0.3)}


@dataclass
class BaseRecord:
    portrait_id: str
    source: str
    path: str
    attire: Optional[int]
    head_shoulders: bool
    notes: str = ""


def list_portraits(root: str | Path, sources: Optional[list[str]] = None) -> list[BaseRecord]:
    """Every portrait listed in ``root/<source>/labels.csv`` whose file exists, sorted by id."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: portraits folder not found")
    out: list[BaseRecord] = []
    for src in sorted(p for p in root.iterdir() if p.is_dir()):
        if sources and src.name not in sources:
            continue
        labels = src / "labels.csv"
        if not labels.exists():
            continue
        with labels.open(newline="") as f:
            for row in csv.DictReader(f):
                p = src / row["file"]
                if not p.exists():
                    continue
                att = row.get("attire", "").strip()
                out.append(BaseRecord(f"{src.name}/{Path(row['file']).stem}", src.name, str(p),
                                      int(att) if att in ("0", "1") else None,
                                      row.get("framing_head_shoulders", "1").strip() == "1", row.get("notes", "")))
    return sorted(out, key=lambda r: r.portrait_id)


def check_scores(measures: dict[str, Any]) -> dict[str, float]:
    """Per-attribute 0-1 scores of the scorer's measures, used as independent checks."""
    return {a: float(measures[a].score) for a in ATTRIBUTE_NAMES}


def confident(score: float, attribute: str = "") -> Optional[int]:
    if not math.isfinite(score):
        return None
    hi, lo = MARGINS.get(attribute, (HI, LO))
    return 1 if score >= hi else 0 if score <= lo else None


@dataclass
class BaseInfo:
    record: BaseRecord
    labels: dict[str, Optional[int]]
    face_px: float
    side_margin_ok: bool
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.labels.get("expression") is not None

    def plan_info(self, has_donor: bool, plates: tuple[str, ...] = ()) -> dict[str, Any]:
        return {"labels": self.labels, "head_shoulders": self.record.head_shoulders, "face_px": self.face_px,
                "side_margin_ok": self.side_margin_ok, "has_donor": has_donor, "plates": list(plates)}


def base_info(rec: BaseRecord, a: FaceAnalysis) -> BaseInfo:
    from headshot.measures import measure_all

    scores = check_scores(measure_all(a))
    labels: dict[str, Optional[int]] = {k: confident(v, k) for k, v in scores.items()}
    labels["background"] = None  # always replaced
    if a.landmarks is None:
        labels["expression"] = None  # no face mesh: neither judged nor editable (occluders need landmarks)
    labels["attire"] = rec.attire if rec.head_shoulders else 0
    if not rec.head_shoulders:
        labels["framing"] = 0
    side_ok = True
    if a.person_mask is not None:
        m = a.person_mask > 0.5
        side_ok = float(m[:, :3].mean() + m[:, -3:].mean()) < 0.6
    return BaseInfo(rec, labels, a.face_height_px / a.scale, side_ok, scores)
