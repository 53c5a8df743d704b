"""End-to-end training on a tiny astronaut dataset: single process, 2 CPU ranks in sync, resume."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
TINY = str(REPO / "training" / "configs" / "tiny.yaml")


def _env() -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONPATH=str(REPO), OMP_NUM_THREADS="1")
    return env


def _train(ds, out, *overrides, launch: bool = False) -> subprocess.CompletedProcess:
    args = ["-m", "training.train", "--config", TINY, "--dataset", str(ds), "--output-dir", str(out), "progress=false",
            *overrides]
    if launch:
        cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", *args]
    else:
        cmd = [sys.executable, *args]
    r = subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def _fingerprint(out: Path, rank: int = 0) -> dict:
    return json.loads((out / "sync" / f"rank{rank}.json").read_text())


@pytest.fixture(scope="module")
def single_run(tiny_dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("run_single")
    _train(tiny_dataset, out, "save_every_steps=1")
    return out


def test_single_process_run_writes_model(single_run, tiny_dataset):
    from headshot.model import HeadshotModel

    info = json.loads((single_run / "training_info.json").read_text())
    assert info["num_processes"] == 1 and info["train_samples"] == 16 and info["train_images_per_second"] > 0
    log = [json.loads(x) for x in (single_run / "train_log.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in log if "loss" in r]
    assert len([r for r in log if "val_macro_issue_f1@0.5" in r]) == 2  # validation every epoch
    assert np.mean(losses[-2:]) < np.mean(losses[:2])  # it learns
    m = HeadshotModel.from_pretrained(single_run / "model")
    cfg = json.loads((single_run / "model" / "headshot_config.json").read_text())
    assert set(m.thresholds) == set(cfg["model"]["labels"])
    assert cfg["training"]["command"].startswith("python")
    # trainable weights moved away from their initial values (LoRA B starts at exactly 0)
    assert any(v > 0 for k, v in _fingerprint(single_run)["norms"].items() if "lora_B" in k)


def test_resume_after_interruption_matches_uninterrupted(single_run, tiny_dataset, tmp_path):
    out = tmp_path / "interrupted"
    _train(tiny_dataset, out, "save_every_steps=1", "max_steps=5")  # "killed" after step 5
    assert (out / "checkpoints" / "step-5" / "trainer_state.json").exists()
    assert not list((out / "checkpoints").glob(".tmp-*"))
    r = _train(tiny_dataset, out, "save_every_steps=1")
    assert "resumed from" in r.stderr
    assert _fingerprint(out)["sha1"] == _fingerprint(single_run)["sha1"]


def test_same_seed_same_result(single_run, tiny_dataset, tmp_path):
    _train(tiny_dataset, tmp_path / "again")
    assert _fingerprint(tmp_path / "again")["sha1"] == _fingerprint(single_run)["sha1"]


@pytest.mark.slow
def test_two_cpu_ranks_stay_in_sync(tiny_dataset, tmp_path):
    out = tmp_path / "ddp"
    _train(tiny_dataset, out, launch=True)
    info = json.loads((out / "training_info.json").read_text())
    assert info["num_processes"] == 2
    f0, f1 = _fingerprint(out, 0), _fingerprint(out, 1)
    assert f0["sha1"] == f1["sha1"] and info["ranks_in_sync"] is True
    assert any(v > 0 for k, v in f0["norms"].items() if "lora_B" in k)  # they moved, together
    # 16 rows, batch 4 per rank, 2 ranks: 2 optimiser steps per epoch
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    assert max(r["step"] for r in log) == 4


def test_headshot_train_records_the_flags_that_shaped_the_run():
    """The model card's reproduce line comes from this string: --dataset/--epochs/--no-resume must
    survive in it, and parsing it again (through the real `headshot` parser) gives the same config."""
    import shlex

    from headshot.cli import build_parser
    from training import cli
    from training.train import config_from_args

    def parse(argv):
        return build_parser(load="train").parse_args(argv)

    args = parse(["train", "--config", TINY, "--dataset", "data/ds v6", "--epochs", "8", "--no-resume", "lr=0.01"])
    line = cli.command_line(args)
    assert "'--dataset=data/ds v6'" in line and "--epochs=8" in line and "--no-resume" in line and "lr=0.01" in line, line
    again = parse(shlex.split(line)[1:])
    assert config_from_args(again) == config_from_args(args)
    assert config_from_args(args).epochs == 8 and config_from_args(args).resume == "none"
