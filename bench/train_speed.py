"""CPU speed of the training pieces, per backbone and trainable depth: stem (run once, cached), trunk +
head training step (every epoch), and full-image inference. Writes bench/results/cpu_speed.json.

    python bench/train_speed.py [--backbones mobilenetv2 efficientnet-lite0] [--blocks 3 5] [--batch 32]
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from headshot.model import HeadshotModel, ModelConfig  # noqa: E402
from headshot.model.features import MeasureFeaturizer  # noqa: E402


def timed(fn, reps: int) -> float:
    fn()
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t) / reps


def bench(backbone: str, blocks: int, batch: int, reps: int) -> dict:
    feat = MeasureFeaturizer(keys=[f"k{i}" for i in range(36)], mean=[0.0] * 36, std=[1.0] * 36)
    m = HeadshotModel(ModelConfig(backbone=backbone, backbone_kwargs={"trainable_blocks": blocks}), feat)
    s = m.preprocessing.image_size
    x = torch.randn(batch, 3, s, s)
    mf = torch.randn(batch, feat.dim)
    y = torch.randint(0, 2, (batch, 6)).float()
    with torch.no_grad():
        stem = m.backbone.forward_stem(x)
    t_stem = timed(lambda: m.backbone.forward_stem(x), reps) if True else 0
    opt = torch.optim.AdamW(m.trainable_parameters(), 1e-3)
    m.train()

    def step():
        loss = m(stem_features=stem.half().float(), measure_features=mf, labels=y)["loss"]
        loss.backward()
        opt.step()
        opt.zero_grad()

    t_step = timed(step, reps)
    img = np.random.default_rng(0).integers(0, 255, (768, 1024, 3), np.uint8)
    t_inf = timed(lambda: m.predict_proba([img], [{}]), reps * 3)
    return {"backbone": backbone, "trainable_blocks": blocks, "batch": batch,
            "stem_shape": list(stem.shape[1:]), "stem_cache_mb_per_1k_images_fp16": round(stem[0].numel() * 2 * 1000 / 2**20, 1),
            "stem_images_per_s": round(batch / t_stem, 1), "train_step_images_per_s": round(batch / t_step, 1),
            "inference_ms_per_image": round(1000 * t_inf, 1),
            "trainable_params": sum(p.numel() for p in m.trainable_parameters())}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--backbones", nargs="+", default=["mobilenetv2", "efficientnet-lite0"])
    p.add_argument("--blocks", nargs="+", type=int, default=[3, 5])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", type=int, default=None, help="torch threads (1 is much faster when the cores are shared)")
    p.add_argument("--output", default=str(Path(__file__).resolve().parent / "results" / "cpu_speed.json"))
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    load = open("/proc/loadavg").read().split()[0] if Path("/proc/loadavg").exists() else "?"
    rows = []
    for b in a.backbones:
        for k in a.blocks:
            r = bench(b, k, a.batch, a.reps)
            print(json.dumps(r))
            rows.append(r)
    out = {"machine": f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads",
           "torch": torch.__version__, "load_average_at_start": load, "date": time.strftime("%Y-%m-%d"), "results": rows,
           "note": "stem runs once per image (cached); train step = trunk with LoRA + head, per epoch. Noisy: other jobs share the cores."}
    Path(a.output).parent.mkdir(parents=True, exist_ok=True)
    Path(a.output).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
