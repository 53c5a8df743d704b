"""Scorer speed: steady-state ms per image (decode / analysis / measures) and CLI cold start.

Run from the repository root:  python bench/bench_scorer.py
Writes bench/results/scorer.json; bench/README.md holds the table.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT = REPO / "bench" / "results" / "scorer.json"


def steady_state(n: int = 30, model: str = "measures") -> dict[str, float]:
    import cv2

    from headshot import samples
    from headshot.analysis import default_analyzer
    from headshot.imageio import fit_within, load_image
    from headshot.measures import measure_all
    from headshot.scorer import HeadshotScorer

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "astronaut.jpg"
        cv2.imwrite(str(path), cv2.cvtColor(samples.astronaut(), cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
        analyzer = default_analyzer()
        scorer = HeadshotScorer(model=model, analyzer=analyzer)
        for _ in range(3):  # warm up: graphs built, caches filled
            scorer.score(path)
        t_dec, t_ana, t_mea, t_all = [], [], [], []
        for _ in range(n):
            t0 = time.perf_counter()
            rgb = load_image(path)
            fit_within(rgb, analyzer.limits.analysis_max_side)
            t1 = time.perf_counter()
            a = analyzer.analyze(rgb)
            t2 = time.perf_counter()
            measure_all(a)
            t3 = time.perf_counter()
            scorer.score(path)
            t4 = time.perf_counter()
            t_dec.append(t1 - t0), t_ana.append(t2 - t1), t_mea.append(t3 - t2), t_all.append(t4 - t3)
    ms = lambda v: round(1000 * statistics.median(v), 1)  # noqa: E731
    return {"decode_ms": ms(t_dec), "analysis_ms": ms(t_ana), "measures_ms": ms(t_mea), "score_file_ms": ms(t_all),
            "predict_ms": max(0.0, round(ms(t_all) - ms(t_dec) - ms(t_ana) - ms(t_mea), 1)),  # noise can make it < 0
            "predictor": scorer.predictor_name,
            "image": "astronaut 512x512 JPEG", "runs": n}


def cold_start(runs: int = 5, model: str = "auto") -> dict[str, float]:
    from headshot import samples

    with tempfile.TemporaryDirectory() as d:
        path = samples.write_sample(Path(d) / "astronaut.png")
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        env.pop("HEADSHOT_MODEL", None)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "headshot.cli", "score", "--json", "--model", model, str(path)],
                               cwd=REPO,
                               env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if r.returncode != 0:
                raise SystemExit(f"headshot score failed: {r.stderr}")
    return {"cold_start_s": round(statistics.median(times), 2), "cold_start_min_s": round(min(times), 2), "runs": runs}


def main() -> None:
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "steady_state": steady_state(model="measures"),
        "cold_start": cold_start(model="measures"),
        "steady_state_shipped_model": steady_state(model="auto"),
        "cold_start_shipped_model": cold_start(model="auto"),
        "targets": {"steady_state_ms": 100, "cold_start_s": 3.0},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
