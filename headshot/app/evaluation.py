"""Read the evaluation files the training part writes, for the dashboard tab.

Layout (``reports/evaluation/`` by default): ``metrics.json`` (``{"model", "splits": {split:
{"macro_issue_f1", "per_attribute": {attr: {issue_f1, pass_f1, precision, recall, roc_auc,
threshold}}, "by_source": {...}, "by_skin_tone": {...}}}}``), PNGs under ``plots/``
(confusion matrices, PR curves) and an optional ``errors.json`` (test images the model gets
wrong). Whatever exists is shown; missing or malformed parts give messages, not crashes.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from ..attributes import ATTRIBUTE_NAMES

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_EVAL_DIR = REPO_ROOT / "reports" / "evaluation"
ATTR_COLUMNS = ["issue_f1", "pass_f1", "precision", "recall", "roc_auc", "threshold"]
MAX_GALLERY = 48


@dataclass
class Evaluation:
    eval_dir: Path
    model: Optional[str] = None
    splits: dict[str, dict[str, Any]] = field(default_factory=dict)
    plots: list[tuple[Path, str]] = field(default_factory=list)  # (png, caption)
    errors: list[tuple[Path, str]] = field(default_factory=list)  # (image, caption)
    problems: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return bool(self.splits)


def _num(v: Any) -> Optional[float]:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def normalise_splits(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Both layouts to ``{split: {macro_issue_f1, per_attribute, by_source, by_skin_tone}}``.

    Accepts the dashboard's ``{"splits": ...}`` and the report of ``headshot evaluate``
    (``{"results": {split: {"model": {"attributes", "macro_issue_f1"}, "baseline_measures": ...,
    "by_source", "by_skin_tone", "baseline_by_skin_tone"}}}``), whose measures baseline becomes a
    split of its own so the bars compare the two.
    """
    splits = data.get("splits")
    if isinstance(splits, dict):
        return {k: v for k, v in splits.items() if isinstance(v, dict)}
    results = data.get("results")
    out: dict[str, dict[str, Any]] = {}
    for key, r in (results.items() if isinstance(results, dict) else []):
        if not isinstance(r, dict):
            continue
        m = r.get("model") if isinstance(r.get("model"), dict) else {}
        out[key] = {"macro_issue_f1": m.get("macro_issue_f1"), "per_attribute": m.get("attributes") or {},
                    "by_source": r.get("by_source") or {}, "by_skin_tone": r.get("by_skin_tone") or {}}
        b = r.get("baseline_measures")
        if isinstance(b, dict):
            out[f"{key} (measures baseline)"] = {
                "macro_issue_f1": b.get("macro_issue_f1"), "per_attribute": b.get("attributes") or {},
                "by_source": {}, "by_skin_tone": r.get("baseline_by_skin_tone") or {}}
    return out


def _resolve(p: str, eval_dir: Path) -> Optional[Path]:
    path = Path(p)
    for cand in ([path] if path.is_absolute() else [REPO_ROOT / path, eval_dir / path, Path.cwd() / path]):
        if cand.is_file():
            return cand
    return None


def _thresholds(splits: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The model's decision thresholds, from the first split that lists them (0.5 otherwise)."""
    for split in splits.values():
        per = split.get("per_attribute") or {}
        thr = {n: _num((per.get(n) or {}).get("threshold")) for n in ATTRIBUTE_NAMES}
        if all(v is not None for v in thr.values()):
            return thr  # type: ignore[return-value]
    return {n: 0.5 for n in ATTRIBUTE_NAMES}


def _error_caption(item: dict[str, Any], thresholds: dict[str, float]) -> str:
    labels = item.get("labels") or {}
    probs = item.get("probabilities") or {}
    wrong = []
    for n in ATTRIBUTE_NAMES:
        lab, p = labels.get(n), _num(probs.get(n))
        if lab is None or p is None:
            continue
        if int(lab) != int(p >= thresholds.get(n, 0.5)):
            wrong.append(f"{n}: label {int(lab)}, p={p:.2f}")
    return "; ".join(wrong) or "misclassified"


def load_evaluation(eval_dir: Optional[Path] = None) -> Evaluation:
    """Read what exists under ``eval_dir``; never raises for missing or malformed files."""
    d = Path(eval_dir) if eval_dir else DEFAULT_EVAL_DIR
    ev = Evaluation(eval_dir=d)
    metrics = d / "metrics.json"
    if not metrics.is_file():
        ev.problems.append(f"No evaluation yet: {metrics} does not exist. Run `headshot evaluate` "
                           "to write it (the training part writes reports/evaluation/).")
    else:
        try:
            data = json.loads(metrics.read_text())
            ev.model = data.get("model") if isinstance(data, dict) else None
            ev.splits = normalise_splits(data) if isinstance(data, dict) else {}
            if not ev.splits:
                ev.problems.append(f"{metrics} has no evaluation results ('splits' or 'results').")
        except (OSError, ValueError, AttributeError) as e:
            ev.problems.append(f"Could not read {metrics}: {e}")
    plots = d / "plots"
    if plots.is_dir():
        ev.plots = [(p, " / ".join(p.relative_to(plots).with_suffix("").parts).replace("_", " "))
                    for p in sorted(plots.glob("**/*.png"))][:MAX_GALLERY]
    # errors.json may sit beside metrics.json or in errors/ (written by `headshot evaluate --errors`;
    # its thumbnails stay out of git because they derive from licensed portraits)
    errors = next((p for p in (d / "errors.json", d / "errors" / "errors.json") if p.is_file()), d / "errors.json")
    thresholds = _thresholds(ev.splits)
    if errors.is_file():
        try:
            items = json.loads(errors.read_text())
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, dict) or "image" not in item:
                    continue
                path = _resolve(str(item["image"]), d)
                if path is None:
                    continue
                ev.errors.append((path, f"{path.name}: {_error_caption(item, thresholds)}"))
                if len(ev.errors) >= MAX_GALLERY:
                    break
        except (OSError, ValueError) as e:
            ev.problems.append(f"Could not read {errors}: {e}")
    return ev


def per_attribute_rows(split: dict[str, Any]) -> list[list[Any]]:
    per = split.get("per_attribute") or {}
    rows = []
    for n in ATTRIBUTE_NAMES:
        m = per.get(n)
        if isinstance(m, dict):
            # ``headshot evaluate`` names precision/recall issue_precision/issue_recall
            rows.append([n, *[_round(m.get(c, m.get(f"issue_{c}"))) for c in ATTR_COLUMNS]])
    return rows


def _round(v: Any) -> Optional[float]:
    f = _num(v)
    return None if f is None else round(f, 3)


def group_rows(split: dict[str, Any], key: str) -> list[list[Any]]:
    groups = split.get(key) or {}
    rows = []
    for g, m in sorted(groups.items()) if isinstance(groups, dict) else []:
        if isinstance(m, dict):
            n = m.get("n")
            rows.append([str(g), _round(m.get("macro_issue_f1")), int(n) if _num(n) is not None else None])
    return rows


def f1_figure(ev: Evaluation):
    """Grouped bars: issue F1 per attribute for each split (model vs measures baseline side by side)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    names = list(ev.splits)
    x = np.arange(len(ATTRIBUTE_NAMES))
    width = 0.8 / max(1, len(names))
    for i, s in enumerate(names):
        per = ev.splits[s].get("per_attribute") or {}
        vals = [_num((per.get(a) or {}).get("issue_f1")) for a in ATTRIBUTE_NAMES]
        bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, [v if v is not None else 0 for v in vals], width,
                      label=f"{s} (macro {(_num(ev.splits[s].get('macro_issue_f1')) or 0):.2f})")
        for b, v in zip(bars, vals):
            if v is not None:
                ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.01, f"{v:.2f}", ha="center",
                        va="bottom", fontsize=7)
    ax.set_xticks(x, ATTRIBUTE_NAMES)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("issue F1")
    ax.set_title(f"Per-attribute F1 (issue = label 0){' - ' + ev.model if ev.model else ''}", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def summary_markdown(ev: Evaluation) -> str:
    if not ev.available:
        return "**" + " ".join(ev.problems or ["No evaluation available."]) + "**"
    lines = [f"**Model:** `{ev.model or 'unknown'}`  ", f"**Evaluation folder:** `{ev.eval_dir}`", "",
             "| split | macro issue F1 |", "|---|---|"]
    for s, m in ev.splits.items():
        v = _num(m.get("macro_issue_f1"))
        lines.append(f"| {s} | {'-' if v is None else f'{v:.3f}'} |")
    lines += ["", *[f"- {p}" for p in ev.problems]]
    if not ev.plots:
        lines.append("- no plots found under `plots/`")
    if not ev.errors:
        lines.append("- no gallery of misclassified test images here: its thumbnails derive from licensed "
                     "portraits and are not committed; `headshot evaluate ... --errors reports/evaluation/errors` "
                     "makes them locally")
    return "\n".join(lines)


def thumbnail(path: Path, max_side: int = 384):
    """Load an image for a gallery (arrays are copied to gradio's cache, so any folder works)."""
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((max_side, max_side))
        return np.asarray(im)
