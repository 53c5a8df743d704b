"""Reading labelled splits: the built dataset (``load_dataset(folder)``) or a real-photo folder with labels.csv.

A real-photo folder (e.g. ../shared/data/realeval_public) is for evaluation only: nothing in
``training/`` trains or tunes thresholds on it.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES
from headshot.errors import HeadshotError


class DatasetError(HeadshotError):
    """A dataset folder that cannot be read as the headshot format."""


@dataclass
class Split:
    """Rows of one split; images are decoded lazily by :meth:`image`."""

    name: str
    labels: np.ndarray  # (N, 6) int
    measures: list[Any]  # JSON str / dict per row, or None when not computed (real folders)
    source: list[str]
    portrait_id: list[str]
    fingerprint: str
    _hf: Any = None
    _files: Optional[list[Path]] = None
    extra: dict[str, list] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.labels)

    def image(self, i: int) -> np.ndarray:
        from headshot.imageio import load_image

        if self._files is not None:
            return load_image(self._files[i])
        return np.asarray(self._hf[int(i)]["image"].convert("RGB"))

    def select(self, n: Optional[int]) -> "Split":
        if n is None or n >= len(self):
            return self
        s = Split(self.name, self.labels[:n], self.measures[:n], self.source[:n], self.portrait_id[:n],
                  f"{self.fingerprint}:{n}", self._hf.select(range(n)) if self._hf is not None else None,
                  self._files[:n] if self._files is not None else None)
        return s


def is_real_folder(path: Path) -> bool:
    return (Path(path) / "labels.csv").exists()


def load_split(path: str | Path, split: str = "train", max_samples: Optional[int] = None) -> Split:
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"dataset {path} does not exist")
    if is_real_folder(path):
        return load_real_folder(path).select(max_samples)
    import datasets

    try:
        if (path / "dataset_dict.json").exists():
            dd = datasets.load_from_disk(str(path))
        elif any(path.glob("data/*.parquet")):
            from dataset_builder.loading import load_built

            dd = load_built(path)  # cache keyed by the shards: a rebuilt folder is never read stale
        else:
            dd = datasets.load_dataset(str(path))
    except Exception as e:
        raise DatasetError(f"cannot load dataset {path}: {type(e).__name__}: {e}") from None
    if split not in dd:
        raise DatasetError(f"dataset {path} has no split {split!r} (has {list(dd)})")
    ds = dd[split]
    missing = [c for c in ("image", *ATTRIBUTE_NAMES) if c not in ds.column_names]
    if missing:
        raise DatasetError(f"dataset {path} split {split} lacks columns {missing}")
    if max_samples is not None:
        ds = ds.select(range(min(max_samples, len(ds))))
    cols = ds.select_columns([c for c in (*ATTRIBUTE_NAMES, "measures", "source", "portrait_id") if c in ds.column_names])
    table = cols.to_dict()
    labels = np.stack([np.asarray(table[a], dtype=np.int64) for a in ATTRIBUTE_NAMES], axis=1)
    n = len(ds)
    return Split(split, labels, table.get("measures", [None] * n), [str(s) for s in table.get("source", ["?"] * n)],
                 [str(s) for s in table.get("portrait_id", [str(i) for i in range(n)])],
                 f"{path.resolve()}:{split}:{ds._fingerprint}:{n}", _hf=ds)


def load_real_folder(path: Path) -> Split:
    """imagefolder-style: image files + labels.csv (``file`` + the six label columns)."""
    rows = list(csv.DictReader(open(path / "labels.csv", newline="", encoding="utf-8")))
    if not rows or "file" not in rows[0] or any(a not in rows[0] for a in ATTRIBUTE_NAMES):
        raise DatasetError(f"{path}/labels.csv needs columns file, {', '.join(ATTRIBUTE_NAMES)}")
    files, labels, sources = [], [], []
    for r in rows:
        f = path / r["file"]
        if not f.exists():
            raise DatasetError(f"{path}/labels.csv names a missing file {r['file']}")
        files.append(f)
        labels.append([int(r[a]) for a in ATTRIBUTE_NAMES])
        sources.append(r.get("source") or r["file"].split("_")[0])
    return Split("real", np.asarray(labels, np.int64), [None] * len(rows), sources, [r["file"] for r in rows],
                 f"{path.resolve()}:real:{len(rows)}", _files=files)


def measures_json(m: Any) -> str:
    return m if isinstance(m, str) else json.dumps(m)
