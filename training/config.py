"""Training configuration: a dataclass filled from a YAML file, then ``key=value`` overrides.

The resolved config is written next to the outputs (``train_config.yaml``) so every run can be
reproduced, as timm's train.py does.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from headshot.model.modeling import ModelConfig


@dataclass
class TrainConfig:
    dataset: str = ""
    output_dir: str = "runs/headshot"
    model: ModelConfig = field(default_factory=ModelConfig)
    epochs: int = 6
    batch_size: int = 64
    eval_batch_size: int = 128
    lr: float = 2e-3
    head_lr: Optional[float] = None  # defaults to lr
    weight_decay: float = 1e-4
    warmup_ratio: float = 0.05
    seed: int = 42
    cache_stem: bool = True  # run the frozen stem once and cache its outputs (the CPU speed plan)
    cache_dir: Optional[str] = None  # default: <output_dir>/cache
    cache_views: int = 2  # train views cached per image: 0 = clean, others = label-safe augmentations
    augment: dict[str, Any] = field(default_factory=lambda: {"hflip": 0.5, "brightness": 0.06, "contrast": 0.06,
                                                             "blur_if_unsharp": 0.3})
    num_workers: int = 0
    preprocess_workers: int = 2
    max_train_samples: Optional[int] = None
    max_eval_samples: Optional[int] = None
    max_steps: Optional[int] = None  # stop after this many optimiser steps (tests, interruption drills)
    save_every_steps: int = 0  # 0: checkpoint at the end of every epoch only
    keep_checkpoints: int = 2
    resume: str = "auto"  # auto (latest checkpoint in output_dir) | none | a checkpoint folder
    mixed_precision: Optional[str] = None  # no | fp16 | bf16; None: whatever accelerate launch set
    torch_threads: Optional[int] = None  # None: cores / ranks on CPU (oversubscribed OpenMP threads are ~6x slower)
    log_every_steps: int = 20
    progress: bool = True

    @classmethod
    def load(cls, path: Optional[str] = None, overrides: Sequence[str] = ()) -> "TrainConfig":
        raw: dict[str, Any] = yaml.safe_load(Path(path).read_text()) if path else {}
        raw = raw or {}
        for ov in overrides:
            if "=" not in ov:
                raise ValueError(f"override {ov!r} is not key=value")
            key, val = ov.split("=", 1)
            node = raw
            parts = key.split(".")
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            node[parts[-1]] = yaml.safe_load(val)
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "TrainConfig":
        names = {f.name for f in fields(cls)}
        unknown = set(raw) - names
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        raw = dict(raw)
        raw["model"] = ModelConfig.from_dict(raw.get("model", {}) or {})
        return cls(**raw)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
