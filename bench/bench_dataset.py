"""Benchmark the dataset build: variants per second for a small procedural build.

Run from the repository root: ``python bench/bench_dataset.py [--portraits DIR] [--n 20] [--variants 2] [--workers 2]``.
Writes bench/results/dataset_build.json (includes base analysis, rendering, JPEG storage and
the validation re-analysis of every variant, i.e. the full per-variant cost of a real build).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from dataset_builder.builder import BuildConfig, build
    from dataset_builder.cli import DEFAULT_PORTRAITS

    p = argparse.ArgumentParser()
    p.add_argument("--portraits", default=str(DEFAULT_PORTRAITS))
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--variants", type=int, default=2)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        cfg = BuildConfig(portraits=args.portraits, out=d, variants=args.variants, workers=args.workers, limit=args.n,
                          shard_portraits=4)
        t0 = time.time()
        res = build(cfg, progress=False)
        total = time.time() - t0
        rep = json.loads((Path(d) / "reports" / "validation.json").read_text())
    out = {
        "portraits": args.n, "variants_per_portrait": args.variants, "workers": args.workers,
        "variants_written": res["new_variants"], "build_seconds": round(res["seconds"], 2),
        "variants_per_s": round(res["variants_per_s"], 3), "seconds_with_report": round(total, 2),
        "note": "includes worker start-up (model loading) and portraits skipped for an undetermined base expression",
        "cpu_count": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
        "agreement": {a: v["agreement"] for a, v in rep["agreement_per_attribute"].items()},
    }
    path = ROOT / "bench" / "results" / "dataset_build.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
