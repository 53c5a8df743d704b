"""Counterfactual preview: g's edits of the uploaded photo, each re-scored by the model.

Each attribute is flipped on its own (``dataset_builder.counterfactual.flip_one``) so a
person sees what would change and how the model responds; ``improve`` sets every fixable
attribute to professional. The edit module is imported lazily: the app still starts (and
says so in the tab) where the dataset builder is not installed.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from ..attributes import ATTRIBUTE_NAMES
from ..errors import HeadshotError
from ..report import Report
from .render import message_html, report_html
from .scoring import NO_UPLOAD, friendly_error


def backend_note() -> str:
    model = os.environ.get("HEADSHOT_DIFFUSION_MODEL")
    base = ("Edits are made by the project's generator g. The procedural backend is used here; "
            "the diffusion backend is used where a diffusion model is configured "
            "(`HEADSHOT_DIFFUSION_MODEL`).")
    if model:
        return base + f" A diffusion model is configured (`{model}`), but this preview uses the procedural backend."
    return base + " No diffusion model is configured."


@dataclass
class Variant:
    attribute: str  # the flipped attribute, or "improved"
    image: Optional[np.ndarray]
    report: Report
    before: float  # P(professional) of that attribute on the original
    after: Optional[float]

    def caption(self) -> str:
        if self.image is None or self.after is None:
            return f"{self.attribute} flipped: {self.report.error or 'edit failed'}"
        verdict = "pass" if self.report.passed else f"{len(self.report.failed)} fail"
        return f"{self.attribute}: {self.before:.2f} -> {self.after:.2f} ({verdict})"


@dataclass
class Preview:
    original: Optional[Report] = None
    flips: list[Variant] = field(default_factory=list)
    improved: Optional[np.ndarray] = None
    improved_report: Optional[Report] = None
    improved_path: Optional[str] = None
    message: Optional[str] = None


def _rescore(scorer, image: np.ndarray, label: str) -> Report:
    try:
        return scorer.score(image, file=label)
    except HeadshotError as e:
        return Report(file=label, error=friendly_error(e))


def make_preview(scorer, image: Any, seed: int = 0, out_dir: Optional[str] = None) -> Preview:
    """Flip each attribute, improve all, re-score everything. Errors become ``Preview.message``."""
    if image is None or (isinstance(image, str) and not image):
        return Preview(message=NO_UPLOAD)
    try:
        from dataset_builder import counterfactual as cf
    except ImportError as e:
        return Preview(message=f"The counterfactual generator (dataset_builder.counterfactual) is not installed: {e}")
    try:
        analysis = scorer.analyze(image)
    except HeadshotError as e:
        return Preview(message=friendly_error(e))
    original = scorer.score_analysis(analysis, file="original")
    preview = Preview(original=original)
    for name in ATTRIBUTE_NAMES:
        before = original.attributes[name].probability
        try:
            edited = np.asarray(cf.flip_one(analysis.image, name, seed=seed, analysis=analysis))
        except Exception as e:  # one failed edit must not hide the others
            preview.flips.append(Variant(name, None, Report(file=name, error=f"edit failed: {e}"), before, None))
            continue
        rep = _rescore(scorer, edited, f"{name} flipped")
        after = rep.attributes[name].probability if name in rep.attributes else None
        preview.flips.append(Variant(name, edited, rep, before, after))
    try:
        improved = np.asarray(cf.improve(analysis.image, analysis=analysis))
    except Exception as e:
        preview.message = f"The improved version could not be made: {e}"
        return preview
    preview.improved = improved
    preview.improved_report = _rescore(scorer, improved, "improved")
    out = Path(out_dir or tempfile.mkdtemp(prefix="headshot_improved_"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "headshot_improved.png"
    from PIL import Image

    Image.fromarray(improved.astype(np.uint8)).save(path)
    preview.improved_path = str(path)
    return preview


def comparison_html(preview: Preview) -> str:
    """Table: original vs each flip vs improved, all six probabilities (the model's response)."""
    if preview.original is None:
        return message_html(preview.message or NO_UPLOAD, "info" if preview.message == NO_UPLOAD else "error")
    cols = [("original", preview.original)] + [(f"{v.attribute} flipped", v.report) for v in preview.flips]
    if preview.improved_report is not None:
        cols.append(("improved", preview.improved_report))
    head = "".join(f"<th style='padding:4px 6px'>{c}</th>" for c, _ in cols)
    rows = []
    for name in ATTRIBUTE_NAMES:
        cells = []
        for label, rep in cols:
            a = rep.attributes.get(name)
            if a is None:
                cells.append("<td style='padding:4px 6px;color:#9ca3af'>-</td>")
                continue
            flipped = label == f"{name} flipped"
            style = "font-weight:700;" if flipped else ""
            style += f"color:{'#1f9d55' if a.passed else '#d64545'}"
            cells.append(f"<td class='hs-cf' data-variant='{label}' data-attr='{name}' data-prob='{a.probability:.4f}' "
                         f"style='padding:4px 6px;{style}'>{a.probability:.2f}</td>")
        rows.append(f"<tr><td style='padding:4px 6px'><b>{name}</b></td>{''.join(cells)}</tr>")
    note = f"<p style='color:#b45309'>{preview.message}</p>" if preview.message else ""
    return (note + "<div style='overflow-x:auto'><table class='hs-cf-table' style='border-collapse:collapse;"
            "font-size:13px;font-variant-numeric:tabular-nums'>"
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table></div>"
            "<p style='font-size:12px;color:#6b7280'>P(professional) per attribute after each edit, "
            "re-scored by the model; the flipped attribute is in bold.</p>")


def improved_html(preview: Preview) -> str:
    if preview.improved_report is None:
        return ""
    return report_html(preview.improved_report, title="Improved version, re-scored")
