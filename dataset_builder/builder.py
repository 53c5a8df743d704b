"""Build the dataset: tasks (one Parquet shard each) spread over spawn worker processes.

Each worker owns its analyzer, analyses every base portrait once and reuses it for all that
portrait's variants, renders, stores (JPEG q92, long side <= 512), re-analyses the stored
variant for validation, and writes its shard atomically (tmp file, then rename). The main
process records finished shards in ``manifest.jsonl``; a killed build resumes by skipping
the shards in the manifest (anything else in data/ is an interrupted leftover and is redone).
"""
from __future__ import annotations

import hashlib
import io
import json
import multiprocessing as mp
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES
from headshot.predictors import MIN_SHARP_FACE_PX

from .base import BaseRecord, list_portraits

SPLITS = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
MAX_SIDE = 512
JPEG_QUALITY = 92
FAIL_AFTER_ENV = "HEADSHOT_BUILD_FAIL_AFTER"  # test hook: stop the build after N shards


@dataclass
class BuildConfig:
    portraits: str
    out: str
    variants: int = 8
    backend: str = "procedural"
    seed: int = 0
    workers: int = 2
    shard_portraits: int = 16
    limit: Optional[int] = None
    sources: Optional[list[str]] = None
    backend_kwargs: dict[str, Any] = field(default_factory=dict)
    # also store each portrait unedited where all six of its own labels are known (the background
    # one measured with the confident margins). They are the only rows with real backdrops, light and
    # clothing; leaving them out cost real-photo attire and expression (model_card.md).
    originals: bool = True

    def identity(self) -> dict[str, Any]:
        """What must match for a resume to continue the same build."""
        d = asdict(self)
        d.pop("out"), d.pop("workers"), d.pop("portraits")
        return d


def split_of(portrait_id: str, seed: int = 0) -> str:
    """Deterministic split by base portrait (never by variant): no portrait is in two splits."""
    h = int(hashlib.sha1(f"{seed}:{portrait_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, frac in SPLITS:
        acc += frac
        if h < acc:
            return name
    return SPLITS[-1][0]


def variant_seed(seed: int, portrait_id: str, v: int) -> int:
    return int(hashlib.sha1(f"{seed}:{portrait_id}:{v}".encode()).hexdigest()[:8], 16)


def features():
    import datasets

    return datasets.Features({
        "image": datasets.Image(), "portrait_id": datasets.Value("string"), "source": datasets.Value("string"),
        **{a: datasets.Value("int64") for a in ATTRIBUTE_NAMES},
        "plan": datasets.Value("string"), "prompt": datasets.Value("string"), "backend": datasets.Value("string"),
        "measures": datasets.Value("string"), "validation": datasets.Value("string"),
    })


def make_tasks(records: list[BaseRecord], cfg: BuildConfig) -> list[dict[str, Any]]:
    by_split: dict[str, list[BaseRecord]] = {s: [] for s, _ in SPLITS}
    for r in records:
        by_split[split_of(r.portrait_id, cfg.seed)].append(r)
    tasks = []
    for split, recs in by_split.items():
        for k in range(0, len(recs), cfg.shard_portraits):
            tasks.append({"shard": f"{split}-{k // cfg.shard_portraits:05d}.parquet", "split": split,
                          "records": [asdict(r) for r in recs[k:k + cfg.shard_portraits]]})
    return tasks


# ------------------------------------------------------------------ worker side
_W: dict[str, Any] = {}


def _init_worker(cfg_dict: dict[str, Any]) -> None:
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass
    from headshot.analysis import FaceAnalyzer

    from .backends import get_backend

    cfg = BuildConfig(**cfg_dict)
    _W["cfg"] = cfg
    _W["analyzer"] = FaceAnalyzer()
    _W["backend"] = get_backend(cfg.backend, **cfg.backend_kwargs)


def encode_jpeg(img: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _donor_crop(img: np.ndarray, a) -> np.ndarray:
    f = a.main_face
    s = 1 / a.scale
    x0, y0, x1, y1 = f.x0 * s, f.y0 * s, f.x1 * s, f.y1 * s
    mx, my = 0.25 * (x1 - x0), 0.35 * (y1 - y0)
    h, w = img.shape[:2]
    return img[int(max(0, y0 - my)):int(min(h, y1 + 0.15 * my)), int(max(0, x0 - mx)):int(min(w, x1 + mx))].copy()


def _plates() -> tuple[str, ...]:
    """The real photo plates installed here (read once per process)."""
    if "plates" not in _W:
        from .plates import available_plates

        _W["plates"] = tuple(available_plates())
    return _W["plates"]


def render_portrait(rec: BaseRecord, cfg: BuildConfig, analyzer, backend, donor: Optional[np.ndarray]) -> tuple[list[dict], Optional[np.ndarray], str]:
    """All variants of one base portrait (rows ready for the shard), its donor crop, a status."""
    from headshot.errors import HeadshotError
    from headshot.imageio import load_image

    from .base import base_info
    from .g import make_plan, sample_targets
    from .validate import check_variant

    try:
        img = load_image(rec.path)
        a = analyzer.analyze(img)
    except HeadshotError as e:
        return [], None, f"skipped: {e}"
    info = base_info(rec, a)
    if not info.usable:
        return [], _donor_crop(img, a), "skipped: expression undetermined on the base"
    rows = []
    skipped_variants: list[str] = []
    for v in range(cfg.variants):
        seed = variant_seed(cfg.seed, rec.portrait_id, v)
        rng = np.random.default_rng(seed)
        try:
            targets = sample_targets(rng, info.labels, rec.head_shoulders)
        except ValueError as e:
            return [], _donor_crop(img, a), f"skipped: {e}"
        plan = make_plan(targets, info.plan_info(donor is not None, _plates()), seed)
        try:
            out, ctx = backend.render(img, plan, a, donor=donor, max_side=MAX_SIDE, return_context=True)
        except ValueError as e:  # an edit that cannot be placed on this face (e.g. a mask on a rolled head)
            skipped_variants.append(f"variant {v}: {e}")
            continue
        labels = dict(plan.targets)
        face_px = info.face_px * ctx.scale
        if labels["sharpness"] == 1 and face_px < MIN_SHARP_FACE_PX:
            labels["sharpness"] = 0  # contract: a face under about 100 px is too small to be sharp
            plan.notes.append(f"sharpness 0: face {face_px:.0f} px tall after resizing")
        data = encode_jpeg(out)
        from PIL import Image

        stored = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        val, measures = check_variant(stored, labels, analyzer)
        val["variant"] = v
        if not val["face_found"]:
            continue  # face lost by the edit: dropped (counted in the worker stats)
        rows.append({"image": {"bytes": data, "path": None}, "portrait_id": rec.portrait_id, "source": rec.source,
                     **labels, "plan": plan.to_json(), "prompt": plan.prompt, "backend": cfg.backend,
                     "measures": json.dumps(measures), "validation": json.dumps(val)})
    if cfg.originals:
        row = original_row(img, info, cfg, analyzer)
        if row is not None:
            rows.append(row)
    return rows, _donor_crop(img, a), "ok" if not skipped_variants else "ok; " + "; ".join(skipped_variants)


def original_row(img: np.ndarray, info, cfg: BuildConfig, analyzer) -> Optional[dict]:
    """The base portrait itself, only resized: an identity plan whose labels are the portrait's own.

    Why: every edited variant is composited, so without these rows the model never sees a real,
    untouched background, body outline or light. Written only where all six labels are known
    (the background one measured with the same confidence margins as the others).
    """
    import io as _io

    from PIL import Image

    from headshot.imageio import fit_within

    from .base import confident
    from .g import EditPlan
    from .validate import check_variant

    labels = dict(info.labels)
    labels["background"] = confident(info.scores.get("background", float("nan")), "background")
    if any(v is None for v in labels.values()):
        return None
    out, scale = fit_within(img, MAX_SIDE)
    if labels["sharpness"] == 1 and info.face_px * scale < MIN_SHARP_FACE_PX:
        labels["sharpness"] = 0
    plan = EditPlan(targets={k: int(v) for k, v in labels.items()}, prompt="", negative_prompt="", strength=0.0,
                    seed=variant_seed(cfg.seed, info.record.portrait_id, cfg.variants),
                    operations=[], notes=["unedited original (labels: labels.csv and confident measures)"])
    data = encode_jpeg(out)
    stored = np.asarray(Image.open(_io.BytesIO(data)).convert("RGB"))
    val, measures = check_variant(stored, plan.targets, analyzer)
    if not val["face_found"]:
        return None
    val["variant"] = "original"
    return {"image": {"bytes": data, "path": None}, "portrait_id": info.record.portrait_id,
            "source": info.record.source, **plan.targets, "plan": plan.to_json(), "prompt": "",
            "backend": "original", "measures": json.dumps(measures), "validation": json.dumps(val)}


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    import datasets

    cfg, analyzer, backend = _W["cfg"], _W["analyzer"], _W["backend"]
    t0 = time.time()
    rows, status = [], {}
    donor = None
    for rd in task["records"]:
        rec = BaseRecord(**rd)
        r, d, st = render_portrait(rec, cfg, analyzer, backend, donor)
        rows += r
        status[rec.portrait_id] = st
        if d is not None and d.size:
            donor = d  # the next portrait in this shard (same split) may get this face in its backdrop
    out = Path(cfg.out) / "data" / task["shard"]
    tmp = out.with_suffix(".parquet.tmp")
    if rows:
        ds = datasets.Dataset.from_list(rows, features=features())
        ds.to_parquet(str(tmp))
        os.replace(tmp, out)
    return {"shard": task["shard"], "rows": len(rows), "status": status, "seconds": time.time() - t0}


# ------------------------------------------------------------------ main side
def build(cfg: BuildConfig, progress: bool = True) -> dict[str, Any]:
    out = Path(cfg.out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    records = list_portraits(cfg.portraits, cfg.sources)
    if cfg.limit:
        step = max(1, len(records) // cfg.limit)
        records = records[::step][: cfg.limit]  # spread over the sources
    if not records:
        raise ValueError(f"no portraits found under {cfg.portraits}")
    # shards are named by position, so a resume is only safe over the very same portrait list
    identity = {**cfg.identity(),
                "portraits_sha1": hashlib.sha1("\n".join(r.portrait_id for r in records).encode()).hexdigest()}
    cfg_path = out / "build_config.json"
    if cfg_path.exists():
        old = json.loads(cfg_path.read_text())
        if old.get("identity") != identity:
            raise ValueError(f"{out} holds a different build (other settings or another portrait list: "
                             f"{old.get('identity')}); use a new --out folder")
    else:
        cfg_path.write_text(json.dumps({"identity": identity, "config": asdict(cfg)}, indent=2))
    tasks = make_tasks(records, cfg)
    manifest = out / "manifest.jsonl"
    done = {}
    if manifest.exists():
        for line in manifest.read_text().splitlines():
            if line.strip():
                try:
                    d = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a kill
                if d["rows"] == 0 or (out / "data" / d["shard"]).exists():
                    done[d["shard"]] = d
    for f in (out / "data").iterdir():  # leftovers of an interrupted run
        if f.name.endswith(".tmp") or f.name not in done:
            f.unlink()
    todo = [t for t in tasks if t["shard"] not in done]
    fail_after = int(os.environ.get(FAIL_AFTER_ENV, "0") or 0)
    t0 = time.time()
    n_new = 0
    n_shards = 0
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc="shards", unit="shard", disable=not progress)
    with manifest.open("a") as mf:
        def record(res: dict[str, Any]) -> None:
            nonlocal n_new, n_shards
            n_shards += 1
            mf.write(json.dumps({"shard": res["shard"], "rows": res["rows"], "seconds": round(res["seconds"], 2),
                                 "status": res["status"]}) + "\n")
            mf.flush()
            os.fsync(mf.fileno())
            n_new += res["rows"]
            bar.update(1)
            bar.set_postfix(variants=n_new, per_s=f"{n_new / max(1e-6, time.time() - t0):.2f}")
            if fail_after and n_shards >= fail_after:
                raise KeyboardInterrupt(f"test hook {FAIL_AFTER_ENV}={fail_after}")

        if cfg.workers <= 1:
            _init_worker(asdict(cfg))
            for t in todo:
                record(run_task(t))
        else:
            ctx = mp.get_context("spawn")
            with ctx.Pool(cfg.workers, initializer=_init_worker, initargs=(asdict(cfg),)) as pool:
                for res in pool.imap_unordered(run_task, todo):
                    record(res)
    bar.close()
    elapsed = time.time() - t0
    finalize(cfg, out)
    return {"new_variants": n_new, "seconds": elapsed, "variants_per_s": n_new / max(1e-6, elapsed),
            "shards": len(tasks)}


def finalize(cfg: BuildConfig, out: Path) -> dict[str, Any]:
    from .card import write_card
    from .validate import validate_dataset

    report = validate_dataset(out)
    write_card(out, cfg, report)
    return report
