"""A tiny dataset in the built-dataset format, made from the packaged astronaut with label-changing edits.

Edits follow the label contract: blur -> sharpness 0, side darkening -> lighting 0, a sideways
shift -> framing 0; other labels keep the base portrait's own labels. Measures are computed
with the project's own analysis, exactly as the dataset builder does.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES

# The astronaut's own labels as adjudicated in realeval_public: background 0 (flag, shuttle model), framing 0 (face
# about 18% of the image height), attire 1 (flight suit as uniform).
BASE = {"lighting": 1, "background": 0, "attire": 1, "expression": 1, "framing": 0, "sharpness": 1}


def _variant(img: np.ndarray, kind: str, rng: np.random.Generator) -> tuple[np.ndarray, dict[str, int]]:
    from headshot import samples

    labels = dict(BASE)
    if kind == "blur":
        img, labels["sharpness"] = samples.blurred(img, rng.uniform(3.0, 6.0)), 0
    elif kind == "side":
        img, labels["lighting"] = samples.side_lit(img, rng.uniform(0.8, 0.9)), 0
    elif kind == "shift":
        img, labels["framing"] = samples.shifted(img, rng.choice([-1, 1]) * rng.uniform(0.28, 0.35)), 0
    else:  # mild, label-safe change of the clean portrait
        img = np.clip(img.astype(np.float32) * rng.uniform(0.95, 1.05), 0, 255).astype(np.uint8)
    return img, labels


def build_fixture(root: Path, sizes: dict[str, int] | None = None, seed: int = 0) -> Path:
    import datasets

    from headshot.analysis import analyze
    from headshot.measures import measure_all
    from headshot.samples import astronaut

    sizes = sizes or {"train": 16, "validation": 8, "test": 8}
    rng = np.random.default_rng(seed)
    base = astronaut()
    kinds = ["clean", "blur", "side", "shift"]
    (root / "data").mkdir(parents=True, exist_ok=True)
    feats = datasets.Features({"image": datasets.Image(), "portrait_id": datasets.Value("string"),
                               "source": datasets.Value("string"),
                               **{a: datasets.Value("int64") for a in ATTRIBUTE_NAMES},
                               "plan": datasets.Value("string"), "prompt": datasets.Value("string"),
                               "backend": datasets.Value("string"), "measures": datasets.Value("string"),
                               "validation": datasets.Value("string")})
    for split, n in sizes.items():
        rows = {k: [] for k in feats}
        for i in range(n):
            kind = kinds[i % len(kinds)]
            img, labels = _variant(base, kind, rng)
            m = measure_all(analyze(img))
            rows["image"].append(img)
            rows["portrait_id"].append("astronaut")
            rows["source"].append("skimage" if i % 2 == 0 else "skimage_b")
            for a in ATTRIBUTE_NAMES:
                rows[a].append(labels[a])
            rows["plan"].append(json.dumps({"edit": kind}))
            rows["prompt"].append("")
            rows["backend"].append("procedural")
            rows["measures"].append(json.dumps({a: r.raw for a, r in m.items()}))
            rows["validation"].append("{}")
        datasets.Dataset.from_dict(rows, features=feats).to_parquet(str(root / "data" / f"{split}-00000-of-00001.parquet"))
    return root
