"""``headshot evaluate``: a model on a dataset split and/or real labelled photos (evaluation only)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "evaluate a model on a dataset split or real labelled photos"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="model folder or Hub id")
    parser.add_argument("--dataset", help="built dataset folder (or a real-photo folder with labels.csv)")
    parser.add_argument("--split", default="test", help="dataset split (default: test)")
    parser.add_argument("--real", help="real-photo folder with labels.csv, e.g. ../shared/data/realeval_public")
    parser.add_argument("--max-samples", type=int, help="evaluate only the first N rows")
    parser.add_argument("--json", action="store_true", help="print the full results as JSON")
    parser.add_argument("--output", help="also write the JSON here")
    parser.add_argument("--plots", help="folder for PNG plots")
    parser.add_argument("--errors", help="folder for the misclassified-image gallery (errors.json + thumbnails; "
                                         "keep it out of git: the images derive from licensed portraits)")


def _table(report: dict) -> str:
    from headshot.attributes import ATTRIBUTE_NAMES

    lines = [f"model: {report['model']}"]
    for key, r in report["results"].items():
        lines.append(f"\n[{key}] n={r['n']}  macro issue-F1 {r['model']['macro_issue_f1']:.3f}"
                     f"  (measures baseline {r['baseline_measures']['macro_issue_f1']:.3f})")
        lines.append(f"{'attribute':12} {'issueF1':>8} {'prec':>6} {'rec':>6} {'passF1':>7} {'AUC':>6} {'thr':>5} {'base':>6}")
        for a in ATTRIBUTE_NAMES:
            m, b = r["model"]["attributes"][a], r["baseline_measures"]["attributes"][a]
            auc = f"{m['roc_auc']:.3f}" if m["roc_auc"] is not None else "  -  "
            lines.append(f"{a:12} {m['issue_f1']:8.3f} {m['issue_precision']:6.3f} {m['issue_recall']:6.3f} "
                         f"{m['pass_f1']:7.3f} {auc:>6} {m['threshold']:5.2f} {b['issue_f1']:6.3f}")
        if r["skipped"]:
            lines.append(f"skipped (no face): {len(r['skipped'])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_model

    report = evaluate_model(args.model, args.dataset, args.split, args.real, args.plots, args.max_samples,
                            progress=not args.json, errors_dir=args.errors)
    text = json.dumps(report, indent=2)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text)
    print(text if args.json else _table(report))
    return 0
