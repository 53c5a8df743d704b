"""Evaluation pieces: the local evaluate metric against scikit-learn, thresholds, augmentation safety,
the evaluate command with plots, the model card, and push-model with the upload calls patched."""
from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from headshot.attributes import ATTRIBUTE_NAMES


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_issue_f1_metric_matches_sklearn(seed):
    from sklearn.metrics import f1_score, precision_score, recall_score

    from training.evaluate import issue_metric

    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 50)
    p = np.where(rng.random(50) < 0.7, y, 1 - y)
    r = issue_metric().compute(predictions=p.tolist(), references=y.tolist())
    assert r["f1"] == pytest.approx(f1_score(y, p, pos_label=0))
    assert r["precision"] == pytest.approx(precision_score(y, p, pos_label=0))
    assert r["recall"] == pytest.approx(recall_score(y, p, pos_label=0))
    r1 = issue_metric().compute(predictions=p.tolist(), references=y.tolist(), pos_label=1)
    assert r1["f1"] == pytest.approx(f1_score(y, p, pos_label=1))


def test_threshold_tuning_beats_default():
    from training.scoring import issue_prf, tune_thresholds

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, (200, 6))
    probs = np.clip(0.75 + 0.2 * labels - 0.25 + rng.normal(0, 0.05, labels.shape), 0, 1)  # issues near 0.5-0.6
    thr = tune_thresholds(probs, labels)
    for j, a in enumerate(ATTRIBUTE_NAMES):
        tuned = issue_prf((probs[:, j] >= thr[a]).astype(int), labels[:, j])[2]
        default = issue_prf((probs[:, j] >= 0.5).astype(int), labels[:, j])[2]
        assert tuned >= default and tuned > 0.95


def test_augment_never_blurs_sharp_images(astronaut):
    import cv2

    from training.augment import augment

    def lapvar(im):
        return cv2.Laplacian(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()

    sharp = np.ones(6, int)
    unsharp = sharp.copy()
    unsharp[ATTRIBUTE_NAMES.index("sharpness")] = 0
    cfg = {"blur_if_unsharp": 1.0}
    a = augment(astronaut, sharp, np.random.default_rng(0), cfg)
    b = augment(astronaut, unsharp, np.random.default_rng(0), cfg)
    assert np.array_equal(a, astronaut) and lapvar(b) < 0.8 * lapvar(astronaut)
    flipped = augment(astronaut, sharp, np.random.default_rng(0), {"hflip": 1.0})
    assert flipped.shape == astronaut.shape and np.array_equal(flipped[:, ::-1], astronaut)  # no crop, no shift


def test_skin_tone_groups_from_measures():
    from training.evaluate import ita_group

    assert ita_group({"lighting": {"face_luma_mean": 230.0, "skin_b_star": 12.0}}) == "very light"
    assert ita_group({"lighting": {"face_luma_mean": 60.0, "skin_b_star": 15.0}}) in ("brown", "dark")
    assert ita_group({}) == "unknown"


@pytest.fixture(scope="module")
def tiny_model(tiny_dataset, tmp_path_factory):
    from training.config import TrainConfig
    from training.train import train

    out = tmp_path_factory.mktemp("evalrun")
    cfg = TrainConfig.load(str(Path(__file__).resolve().parent.parent / "training" / "configs" / "tiny.yaml"),
                           [f"dataset={tiny_dataset}", f"output_dir={out}", "progress=false", "epochs=1"])
    train(cfg, "test")
    return out / "model"


def test_evaluate_command_json_plots_and_card(tiny_model, tiny_dataset, tmp_path, capsys):
    from headshot.cli import main
    from training.model_card import main as card_main

    rc = main(["evaluate", "--model", str(tiny_model), "--dataset", str(tiny_dataset), "--json",
               "--output", str(tmp_path / "eval.json"), "--plots", str(tmp_path / "plots")])
    assert rc == 0
    rep = json.loads(capsys.readouterr().out)
    r = rep["results"]["test"]
    assert r["n"] == 8 and set(r["model"]["attributes"]) == set(ATTRIBUTE_NAMES)
    # macro is the mean of the six per-attribute issue-F1
    assert r["model"]["macro_issue_f1"] == pytest.approx(np.mean([v["issue_f1"] for v in r["model"]["attributes"].values()]))
    assert set(r["by_source"]) == {"skimage", "skimage_b"} and r["by_skin_tone"]
    assert "baseline_measures" in r
    for f in r["plots"]:
        assert Path(f).read_bytes()[:4] == b"\x89PNG"
    assert card_main(["--eval", str(tmp_path / "eval.json"), "--output", str(tmp_path / "card.md")]) == 0
    card = (tmp_path / "card.md").read_text()
    import yaml

    meta = yaml.safe_load(card.split("---")[1])
    assert meta["model-index"][0]["results"][0]["metrics"][0]["value"] == pytest.approx(r["model"]["macro_issue_f1"], abs=1e-4)


def test_push_model_with_patched_hub(tiny_model, tmp_path):
    from huggingface_hub import HfApi

    from training.push_cli import push_model

    with mock.patch.object(HfApi, "create_repo") as cr, mock.patch.object(HfApi, "create_commit") as cc:
        cc.return_value = mock.Mock(commit_url="https://hf.co/me/headshot/commit/1")
        url = push_model(tiny_model, "me/headshot")
    assert url.endswith("/commit/1")
    cr.assert_called_once()
    ops = cc.call_args.kwargs["operations"]
    names = {o.path_in_repo for o in ops}
    assert {"headshot_config.json", "adapter_model.safetensors", "thresholds.json"} <= names
    from headshot.errors import HeadshotError

    with pytest.raises(HeadshotError, match="not a model folder"):
        push_model(tmp_path, "me/headshot")
