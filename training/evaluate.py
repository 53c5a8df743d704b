"""Evaluation: issue-F1 per attribute (label 0 positive) and its macro average, pass-class F1,
precision, recall, ROC-AUC, at the thresholds tuned on validation; the same broken down by
skin-tone group and by source; and the measure-only baseline on the same rows.

Skin tone: the individual typology angle ITA = atan((L* - 50) / b*) of the face skin (Chardon et
al. 1991 bins), from the lighting measures (face luma -> L*, skin b*), so no second analysis is
needed. Face-quality tools are known to fail darker skin; the breakdown makes that visible.
"""
from __future__ import annotations

import json

import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np
from tqdm.auto import tqdm

from headshot.attributes import ATTRIBUTE_NAMES
from headshot.errors import HeadshotError
from headshot.model.features import raw_measures

from .data import Split, is_real_folder, load_split

METRIC_DIR = Path(__file__).resolve().parent / "metrics" / "issue_f1"
ITA_BINS = [(55, "very light"), (41, "light"), (28, "intermediate"), (10, "tan"), (-30, "brown"), (-1e9, "dark")]


@lru_cache(maxsize=1)
def issue_metric():
    import evaluate

    return evaluate.load(str(METRIC_DIR))


def ita_group(measures: Any) -> str:
    light = raw_measures(measures).get("lighting", {})
    luma, b = light.get("face_luma_mean", float("nan")), light.get("skin_b_star", float("nan"))
    if not (math.isfinite(luma) and math.isfinite(b)):
        return "unknown"
    c = luma / 255.0
    y = ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92
    lstar = 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y
    ita = math.degrees(math.atan2(lstar - 50.0, b))
    return next(name for lo, name in ITA_BINS if ita > lo)


def attribute_metrics(probs: np.ndarray, labels: np.ndarray, thresholds: dict[str, float]) -> dict[str, Any]:
    from sklearn.metrics import confusion_matrix, f1_score, roc_auc_score

    metric = issue_metric()
    out: dict[str, Any] = {}
    for j, a in enumerate(ATTRIBUTE_NAMES):
        y, p = labels[:, j], probs[:, j]
        thr = float(thresholds.get(a, 0.5))
        pred = (p >= thr).astype(int)
        r = metric.compute(predictions=pred.tolist(), references=y.tolist())
        both = len(np.unique(y)) == 2
        out[a] = {"issue_f1": r["f1"], "issue_precision": r["precision"], "issue_recall": r["recall"],
                  "pass_f1": float(f1_score(y, pred, pos_label=1, zero_division=0)),
                  "roc_auc": float(roc_auc_score(y == 0, 1 - p)) if both else None,
                  "threshold": thr, "n": int(len(y)), "n_issue": int((y == 0).sum()),
                  "confusion": confusion_matrix(y, pred, labels=[0, 1]).tolist()}
    return {"attributes": out, "macro_issue_f1": float(np.mean([v["issue_f1"] for v in out.values()])),
            "macro_pass_f1": float(np.mean([v["pass_f1"] for v in out.values()]))}


def grouped(probs: np.ndarray, labels: np.ndarray, thresholds: dict[str, float], groups: list[str]) -> dict[str, Any]:
    res = {}
    for g in sorted(set(groups)):
        idx = np.array([i for i, x in enumerate(groups) if x == g])
        m = attribute_metrics(probs[idx], labels[idx], thresholds)
        res[g] = {"n": int(len(idx)), "macro_issue_f1": m["macro_issue_f1"],
                  "issue_f1": {a: v["issue_f1"] for a, v in m["attributes"].items()},
                  "n_issue": {a: v["n_issue"] for a, v in m["attributes"].items()}}
    return res


def baseline_probs(measures: list[Any]) -> np.ndarray:
    """The scorer's measure-only predictor on the same rows: each attribute's weakest logistic term."""
    from headshot.model.features import rule_probs

    return np.stack([rule_probs(m) for m in measures]) if measures else np.zeros((0, len(ATTRIBUTE_NAMES)))


def _dataset_inputs(split: Split, i: int) -> tuple[np.ndarray, Any]:
    return split.image(i), split.measures[i]


def real_inputs(split: Split, progress: bool = True) -> tuple[list[int], list[np.ndarray], list[dict], list[str], list[tuple[int, float]]]:
    """Analyse real photos once (analysis image + measures); photos with no face are listed, not scored."""
    from headshot.analysis import default_analyzer
    from headshot.measures import measure_all

    an = default_analyzer()
    keep, images, measures, skipped, faces = [], [], [], [], []
    for i in tqdm(range(len(split)), desc="analyse real photos", disable=not progress):
        try:
            a = an.analyze(split._files[i])
        except HeadshotError as e:
            skipped.append(f"{split.portrait_id[i]}: {e}")
            continue
        keep.append(i)
        faces.append((a.face_count, a.face_height_px / a.scale))
        images.append(a.image)
        measures.append({k: r.raw for k, r in measure_all(a).items()})
    return keep, images, measures, skipped, faces


def apply_contract_rules(probs: np.ndarray, faces: list[tuple[int, float]], thresholds: dict[str, float]) -> np.ndarray:
    """What the scorer does after the predictor: the contract's outright failures (another face:
    framing and background; a main face under 100 px: sharpness). ``faces``: (count, main face px)."""
    from headshot.predictors import forced_failures

    out = probs.copy()
    for i, (n, px) in enumerate(faces):
        for a in forced_failures(n, px):
            j = ATTRIBUTE_NAMES.index(a)
            out[i, j] = min(out[i, j], thresholds.get(a, 0.5) * 0.5)
    return out


def predict(model, images_fn, n: int, batch_size: int = 32, progress: bool = True) -> np.ndarray:
    out = []
    for s in tqdm(range(0, n, batch_size), desc="predict", disable=not progress):
        imgs, ms = zip(*[images_fn(i) for i in range(s, min(n, s + batch_size))])
        out.append(model.predict_proba(list(imgs), list(ms)))
    return np.concatenate(out) if out else np.zeros((0, len(ATTRIBUTE_NAMES)))


def evaluate_split(model, split: Split, progress: bool = True) -> dict[str, Any]:
    skipped: list[str] = []
    if split._files is not None:  # real photos: analyse first
        keep, images, measures, skipped, faces = real_inputs(split, progress)
        labels = split.labels[keep]
        sources = [split.source[i] for i in keep]
        probs = predict(model, lambda i: (images[i], measures[i]), len(keep), progress=progress)
        thr0 = {a: float(model.thresholds.get(a, 0.5)) for a in ATTRIBUTE_NAMES}
        probs = apply_contract_rules(probs, faces, thr0)  # real photos are scored as HeadshotScorer does
    else:
        measures, labels, sources = split.measures, split.labels, split.source
        probs = predict(model, lambda i: _dataset_inputs(split, i), len(split), progress=progress)
    thr = {a: float(model.thresholds.get(a, 0.5)) for a in ATTRIBUTE_NAMES}
    base = baseline_probs(measures)
    skin = [ita_group(m) for m in measures]
    res = {"split": split.name, "n": int(len(labels)), "skipped": skipped, "thresholds": thr,
           "model": {**attribute_metrics(probs, labels, thr),
                     "macro_issue_f1@0.5": attribute_metrics(probs, labels, {})["macro_issue_f1"]},
           "baseline_measures": attribute_metrics(base, labels, {}),
           "by_skin_tone": grouped(probs, labels, thr, skin), "by_source": grouped(probs, labels, thr, sources),
           "baseline_by_skin_tone": grouped(base, labels, {}, skin)}
    res["_arrays"] = {"probs": probs, "labels": labels, "baseline": base}
    res["_image"] = (lambda j: images[j]) if split._files is not None else split.image
    res["_ids"] = [split.portrait_id[i] for i in keep] if split._files is not None else list(split.portrait_id)
    return res


def write_errors(out_dir: Path, key: str, probs: np.ndarray, labels: np.ndarray, thresholds: dict[str, float],
                 image_fn, ids: list[str], limit: int = 24) -> list[dict[str, Any]]:
    """Save the rows with the most wrong attributes as thumbnails plus a JSON list for the dashboard.

    The images derive from the licensed base portraits, so ``out_dir`` must stay out of git
    (``reports/evaluation/errors/`` is ignored); the JSON records only paths and numbers.
    """
    from PIL import Image

    thr = np.array([thresholds.get(a, 0.5) for a in ATTRIBUTE_NAMES])
    wrong = (probs >= thr).astype(int) != labels
    order = [i for i in np.argsort(-wrong.sum(1), kind="stable") if wrong[i].any()][:limit]
    out_dir.mkdir(parents=True, exist_ok=True)
    items = []
    for i in order:
        img = Image.fromarray(np.asarray(image_fn(int(i))))
        img.thumbnail((384, 384))
        path = out_dir / f"{key}_{int(i):05d}.jpg"
        img.save(path, quality=88)
        items.append({"image": str(path), "split": key, "id": ids[int(i)],
                      "labels": {a: int(labels[i, k]) for k, a in enumerate(ATTRIBUTE_NAMES)},
                      "probabilities": {a: round(float(probs[i, k]), 4) for k, a in enumerate(ATTRIBUTE_NAMES)}})
    return items


def evaluate_model(model_dir: str, dataset: Optional[str] = None, split: str = "test", real: Optional[str] = None,
                   plots: Optional[str] = None, max_samples: Optional[int] = None, progress: bool = True,
                   errors_dir: Optional[str] = None) -> dict[str, Any]:
    from headshot.model import HeadshotModel

    model = HeadshotModel.from_pretrained(model_dir)
    report: dict[str, Any] = {"model": model.name, "model_dir": str(model_dir), "results": {}}
    targets = []
    if dataset:
        if is_real_folder(Path(dataset)):
            targets.append(("real", load_split(dataset, max_samples=max_samples)))
        else:
            targets.append((split, load_split(dataset, split, max_samples)))
    if real:
        targets.append(("real", load_split(real, max_samples=max_samples)))
    if not targets:
        raise HeadshotError("nothing to evaluate: give --dataset and/or --real")
    for key, sp in targets:
        r = evaluate_split(model, sp, progress)
        arrays = r.pop("_arrays")
        image_fn, ids = r.pop("_image"), r.pop("_ids")
        if errors_dir:
            errors = write_errors(Path(errors_dir) / "images", key, arrays["probs"], arrays["labels"],
                                  r["thresholds"], image_fn, ids)
            report.setdefault("errors", []).extend(errors)
        r["source_path"] = str(dataset if key != "real" or not real else real)
        report["results"][key] = r
        if plots:
            from .plots import write_plots

            r["plots"] = write_plots(Path(plots) / key, arrays["probs"], arrays["labels"], arrays["baseline"],
                                     r["thresholds"], title=f"{model.name} on {key}")
    if errors_dir and "errors" in report:
        Path(errors_dir).mkdir(parents=True, exist_ok=True)
        (Path(errors_dir) / "errors.json").write_text(json.dumps(report["errors"], indent=1))
    return report
