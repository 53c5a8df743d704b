"""Generate ``model_card.md`` (with ``model-index`` YAML metadata) from real evaluation results.

    python -m training.model_card --eval eval.json [--model DIR] [--output model_card.md]

``eval.json`` is what ``headshot evaluate --json --output eval.json`` writes; the training
record (command, time, images/s) is read from the model folder's ``headshot_config.json``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from headshot.attributes import ATTRIBUTE_NAMES


def _fmt(x: Any) -> str:
    return "-" if x is None else f"{x:.3f}"


def model_index(report: dict, name: str) -> list[dict]:
    results = []
    for key, r in report["results"].items():
        metrics = [{"type": "f1", "name": "macro issue-F1", "value": round(r["model"]["macro_issue_f1"], 4)}]
        metrics += [{"type": "f1", "name": f"{a} issue-F1", "value": round(r["model"]["attributes"][a]["issue_f1"], 4)}
                    for a in ATTRIBUTE_NAMES]
        results.append({"task": {"type": "image-classification", "name": "multi-label headshot attribute check"},
                        "dataset": {"type": r.get("source_path", "headshot"), "name": f"headshot {key}", "split": r["split"]},
                        "metrics": metrics})
    return [{"name": name, "results": results}]


def render(report: dict, config: Optional[dict] = None, weak_below: float = 0.9, notes: str = "") -> str:
    config = config or {}
    mcfg = config.get("model", {})
    train = config.get("training", {})
    name = report["model"]
    meta = {"library_name": "peft", "license": "apache-2.0", "pipeline_tag": "image-classification",
            "tags": ["headshot", "multi-label", "lora"], "model-index": model_index(report, name)}
    out = ["---", yaml.safe_dump(meta, sort_keys=False).strip(), "---", "", f"# headshot attribute model ({name})", ""]
    out += ["Predicts the six binary attributes of the headshot label contract (1 = professional): "
            + ", ".join(f"`{a}`" for a in ATTRIBUTE_NAMES) + ".", ""]
    out += ["## Architecture", "",
            f"- backbone: `{mcfg.get('backbone')}` {mcfg.get('backbone_kwargs', {})}, fine-tuning: `{mcfg.get('finetune')}`"
            f" (LoRA r={mcfg.get('lora_r')}, alpha={mcfg.get('lora_alpha')}; the head in `modules_to_save`)",
            f"- interpretable measures as extra input: {mcfg.get('use_measures')}",
            f"- output: {1 - float(mcfg.get('rule_blend', 0.0)):.2f} x network probability + "
            f"{float(mcfg.get('rule_blend', 0.0)):.2f} x rule-layer score",
            "- preprocessing: letterbox the whole image to a square, then resize (no crop: framing depends on the borders)",
            "- thresholds: per attribute, tuned for issue-F1 on the validation split", ""]
    if train:
        out += ["## Training", "", f"- command: `{train.get('command')}`",
                f"- {train.get('train_samples')} training / {train.get('validation_samples')} validation images, "
                f"{train.get('num_processes')} process(es) on {train.get('device')}",
                f"- wall time {train.get('wall_seconds')} s on this machine, {train.get('train_images_per_second')} "
                f"training images/s", *([f"- {train['note']}"] if train.get("note") else []), ""]
    weak = []
    for key, r in report["results"].items():
        out += [f"## Results: {key} (n = {r['n']})", "",
                f"Macro issue-F1 {r['model']['macro_issue_f1']:.3f}; measure-only baseline "
                f"{r['baseline_measures']['macro_issue_f1']:.3f}.", "",
                "| attribute | issue F1 | issue precision | issue recall | pass F1 | ROC-AUC | threshold | baseline issue F1 |",
                "|---|---|---|---|---|---|---|---|"]
        for a in ATTRIBUTE_NAMES:
            m, b = r["model"]["attributes"][a], r["baseline_measures"]["attributes"][a]
            out.append(f"| {a} | {_fmt(m['issue_f1'])} | {_fmt(m['issue_precision'])} | {_fmt(m['issue_recall'])} | "
                       f"{_fmt(m['pass_f1'])} | {_fmt(m['roc_auc'])} | {m['threshold']:.2f} | {_fmt(b['issue_f1'])} |")
            if m["issue_f1"] < weak_below:
                weak.append(f"{a} on {key} (issue-F1 {m['issue_f1']:.3f})")
        out += ["", "By skin tone (ITA of face skin):", "", "| group | n | macro issue-F1 |", "|---|---|---|"]
        out += [f"| {g} | {v['n']} | {v['macro_issue_f1']:.3f} |" for g, v in r["by_skin_tone"].items()]
        out += ["", "By source:", "", "| source | n | macro issue-F1 |", "|---|---|---|"]
        out += [f"| {g} | {v['n']} | {v['macro_issue_f1']:.3f} |" for g, v in r["by_source"].items()]
        if r.get("skipped"):
            out += ["", f"{len(r['skipped'])} photos had no detectable face and were not scored."]
        out.append("")
    if notes:
        out += [notes.strip(), ""]
    out += ["## Limitations", ""]
    out += [f"- weak: {w}" for w in weak] or ["- no attribute below issue-F1 0.9 on the evaluated sets"]
    out += ["- trained on synthetic edits of real portraits; results on real photos are the ones to trust.",
            "- issue-F1 is 0 for an attribute with no issue in the evaluated rows (scikit-learn's zero_division=0).", ""]
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="training.model_card", description=__doc__.splitlines()[0])
    p.add_argument("--eval", required=True, help="evaluation JSON from headshot evaluate --json --output")
    p.add_argument("--model", help="model folder (default: the one named in the evaluation JSON)")
    p.add_argument("--output", default="model_card.md")
    p.add_argument("--notes", help="markdown file with the hand-written sections (choice of backbone, caveats)")
    args = p.parse_args(argv)
    report = json.loads(Path(args.eval).read_text())
    model_dir = Path(args.model or report["model_dir"])
    cfg = json.loads((model_dir / "headshot_config.json").read_text()) if (model_dir / "headshot_config.json").exists() else {}
    notes = Path(args.notes).read_text() if args.notes else ""
    Path(args.output).write_text(render(report, cfg, notes=notes))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
