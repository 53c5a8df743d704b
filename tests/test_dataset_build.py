"""End to end: a small build on the shared portraits, killed and resumed; loads back; push; diffusion."""
from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from dataset_builder.loading import load_built
from headshot.attributes import ATTRIBUTE_NAMES

LIMIT, VARIANTS = 10, 2


def _cfg(portraits_dir, out, **kw):
    from dataset_builder.builder import BuildConfig

    return BuildConfig(portraits=str(portraits_dir), out=str(out), variants=VARIANTS, workers=1, shard_portraits=2,
                       limit=LIMIT, **kw)


@pytest.fixture(scope="module")
def built(portraits_dir, tmp_path_factory):
    from dataset_builder.builder import FAIL_AFTER_ENV, build

    out = tmp_path_factory.mktemp("ds")
    cfg = _cfg(portraits_dir, out, originals=True)
    with mock.patch.dict(os.environ, {FAIL_AFTER_ENV: "2"}):
        with pytest.raises(KeyboardInterrupt):
            build(cfg, progress=False)
    first = sorted(p.name for p in (out / "data").glob("*.parquet"))
    (out / "data" / "train-99999.parquet.tmp").write_bytes(b"partial")  # a half-written shard from the kill
    res = build(cfg, progress=False)
    return out, first, res


def test_resume_keeps_finished_shards_and_leaves_no_duplicates(built):
    out, first, res = built
    assert first, "the interrupted build wrote shards"
    lines = [json.loads(l) for l in (out / "manifest.jsonl").read_text().splitlines()]
    shards = [d["shard"] for d in lines]
    assert len(shards) == len(set(shards)), "a shard was built twice"
    assert not list((out / "data").glob("*.tmp"))
    import datasets

    dd = load_built(out)
    keys = [(r["portrait_id"], json.loads(r["validation"])["variant"]) for s in dd for r in dd[s].remove_columns("image")]
    assert len(keys) == len(set(keys)) and len(keys) > 0


def test_loads_back_with_features_complete_labels_and_disjoint_splits(built):
    import datasets

    out, _, _ = built
    dd = load_built(out)
    assert set(dd) <= {"train", "validation", "test"} and "train" in dd
    f = dd["train"].features
    assert isinstance(f["image"], datasets.Image)
    for c in ("portrait_id", "source", "plan", "prompt", "backend", "measures", "validation", *ATTRIBUTE_NAMES):
        assert c in f, c
    ids = {s: set(dd[s]["portrait_id"]) for s in dd}
    names = list(ids)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not ids[a] & ids[b]
    row = dd["train"][0]
    assert max(row["image"].size) <= 512
    assert all(row[a] in (0, 1) for a in ATTRIBUTE_NAMES)
    plan = json.loads(row["plan"])
    assert {plan["targets"][a] for a in ATTRIBUTE_NAMES} <= {0, 1}
    assert set(json.loads(row["measures"])) == set(ATTRIBUTE_NAMES)
    rep = json.loads((out / "reports" / "validation.json").read_text())
    assert rep["portraits_in_two_splits"] == [] and set(rep["agreement_per_attribute"]) == set(ATTRIBUTE_NAMES)
    assert list((out / "reports" / "contact_sheets").glob("*.png"))
    card = (out / "README.md").read_text()
    assert card.startswith("---") and "configs:" in card and "data/train-*.parquet" in card


def test_changed_build_refuses_to_mix(built, portraits_dir):
    from dataset_builder.builder import build

    out, _, _ = built
    with pytest.raises(ValueError):
        build(_cfg(portraits_dir, out, seed=5), progress=False)


def test_push_uploads_the_folder(built):
    from dataset_builder.push_cli import push

    out, _, _ = built
    with mock.patch("huggingface_hub.HfApi.create_repo") as cr, mock.patch("huggingface_hub.HfApi.upload_folder") as up:
        up.return_value = mock.Mock(commit_url="https://hub/commit/1")
        url = push(out, "org/headshot-synth", private=True, token="x")
    cr.assert_called_once()
    assert cr.call_args.kwargs["repo_type"] == "dataset" and cr.call_args.kwargs["private"] is True
    kw = up.call_args.kwargs
    assert kw["repo_id"] == "org/headshot-synth" and Path(kw["folder_path"]) == out
    assert url.endswith("/1")


def test_validate_cli_rewrites_report(built):
    from headshot.cli import main

    out, _, _ = built
    (out / "reports" / "validation.json").unlink()
    assert main(["validate-dataset", str(out), "--no-recheck"]) == 0
    assert (out / "reports" / "validation.json").exists()


def test_diffusion_backend_end_to_end_on_tiny_pipeline(astronaut, analyzer):
    from dataset_builder.backends import get_backend
    from dataset_builder.backends.diffusion import tiny_pipeline
    from dataset_builder.g import make_plan, sample_targets

    a = analyzer.analyze(astronaut)
    be = get_backend("diffusion", pipeline=tiny_pipeline("sd-img2img"), steps=2, resolution=64)
    labels = {k: 1 for k in ATTRIBUTE_NAMES}
    plan = make_plan(sample_targets(np.random.default_rng(0), labels), {"labels": labels}, 11)
    out = be.render(astronaut, plan, a, max_side=96)
    assert out.shape == (96, 96, 3) and out.dtype == np.uint8 and out.std() > 1
    again = be.render(astronaut, plan, a, max_side=96)
    assert np.array_equal(out, again)  # the plan's seed makes it reproducible
    assert len(be.render_many([(astronaut, plan, a)])) == 1


def test_generator_based_builder(portraits_dir, tmp_path):
    from dataset_builder.hf_builder import HeadshotSynthetic, HeadshotSyntheticConfig

    assert HeadshotSyntheticConfig().variants == 8
    b = HeadshotSynthetic(cache_dir=str(tmp_path), portraits=str(portraits_dir), variants=1, limit=4)
    b.download_and_prepare()
    ds = b.as_dataset(split="train")
    assert len(ds) >= 1 and set(ATTRIBUTE_NAMES) <= set(ds.features)
    assert all(r in (0, 1) for a in ATTRIBUTE_NAMES for r in ds[a])


def test_originals_are_the_unedited_portraits_with_their_own_labels(built, portraits_dir):
    """Each portrait whose six labels are all known is also stored untouched (only resized)."""
    import io

    import datasets
    from PIL import Image

    from headshot.imageio import fit_within, load_image

    out, _, _ = built
    dd = load_built(out)
    originals = [r for s in dd for r in dd[s] if r["backend"] == "original"]
    assert originals, "no unedited original was stored"
    for r in originals[:3]:
        plan = json.loads(r["plan"])
        assert plan["operations"] == [] and all(plan["targets"][a] == r[a] for a in ATTRIBUTE_NAMES)
        src = next((portraits_dir / r["portrait_id"]).parent.glob(Path(r["portrait_id"]).name + ".*"))
        expected, _ = fit_within(load_image(src), 512)
        got = np.asarray(r["image"].convert("RGB"), np.float32)
        assert got.shape == expected.shape
        assert np.abs(got - expected.astype(np.float32)).mean() < 4.0  # JPEG re-encoding only


def test_load_built_is_not_fooled_by_a_rebuilt_folder(built, tmp_path):
    """datasets caches a local folder by its name only; load_built must see a rebuild's new rows."""
    import shutil

    import pyarrow.parquet as pq

    out, _, _ = built
    copy = tmp_path / out.name
    shutil.copytree(out, copy)
    before = sum(len(load_built(copy)[s]) for s in load_built(copy))
    shard = sorted((copy / "data").glob("train-*.parquet"))[0]
    table = pq.read_table(shard)
    pq.write_table(table.slice(0, 1), shard)  # "rebuild": the shard now holds one row
    after = sum(len(load_built(copy)[s]) for s in load_built(copy))
    assert after == before - (table.num_rows - 1)


def test_resume_over_another_portrait_list_is_refused(built, portraits_dir, tmp_path, monkeypatch):
    """Shards are named by position: resuming after the portraits folder changed would mix builds."""
    import shutil

    import dataset_builder.builder as builder

    out, _, _ = built
    copy = tmp_path / "ds_copy"
    shutil.copytree(out, copy)
    real = builder.list_portraits
    monkeypatch.setattr(builder, "list_portraits", lambda *a, **k: real(*a, **k)[1:])  # a photo removed
    with pytest.raises(ValueError, match="portrait list"):
        builder.build(_cfg(portraits_dir, copy), progress=False)
    assert sorted(p.name for p in (copy / "data").iterdir()) == sorted(p.name for p in (out / "data").iterdir())
