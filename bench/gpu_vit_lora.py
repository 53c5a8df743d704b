"""GPU benchmark: ViT-B/16 + LoRA (q/v, r=16) + the headshot head, training and inference images/s.

Random weights (compute does not depend on weight values; the device machine has no Hub access).
Run when a GPU machine is lent:

    python bench/gpu_vit_lora.py --device cuda --dtype bf16   # writes bench/results/gpu_vit_lora.json

``--device cpu --train-batch 2 --infer-batch 2 --steps 2`` checks the script itself on a laptop.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from headshot.model import HeadshotModel, ModelConfig  # noqa: E402
from headshot.model.features import MeasureFeaturizer  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda")
    p.add_argument("--dtype", default="bf16", choices=["bf16", "fp16", "fp32"])
    p.add_argument("--train-batch", type=int, default=128)
    p.add_argument("--infer-batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--finetune", default="lora", choices=["lora", "full"])
    p.add_argument("--output", default=str(Path(__file__).resolve().parent / "results" / "gpu_vit_lora.json"))
    a = p.parse_args()
    dev = torch.device(a.device)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[a.dtype]
    feat = MeasureFeaturizer(keys=[f"k{i}" for i in range(36)], mean=[0.0] * 36, std=[1.0] * 36)
    m = HeadshotModel(ModelConfig(backbone="vit-b16", backbone_kwargs={"pretrained": False, "trainable_blocks": 12},
                                  finetune=a.finetune, lora_r=16, lora_alpha=16), feat).to(dev)
    opt = torch.optim.AdamW(m.trainable_parameters(), 5e-4)
    auto = torch.autocast(dev.type, dtype=dtype, enabled=a.dtype != "fp32")

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def run_train(n):
        x = torch.randn(a.train_batch, 3, 224, 224, device=dev)
        mf = torch.randn(a.train_batch, feat.dim, device=dev)
        y = torch.randint(0, 2, (a.train_batch, 6), device=dev).float()
        m.train()
        for _ in range(n):
            with auto:
                loss = m(pixel_values=x, measure_features=mf, labels=y)["loss"]
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
        sync()

    @torch.no_grad()
    def run_infer(n):
        x = torch.randn(a.infer_batch, 3, 224, 224, device=dev)
        mf = torch.randn(a.infer_batch, feat.dim, device=dev)
        m.eval()
        for _ in range(n):
            with auto:
                m(pixel_values=x, measure_features=mf)
        sync()

    run_train(2)
    t = time.perf_counter()
    run_train(a.steps)
    train_ips = a.steps * a.train_batch / (time.perf_counter() - t)
    run_infer(2)
    t = time.perf_counter()
    run_infer(a.steps)
    infer_ips = a.steps * a.infer_batch / (time.perf_counter() - t)
    res = {"device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", "dtype": a.dtype,
           "finetune": a.finetune, "train_batch": a.train_batch, "infer_batch": a.infer_batch,
           "train_images_per_s": round(train_ips, 1), "inference_images_per_s": round(infer_ips, 1),
           "torch": torch.__version__, "date": time.strftime("%Y-%m-%d")}
    print(json.dumps(res))
    Path(a.output).parent.mkdir(parents=True, exist_ok=True)
    Path(a.output).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
