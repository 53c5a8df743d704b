"""PNG plots of an evaluation: per-attribute issue-F1 bars (model vs measures), confusion matrices, PR curves."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES

from .scoring import issue_prf


def write_plots(out: Path, probs: np.ndarray, labels: np.ndarray, baseline: np.ndarray, thresholds: dict[str, float],
                title: str = "") -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix, precision_recall_curve

    out.mkdir(parents=True, exist_ok=True)
    files = []
    x = np.arange(len(ATTRIBUTE_NAMES))
    f_model = [issue_prf((probs[:, j] >= thresholds[a]).astype(int), labels[:, j])[2] for j, a in enumerate(ATTRIBUTE_NAMES)]
    f_base = [issue_prf((baseline[:, j] >= 0.5).astype(int), labels[:, j])[2] for j in range(len(ATTRIBUTE_NAMES))]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(x - 0.2, f_model, 0.4, label="model")
    ax.bar(x + 0.2, f_base, 0.4, label="measures baseline")
    ax.set_xticks(x, ATTRIBUTE_NAMES, rotation=20)
    ax.set_ylim(0, 1)
    ax.set_ylabel("issue F1")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    files.append(str(out / "issue_f1_bars.png"))
    fig.savefig(files[-1], dpi=100)
    plt.close(fig)

    fig, axes = plt.subplots(2, 3, figsize=(10, 6.5))
    for j, (a, ax) in enumerate(zip(ATTRIBUTE_NAMES, axes.ravel())):
        cm = confusion_matrix(labels[:, j], (probs[:, j] >= thresholds[a]).astype(int), labels=[0, 1])
        ax.imshow(cm, cmap="Blues")
        for (r, c), v in np.ndenumerate(cm):
            ax.text(c, r, str(v), ha="center", va="center")
        ax.set_xticks([0, 1], ["issue", "pass"])
        ax.set_yticks([0, 1], ["issue", "pass"])
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(a)
    fig.tight_layout()
    files.append(str(out / "confusion_matrices.png"))
    fig.savefig(files[-1], dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 5))
    for j, a in enumerate(ATTRIBUTE_NAMES):
        y = labels[:, j] == 0
        if y.any() and not y.all():
            pr, rc, _ = precision_recall_curve(y, 1 - probs[:, j])
            ax.plot(rc, pr, label=a)
    ax.set_xlabel("issue recall")
    ax.set_ylabel("issue precision")
    ax.set_title("PR curves (issue = positive)")
    ax.legend()
    fig.tight_layout()
    files.append(str(out / "pr_curves.png"))
    fig.savefig(files[-1], dpi=100)
    plt.close(fig)
    return files
