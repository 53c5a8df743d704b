"""Numpy scoring shared by the trainer and the evaluation: issue-F1 (label 0 is the positive class),
threshold tuning on the validation split."""
from __future__ import annotations

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES


def issue_prf(pred_pass: np.ndarray, label: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall, F1 of detecting the issue (label 0); 0 when undefined, as sklearn's zero_division=0."""
    p_issue, t_issue = pred_pass == 0, label == 0
    tp = float(np.sum(p_issue & t_issue))
    fp = float(np.sum(p_issue & ~t_issue))
    fn = float(np.sum(~p_issue & t_issue))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return prec, rec, f1


def macro_issue_f1(probs: np.ndarray, labels: np.ndarray, thresholds: dict[str, float] | None = None) -> float:
    thr = thresholds or {}
    return float(np.mean([issue_prf((probs[:, j] >= thr.get(a, 0.5)).astype(int), labels[:, j])[2]
                          for j, a in enumerate(ATTRIBUTE_NAMES)]))


def tune_thresholds(probs: np.ndarray, labels: np.ndarray, lo: float = 0.02, hi: float = 0.98) -> dict[str, float]:
    """Per attribute, the P(professional) threshold that maximises issue-F1 on these rows (validation only)."""
    out = {}
    for j, a in enumerate(ATTRIBUTE_NAMES):
        p, y = probs[:, j], labels[:, j]
        cands = np.unique(np.clip(np.concatenate([p, [0.5]]), lo, hi))
        mids = np.unique(np.concatenate([cands, (cands[:-1] + cands[1:]) / 2])) if len(cands) > 1 else cands
        if len(mids) > 400:
            mids = np.quantile(mids, np.linspace(0, 1, 400))
        best = max(mids, key=lambda t: (issue_prf((p >= t).astype(int), y)[2], -abs(t - 0.5)))
        out[a] = float(best)
    return out
