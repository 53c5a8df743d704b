"""Training script: one process, CPU ranks (gloo) or GPUs with mixed precision, same code and configs.

    headshot train --config training/configs/mobilenetv2_lora.yaml [key=value ...]
    accelerate launch --multi_gpu --num_processes 2 --num_machines 1 --mixed_precision no \
        --dynamo_backend no -m training.train --config training/configs/mobilenetv2_lora.yaml

The frozen stem runs once over every image and is cached (see :mod:`.cache`); each epoch then
runs only the trunk with LoRA and the head. Checkpoints (accelerate ``save_state``) are written to
a temporary folder and renamed, and a run resumes from the latest one. After training, the
per-attribute thresholds are tuned on the validation split and the model is saved with
``save_pretrained`` into ``<output_dir>/model``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np
import torch

from headshot.model.features import MeasureFeaturizer
from headshot.model.modeling import HeadshotModel

from .cache import TrainingDataset, pixel_cache, stem_cache
from .config import TrainConfig
from .data import load_split
from headshot.model.features import blend_with_rules

from .scoring import issue_prf, macro_issue_f1, tune_thresholds


def _latest_checkpoint(out: Path) -> Optional[Path]:
    ck = sorted((out / "checkpoints").glob("step-*"), key=lambda p: int(p.name.split("-")[1])) if (out / "checkpoints").exists() else []
    ck = [c for c in ck if (c / "trainer_state.json").exists()]
    return ck[-1] if ck else None


def _param_fingerprint(model: torch.nn.Module) -> dict:
    h = hashlib.sha1()
    norms = {}
    for n, p in sorted(model.named_parameters()):
        if p.requires_grad:
            t = p.detach().float().cpu().contiguous()
            h.update(t.numpy().tobytes())
            norms[n] = float(t.norm())
    return {"sha1": h.hexdigest(), "norms": norms}


def train(cfg: TrainConfig, command: str = "") -> dict:
    from accelerate import Accelerator
    from accelerate.utils import DataLoaderConfiguration, set_seed
    from tqdm.auto import tqdm
    from transformers import get_cosine_schedule_with_warmup

    kw = {}
    if cfg.mixed_precision and "ACCELERATE_MIXED_PRECISION" not in os.environ:
        kw["mixed_precision"] = cfg.mixed_precision
    # without a GPU, cpu=True is what makes accelerate form gloo ranks from `launch --multi_gpu` on CPU
    acc = Accelerator(cpu=not torch.cuda.is_available(), dataloader_config=DataLoaderConfiguration(use_seedable_sampler=True), **kw)
    on_cpu = acc.device.type == "cpu"
    if on_cpu:
        torch.set_num_threads(cfg.torch_threads or max(1, (os.cpu_count() or 1) // acc.num_processes))
    set_seed(cfg.seed, deterministic=on_cpu)
    main = acc.is_main_process
    show = cfg.progress and main
    out = Path(cfg.output_dir)
    cache_dir = Path(cfg.cache_dir) if cfg.cache_dir else out / "cache"
    if not cfg.dataset:
        raise ValueError("no dataset given (config key dataset or --dataset)")
    log_path = out / "train_log.jsonl"

    def log(rec: dict) -> None:
        if main:
            with open(log_path, "a") as f:
                f.write(json.dumps(rec) + "\n")

    t_start = time.time()
    train_split = load_split(cfg.dataset, "train", cfg.max_train_samples)
    val_split = load_split(cfg.dataset, "validation", cfg.max_eval_samples)
    featurizer = MeasureFeaturizer.fit(train_split.measures, cfg.model.measure_scores) if cfg.model.use_measures else None
    set_seed(cfg.seed, deterministic=on_cpu)
    model = HeadshotModel(cfg.model, featurizer)
    pre = model.preprocessing
    if main:
        out.mkdir(parents=True, exist_ok=True)
        import yaml

        (out / "train_config.yaml").write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False))
    acc.wait_for_everyone()

    t_cache = time.time()
    with acc.main_process_first():
        px_tr = px_va = stem_tr = stem_va = None
        if cfg.model.use_image:
            px_tr = pixel_cache(train_split, pre.image_size, pre.fill, cache_dir, cfg.preprocess_workers, show)
            px_va = pixel_cache(val_split, pre.image_size, pre.fill, cache_dir, cfg.preprocess_workers, show)
        if cfg.cache_stem and cfg.model.use_image:
            stem_tr = stem_cache(model, train_split, px_tr, max(1, cfg.cache_views), cfg.seed, cfg.augment, cache_dir,
                                 progress=show)
            stem_va = stem_cache(model, val_split, px_va, 1, cfg.seed, cfg.augment, cache_dir, progress=show)
    cache_s = time.time() - t_cache
    mf_tr = featurizer.transform_many(train_split.measures) if featurizer else None
    mf_va = featurizer.transform_many(val_split.measures) if featurizer else None
    use_px = cfg.model.use_image and not cfg.cache_stem
    ds_tr = TrainingDataset(train_split.labels, mf_tr, stem_tr, px_tr if use_px else None, pre, cfg.seed, cfg.augment, train=True)
    ds_va = TrainingDataset(val_split.labels, mf_va, stem_va, px_va if use_px else None, pre)
    gen = torch.Generator().manual_seed(cfg.seed)
    dl_tr = torch.utils.data.DataLoader(ds_tr, batch_size=cfg.batch_size, shuffle=True, generator=gen,
                                        num_workers=cfg.num_workers, drop_last=len(ds_tr) > cfg.batch_size)
    dl_va = torch.utils.data.DataLoader(ds_va, batch_size=cfg.eval_batch_size, num_workers=cfg.num_workers)

    head_lr = cfg.head_lr or cfg.lr
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [{"params": [p for n, p in named if ".head." in f".{n}" or "modules_to_save" in n], "lr": head_lr},
              {"params": [p for n, p in named if not (".head." in f".{n}" or "modules_to_save" in n)], "lr": cfg.lr}]
    opt = torch.optim.AdamW([g for g in groups if g["params"]], weight_decay=cfg.weight_decay)
    steps_per_epoch_total = len(dl_tr)  # batches over all ranks; the accelerated scheduler steps once per rank
    total = steps_per_epoch_total * cfg.epochs
    sched = get_cosine_schedule_with_warmup(opt, int(cfg.warmup_ratio * total), total)
    model, opt, dl_tr, dl_va, sched = acc.prepare(model, opt, dl_tr, dl_va, sched)
    steps_per_epoch = len(dl_tr)
    max_steps = steps_per_epoch * cfg.epochs if cfg.max_steps is None else min(cfg.max_steps, steps_per_epoch * cfg.epochs)

    step, best, history = 0, -1.0, []
    ck = None
    if cfg.resume not in ("none", "", None):
        ck = _latest_checkpoint(out) if cfg.resume == "auto" else Path(cfg.resume)
    if ck is not None:
        acc.load_state(str(ck))
        st = json.loads((ck / "trainer_state.json").read_text())
        step, best, history = st["step"], st["best"], st["history"]
        if main:
            print(f"resumed from {ck} at step {step}", file=sys.stderr)

    def save_checkpoint() -> None:
        ck_root = out / "checkpoints"
        final = ck_root / f"step-{step}"
        tmp = ck_root / f".tmp-step-{step}"
        if main and tmp.exists():
            shutil.rmtree(tmp)
        acc.wait_for_everyone()
        acc.save_state(str(tmp))
        acc.wait_for_everyone()
        if main:
            (tmp / "trainer_state.json").write_text(json.dumps({"step": step, "best": best, "history": history}))
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
            for old in sorted(ck_root.glob("step-*"), key=lambda p: int(p.name.split("-")[1]))[:-max(1, cfg.keep_checkpoints)]:
                shutil.rmtree(old, ignore_errors=True)
        acc.wait_for_everyone()

    @torch.no_grad()
    def evaluate_val() -> np.ndarray:
        model.eval()
        probs = []
        for batch in dl_va:
            batch.pop("labels")
            logits = acc.gather_for_metrics(model(**batch)["logits"].float())
            probs.append(torch.sigmoid(logits).cpu().numpy())
        model.train()
        return np.concatenate(probs)[: len(val_split)]

    n_seen, t_train = 0, 0.0
    model.train()
    bar = tqdm(total=max_steps, initial=step, desc="train", disable=not show, unit="step")
    while step < max_steps:
        epoch = step // steps_per_epoch
        skip = step % steps_per_epoch
        dl_tr.set_epoch(epoch)
        ds_tr.set_epoch(epoch)
        it = acc.skip_first_batches(dl_tr, skip) if skip else dl_tr
        t0 = time.time()
        losses = []
        for batch in it:
            loss = model(**batch)["loss"]
            acc.backward(loss)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            n_seen += batch["labels"].shape[0] * acc.num_processes
            losses.append(float(loss.detach()))
            bar.update(1)
            if step % max(1, cfg.log_every_steps) == 0:
                bar.set_postfix(loss=f"{np.mean(losses[-cfg.log_every_steps:]):.4f}")
                log({"step": step, "epoch": epoch, "loss": float(np.mean(losses[-cfg.log_every_steps:])),
                     "lr": sched.get_last_lr()[-1]})
            if cfg.save_every_steps and step % cfg.save_every_steps == 0 and step % steps_per_epoch:
                save_checkpoint()
            if step >= max_steps:
                break
        t_train += time.time() - t0
        if step % steps_per_epoch == 0 or step >= max_steps:
            probs = evaluate_val()
            f1 = macro_issue_f1(probs, val_split.labels)
            rec = {"epoch": epoch + 1 if step % steps_per_epoch == 0 else epoch + step % steps_per_epoch / steps_per_epoch,
                   "step": step, "val_macro_issue_f1@0.5": f1, "train_loss": float(np.mean(losses)) if losses else None}
            history.append(rec)
            log(rec)
            if show:
                tqdm.write(f"epoch {rec['epoch']:.2f}: val macro issue-F1 {f1:.4f}")
            if f1 >= best:
                best = f1
                if main:
                    acc.unwrap_model(model).save_pretrained(out / "best")
                    np.save(out / "best_val_probs.npy", probs)
                acc.wait_for_everyone()
            save_checkpoint()
    bar.close()

    fp = _param_fingerprint(acc.unwrap_model(model))
    sync_dir = out / "sync"
    sync_dir.mkdir(parents=True, exist_ok=True)
    (sync_dir / f"rank{acc.process_index}.json").write_text(json.dumps(fp))
    acc.wait_for_everyone()
    result = {"steps": step, "best_val_macro_issue_f1@0.5": best, "history": history}
    if main:
        fps = [json.loads((sync_dir / f"rank{r}.json").read_text())["sha1"] for r in range(acc.num_processes)]
        result["ranks_in_sync"] = len(set(fps)) == 1
        final = HeadshotModel.from_pretrained(out / "best")
        final.config.rule_blend = cfg.model.rule_blend  # an output setting: the trained weights do not depend on it
        # thresholds are tuned on what the predictor outputs: the network blended with the rule layer
        val_probs = blend_with_rules(np.load(out / "best_val_probs.npy"), val_split.measures, final.config.rule_blend)
        final.thresholds = tune_thresholds(val_probs, val_split.labels)
        per_attr = {}
        for j, a in enumerate(final.config.labels):
            pr, rc, f1 = issue_prf((val_probs[:, j] >= final.thresholds[a]).astype(int), val_split.labels[:, j])
            per_attr[a] = {"issue_f1": f1, "issue_precision": pr, "issue_recall": rc}
        wall = time.time() - t_start
        info = {"command": command, "train_samples": len(train_split), "validation_samples": len(val_split),
                "num_processes": acc.num_processes, "device": str(acc.device), "mixed_precision": acc.mixed_precision,
                "wall_seconds": round(wall, 1), "cache_seconds": round(cache_s, 1), "train_loop_seconds": round(t_train, 1),
                "train_images_per_second": round(n_seen / t_train, 1) if t_train else None,
                "validation_tuned": per_attr, "validation_macro_issue_f1_tuned":
                    float(np.mean([v["issue_f1"] for v in per_attr.values()])),
                "ranks_in_sync": result["ranks_in_sync"], "seed": cfg.seed}
        prev = out / "training_info.json"
        if not t_train and prev.exists():  # resumed after the last step: keep the real run's timings
            before = json.loads(prev.read_text())
            for k in ("wall_seconds", "cache_seconds", "train_loop_seconds", "train_images_per_second", "command"):
                info[k] = before.get(k, info[k])
            info["refinalized"] = True
        final.save_pretrained(out / "model", extra={"training": info})
        (out / "training_info.json").write_text(json.dumps(info, indent=2))
        result.update(info)
    acc.wait_for_everyone()
    acc.end_training()
    return result


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="training.train", description=__doc__.splitlines()[0])
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="YAML config (training/configs/*.yaml)")
    p.add_argument("--dataset", help="dataset folder (overrides the config)")
    p.add_argument("--output-dir", help="output folder (overrides the config)")
    p.add_argument("--max-train-samples", type=int, help="use only the first N training rows (quick runs)")
    p.add_argument("--max-eval-samples", type=int, help="use only the first N validation rows")
    p.add_argument("--epochs", type=int)
    p.add_argument("--no-resume", action="store_true", help="start fresh even if checkpoints exist")
    p.add_argument("overrides", nargs="*", help="key=value config overrides, e.g. model.lora_r=16")


FLAG_KEYS = ("dataset", "output_dir", "epochs", "max_train_samples", "max_eval_samples")


def given_flags(args: argparse.Namespace) -> list[tuple[str, str, Any]]:
    """(config key, CLI flag, value) of each config flag given on the command line."""
    return [(k, "--" + k.replace("_", "-"), getattr(args, k)) for k in FLAG_KEYS if getattr(args, k) is not None]


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    ov = list(args.overrides or [])
    ov += [f"{key}={val}" for key, _, val in given_flags(args)]
    if args.no_resume:
        ov.append("resume=none")
    return TrainConfig.load(args.config, ov)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_intermixed_args(argv)
    cfg = config_from_args(args)
    cmd = " ".join(shlex.quote(a) for a in ([os.path.basename(sys.executable), "-m", "training.train"] + list(argv or sys.argv[1:])))
    res = train(cfg, cmd)
    if "train_images_per_second" in res:
        print(json.dumps({k: res[k] for k in ("steps", "best_val_macro_issue_f1@0.5", "validation_macro_issue_f1_tuned",
                                              "train_images_per_second", "wall_seconds", "ranks_in_sync")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
