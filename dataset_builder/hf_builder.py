"""A ``datasets.GeneratorBasedBuilder`` that renders the dataset in Python (single process).

datasets 4+ no longer runs loading scripts through ``load_dataset``; instantiate the class
directly: ``b = HeadshotSynthetic(cache_dir=..., portraits=..., variants=2)``, then
``b.download_and_prepare(); ds = b.as_dataset()``. For large builds use the
``headshot build-dataset`` command (multi-process, resumable, validated shards).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import datasets

from .builder import BuildConfig, features, split_of
from .base import list_portraits


@dataclass
class HeadshotSyntheticConfig(datasets.BuilderConfig):
    portraits: str = ""
    variants: int = 8
    seed: int = 0
    limit: Optional[int] = None
    backend: str = "procedural"


class HeadshotSynthetic(datasets.GeneratorBasedBuilder):
    BUILDER_CONFIG_CLASS = HeadshotSyntheticConfig
    BUILDER_CONFIGS = [HeadshotSyntheticConfig(name="default")]

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(description="Synthetic headshot variants with six injected attribute labels.",
                                    features=features())

    def _split_generators(self, dl_manager):
        names = {"train": datasets.Split.TRAIN, "validation": datasets.Split.VALIDATION, "test": datasets.Split.TEST}
        return [datasets.SplitGenerator(name=v, gen_kwargs={"split": k}) for k, v in names.items()]

    def _generate_examples(self, split: str):
        from headshot.analysis import FaceAnalyzer

        from .backends import get_backend
        from .builder import render_portrait

        c = self.config
        recs = list_portraits(c.portraits)
        if c.limit:
            recs = recs[:: max(1, len(recs) // c.limit)][: c.limit]
        cfg = BuildConfig(portraits=c.portraits, out="", variants=c.variants, seed=c.seed, backend=c.backend)
        analyzer, backend = FaceAnalyzer(), get_backend(c.backend)
        donor = None
        for rec in recs:
            if split_of(rec.portrait_id, c.seed) != split:
                continue
            rows, d, _ = render_portrait(rec, cfg, analyzer, backend, donor)
            donor = d if d is not None and d.size else donor
            for i, r in enumerate(rows):
                yield f"{rec.portrait_id}#{i}", r
