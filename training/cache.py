"""Caches for what does not change between epochs: letterboxed pixels and the frozen stem's outputs.

Both are memory-mapped ``.npy`` files (uint8 pixels, fp16 stem features) keyed by a hash of the
split, the backbone and the preprocessing, written to a temporary name and renamed when
complete, so an interrupted run never leaves a half cache that a later run trusts.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

import numpy as np
import torch
from tqdm.auto import tqdm

from headshot.model.modeling import HeadshotModel
from headshot.model.preprocess import letterbox, to_tensor

from .augment import augment
from .data import Split


def cache_key(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _atomic_save(path: Path, arr: np.ndarray) -> None:
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, arr)
    os.replace(tmp, path)


class _PixelDS(torch.utils.data.Dataset):
    def __init__(self, split: Split, size: int, fill: int) -> None:
        self.split, self.size, self.fill = split, size, fill

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, i: int) -> np.ndarray:
        return letterbox(self.split.image(i), self.size, self.fill)


def pixel_cache(split: Split, size: int, fill: int, cache_dir: Path, workers: int = 0,
                progress: bool = True) -> np.ndarray:
    """(N, S, S, 3) uint8 letterboxed images, decoded once."""
    path = cache_dir / f"pixels_{cache_key(split.fingerprint, size, fill)}.npy"
    if path.exists():
        return np.load(path, mmap_mode="r")
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(split), size, size, 3), np.uint8)
    dl = torch.utils.data.DataLoader(_PixelDS(split, size, fill), batch_size=32, num_workers=workers,
                                     collate_fn=lambda b: np.stack(b))
    i = 0
    for batch in tqdm(dl, desc=f"decode {split.name}", disable=not progress, unit="batch"):
        out[i:i + len(batch)] = batch
        i += len(batch)
    _atomic_save(path, out)
    return np.load(path, mmap_mode="r")


def view_image(img: np.ndarray, labels: np.ndarray, view: int, seed: int, index: int, aug_cfg: dict) -> np.ndarray:
    """View 0 is the clean image; view k > 0 a deterministic label-safe augmentation of it."""
    if view == 0:
        return img
    rng = np.random.default_rng([seed, index, view])
    cfg = dict(aug_cfg)
    cfg["hflip"] = 1.0 if view % 2 == 1 else 0.0  # odd views are always mirrored
    return augment(img, labels, rng, cfg)


@torch.no_grad()
def stem_cache(model: HeadshotModel, split: Split, pixels: np.ndarray, views: int, seed: int, aug_cfg: dict,
               cache_dir: Path, batch_size: int = 64, progress: bool = True) -> np.ndarray:
    """(views, N, *stem_shape) fp16 outputs of the frozen stem."""
    bb = model.backbone
    key = cache_key(split.fingerprint, model.config.backbone, model.config.backbone_kwargs, model.preprocessing.to_dict(),
                    views, seed, aug_cfg if views > 1 else None)
    path = cache_dir / f"stem_{key}.npy"
    if path.exists():
        return np.load(path, mmap_mode="r")
    cache_dir.mkdir(parents=True, exist_ok=True)
    bb.eval()
    probe = bb.forward_stem(to_tensor(pixels[:1], model.preprocessing))
    tmp = cache_dir / f"stem_{key}.tmp.npy"
    out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float16, shape=(views, len(split), *probe.shape[1:]))
    total = views * ((len(split) + batch_size - 1) // batch_size)
    with tqdm(total=total, desc=f"stem cache {split.name}", disable=not progress, unit="batch") as bar:
        for v in range(views):
            for s in range(0, len(split), batch_size):
                idx = range(s, min(len(split), s + batch_size))
                imgs = np.stack([view_image(pixels[i], split.labels[i], v, seed, i, aug_cfg) for i in idx])
                out[v, s:s + len(idx)] = bb.forward_stem(to_tensor(imgs, model.preprocessing)).numpy().astype(np.float16)
                bar.update(1)
    out.flush()
    del out
    os.replace(tmp, path)
    return np.load(path, mmap_mode="r")


class TrainingDataset(torch.utils.data.Dataset):
    """Rows as model inputs: cached stem features (one view per epoch) or pixels with online augmentation."""

    def __init__(self, labels: np.ndarray, measure_feats: Optional[np.ndarray], stem: Optional[np.ndarray] = None,
                 pixels: Optional[np.ndarray] = None, preprocessing=None, seed: int = 0, aug_cfg: Optional[dict] = None,
                 train: bool = False) -> None:
        self.labels, self.mf, self.stem, self.pixels = labels, measure_feats, stem, pixels
        self.pre, self.seed, self.aug_cfg, self.train = preprocessing, seed, aug_cfg or {}, train
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        item: dict[str, torch.Tensor] = {"labels": torch.from_numpy(self.labels[i].astype(np.float32))}
        if self.mf is not None:
            item["measure_features"] = torch.from_numpy(self.mf[i])
        if self.stem is not None:
            views = self.stem.shape[0]
            v = int(np.random.default_rng([self.seed, self.epoch, i]).integers(views)) if self.train else 0
            item["stem_features"] = torch.from_numpy(np.asarray(self.stem[v, i], dtype=np.float32))
        elif self.pixels is not None:
            img = np.asarray(self.pixels[i])
            if self.train:
                rng = np.random.default_rng([self.seed, self.epoch, i])
                img = augment(img, self.labels[i], rng, self.aug_cfg)
            item["pixel_values"] = to_tensor(img[None], self.pre)[0]
        return item
