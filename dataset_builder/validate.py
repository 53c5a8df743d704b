"""Validation: independent checks that each variant shows what its label claims.

The checks are the scorer's measures (``headshot.measures``) on a fresh analysis of the stored
variant, never the operation's own parameters. Per variant we store the check scores and
agreement; the report aggregates agreement per attribute and per operation, label rates per
source, lost faces and duplicates, and draws contact sheets with the labels printed on them.
"""
from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES

from .base import check_scores


def dhash(img: np.ndarray) -> str:
    """64-bit difference hash (duplicate detection)."""
    import cv2

    g = cv2.resize(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), (9, 8), interpolation=cv2.INTER_AREA)
    bits = (g[:, 1:] > g[:, :-1]).flatten()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def check_variant(img: np.ndarray, labels: dict[str, int], analyzer) -> tuple[dict[str, Any], dict[str, Any]]:
    """Re-analyse a stored variant; returns (validation dict, measures dict {attr: raw})."""
    from headshot.measures import measure_all

    a = analyzer.analyze(img, require_face=False)
    if not a.faces:
        return {"face_found": False, "agree": {}, "scores": {}, "dhash": dhash(img)}, {}
    ms = measure_all(a)
    scores = check_scores(ms)
    agree = {k: bool((scores[k] >= 0.5) == (labels[k] == 1)) for k in ATTRIBUTE_NAMES}
    measures = {k: {n: (float(v) if np.isfinite(v) else None) for n, v in ms[k].raw.items()} for k in ATTRIBUTE_NAMES}
    return {"face_found": True, "faces": a.face_count, "scores": {k: round(v, 4) for k, v in scores.items()},
            "agree": agree, "n_agree": int(sum(agree.values())), "dhash": dhash(img)}, measures


def op_of(plan: dict, family: str) -> str:
    for o in plan.get("operations", []):
        if o["family"] == family:
            return o["op"]
    return "none"


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """rows: dicts with source, split, portrait_id, labels, plan (dict), validation (dict)."""
    per_attr = {a: {"n": 0, "agree": 0, "by_label": {"0": [0, 0], "1": [0, 0]}} for a in ATTRIBUTE_NAMES}
    per_op: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_source: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, **{a: 0 for a in ATTRIBUTE_NAMES}})
    lost, flagged = 0, 0
    hashes: dict[str, list[str]] = defaultdict(list)
    splits: dict[str, set] = defaultdict(set)
    for r in rows:
        v, plan = r["validation"], r["plan"]
        src = per_source[r["source"]]
        src["n"] += 1
        splits[r["split"]].add(r["portrait_id"])
        for a in ATTRIBUTE_NAMES:
            src[a] += int(r[a])
        if not v.get("face_found", False):
            lost += 1
            continue
        hashes[v["dhash"]].append(f"{r['portrait_id']}#{r.get('variant', '?')}")
        if v.get("n_agree", 6) < 6:
            flagged += 1
        for a in ATTRIBUTE_NAMES:
            ok = int(v["agree"][a])
            pa = per_attr[a]
            pa["n"] += 1
            pa["agree"] += ok
            pa["by_label"][str(int(r[a]))][0] += ok
            pa["by_label"][str(int(r[a]))][1] += 1
            op = op_of(plan, a)
            key = f"{a}/{op}/label={int(r[a])}"
            per_op[key][0] += ok
            per_op[key][1] += 1
    for s in per_source.values():
        for a in ATTRIBUTE_NAMES:
            s[a] = round(s[a] / max(1, s["n"]), 3)
    dups = {h: ids for h, ids in hashes.items() if len(ids) > 1}
    overlap = []
    names = sorted(splits)
    for i, x in enumerate(names):
        for y in names[i + 1:]:
            overlap += sorted(splits[x] & splits[y])
    n = len(rows)
    return {
        "variants": n,
        "faces_lost": lost,
        "flagged_any_disagreement": flagged,
        "agreement_per_attribute": {a: {"agreement": round(p["agree"] / max(1, p["n"]), 4), "n": p["n"],
                                        "agreement_label0": round(p["by_label"]["0"][0] / max(1, p["by_label"]["0"][1]), 4),
                                        "n_label0": p["by_label"]["0"][1],
                                        "agreement_label1": round(p["by_label"]["1"][0] / max(1, p["by_label"]["1"][1]), 4),
                                        "n_label1": p["by_label"]["1"][1]} for a, p in per_attr.items()},
        "agreement_per_operation": {k: {"agreement": round(v[0] / max(1, v[1]), 4), "n": v[1]} for k, v in sorted(per_op.items())},
        "label_rate_per_source": dict(sorted(per_source.items())),
        "label_rate_overall": {a: round(sum(int(r[a]) for r in rows) / max(1, n), 4) for a in ATTRIBUTE_NAMES},
        "duplicates": {"groups": len(dups), "examples": dict(list(dups.items())[:10])},
        "portraits_per_split": {k: len(v) for k, v in splits.items()},
        "portraits_in_two_splits": overlap,
    }


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "validation.json").write_text(json.dumps(report, indent=2))
    lines = ["# Validation report", "", f"Variants: {report['variants']}; faces lost: {report['faces_lost']}; "
             f"variants with any disagreement: {report['flagged_any_disagreement']}; duplicate groups: "
             f"{report['duplicates']['groups']}; portraits in two splits: {len(report['portraits_in_two_splits'])}.", "",
             "Checks are the scorer's measures on a fresh analysis of the stored variant.", "",
             "## Agreement per attribute", "", "| attribute | agreement | label 0 (n) | label 1 (n) |", "|---|---|---|---|"]
    for a, p in report["agreement_per_attribute"].items():
        lines.append(f"| {a} | {p['agreement']:.3f} | {p['agreement_label0']:.3f} ({p['n_label0']}) | "
                     f"{p['agreement_label1']:.3f} ({p['n_label1']}) |")
    lines += ["", "## Agreement per operation", "", "| attribute/op/label | agreement | n |", "|---|---|---|"]
    lines += [f"| {k} | {v['agreement']:.3f} | {v['n']} |" for k, v in report["agreement_per_operation"].items()]
    lines += ["", "## Label rate (share of 1) per source", "", "| source | n | " + " | ".join(ATTRIBUTE_NAMES) + " |",
              "|---|---|" + "---|" * len(ATTRIBUTE_NAMES)]
    for s, d in report["label_rate_per_source"].items():
        lines.append(f"| {s} | {d['n']} | " + " | ".join(f"{d[a]:.2f}" for a in ATTRIBUTE_NAMES) + " |")
    (out_dir / "validation.md").write_text("\n".join(lines) + "\n")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(1, 2, figsize=(11, 3.6))
        pa = report["agreement_per_attribute"]
        x = np.arange(len(pa))
        ax[0].bar(x - 0.2, [p["agreement_label0"] for p in pa.values()], 0.4, label="label 0")
        ax[0].bar(x + 0.2, [p["agreement_label1"] for p in pa.values()], 0.4, label="label 1")
        ax[0].set_xticks(x, list(pa), rotation=30)
        ax[0].set_ylim(0, 1)
        ax[0].set_title("check agreement")
        ax[0].legend()
        srcs = report["label_rate_per_source"]
        for i, (s, d) in enumerate(srcs.items()):
            ax[1].plot(ATTRIBUTE_NAMES, [d[a] for a in ATTRIBUTE_NAMES], marker="o", label=s)
        ax[1].set_ylim(0, 1)
        ax[1].set_title("label rate (share of 1) per source")
        ax[1].tick_params(axis="x", rotation=30)
        ax[1].legend(fontsize=6)
        fig.tight_layout()
        fig.savefig(out_dir / "validation.png", dpi=90)
        plt.close(fig)
    except Exception as e:  # the plot is a convenience; the JSON/markdown are the record
        (out_dir / "validation_plot_error.txt").write_text(repr(e))


def contact_sheet(items: list[tuple[bytes, dict[str, int], str]], path: Path, cols: int = 6, tile: int = 192) -> None:
    """PNG grid; each tile shows the variant with its labels (red = 0) and its id printed on it."""
    import cv2
    from PIL import Image

    tiles = []
    for data, labels, title in items:
        img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        h, w = img.shape[:2]
        s = tile / max(h, w)
        img = cv2.resize(img, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
        t = np.full((tile + 58, tile, 3), 255, np.uint8)
        t[: img.shape[0], : img.shape[1]] = img
        cv2.putText(t, title[:30], (2, tile + 12), cv2.FONT_HERSHEY_SIMPLEX, 0.33, (0, 0, 0), 1, cv2.LINE_AA)
        for i, a in enumerate(ATTRIBUTE_NAMES):
            col = (0, 140, 0) if labels[a] else (210, 0, 0)
            cv2.putText(t, f"{a[:5]}={labels[a]}", (2 + (i % 3) * 64, tile + 28 + (i // 3) * 14),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.33, col, 1, cv2.LINE_AA)
        tiles.append(t)
    if not tiles:
        return
    while len(tiles) % cols:
        tiles.append(np.full_like(tiles[0], 255))
    grid = np.vstack([np.hstack(tiles[i:i + cols]) for i in range(0, len(tiles), cols)])
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).save(path)


def validate_dataset(out_dir: str | Path, recheck: bool = False, sheets: int = 4) -> dict[str, Any]:
    """Rebuild the report from the shards (``recheck``: re-run the checks on every image)."""
    import pyarrow.parquet as pq

    out_dir = Path(out_dir)
    shards = sorted((out_dir / "data").glob("*.parquet"))
    if not shards:
        raise FileNotFoundError(f"{out_dir}/data has no Parquet shards")
    rows, sample = [], []
    analyzer = None
    if recheck:
        from headshot.analysis import FaceAnalyzer

        analyzer = FaceAnalyzer()
    for sh in shards:
        split = sh.name.split("-")[0]
        cols = ["portrait_id", "source", "plan", "validation", *ATTRIBUTE_NAMES] + (["image"] if recheck or len(sample) < 36 * sheets else [])
        t = pq.read_table(sh, columns=cols).to_pylist()
        for i, r in enumerate(t):
            labels = {a: int(r[a]) for a in ATTRIBUTE_NAMES}
            v = json.loads(r["validation"])
            if recheck:
                from PIL import Image

                img = np.asarray(Image.open(io.BytesIO(r["image"]["bytes"])).convert("RGB"))
                v, _ = check_variant(img, labels, analyzer)
            plan = json.loads(r["plan"])
            rows.append({"source": r["source"], "split": split, "portrait_id": r["portrait_id"], "plan": plan,
                         "validation": v, "variant": i, **labels})
            if "image" in r and len(sample) < 36 * sheets:
                sample.append((r["image"]["bytes"], labels, f"{r['portrait_id'].split('/')[-1]} {split}"))
    report = aggregate(rows)
    write_report(report, out_dir / "reports")
    for k in range(0, len(sample), 36):
        contact_sheet(sample[k:k + 36], out_dir / "reports" / "contact_sheets" / f"sheet_{k // 36:02d}.png")
    return report
