"""Model persistence, preprocessing and the predictor protocol through the scorer."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from headshot.attributes import ATTRIBUTE_NAMES
from headshot.errors import ModelLoadError
from headshot.model import HeadshotModel, ModelConfig, load_predictor
from headshot.model.features import MeasureFeaturizer
from headshot.model.preprocess import letterbox


def _measures(analyzer, img):
    from headshot.measures import measure_all

    return measure_all(analyzer.analyze(img))


def _trained_like(cfg: ModelConfig, feat) -> HeadshotModel:
    torch.manual_seed(1)
    m = HeadshotModel(cfg, feat)
    with torch.no_grad():
        for p in m.trainable_parameters():
            p.add_(torch.randn_like(p) * 0.2)  # LoRA B starts at 0: move every trainable weight
    m.thresholds = {a: 0.3 + 0.05 * i for i, a in enumerate(ATTRIBUTE_NAMES)}
    return m


@pytest.mark.parametrize("finetune", ["lora", "full"])
def test_save_load_round_trip_identical(tmp_path, astronaut, analyzer, finetune):
    ms = _measures(analyzer, astronaut)
    feat = MeasureFeaturizer.fit([{a: r.raw for a, r in ms.items()}, {}])
    m = _trained_like(ModelConfig(backbone="vit-tiny-random", finetune=finetune, head_hidden=16), feat)
    before = m.predict_proba([astronaut], [ms])
    m.save_pretrained(tmp_path / "m")
    files = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"headshot_config.json", "thresholds.json", "preprocessor_config.json"} <= files
    assert ("adapter_model.safetensors" in files) if finetune == "lora" else ("model.safetensors" in files)
    m2 = HeadshotModel.from_pretrained(tmp_path / "m")
    after = m2.predict_proba([astronaut], [ms])
    assert np.array_equal(before, after)
    assert m2.thresholds == m.thresholds
    assert json.loads((tmp_path / "m" / "preprocessor_config.json").read_text())["method"].startswith("letterbox")


def test_lora_adapter_is_small_and_excludes_backbone(tmp_path):
    feat = MeasureFeaturizer.fit([{"lighting": {"x": 1.0}}])
    m = _trained_like(ModelConfig(backbone="mobilenetv2", backbone_kwargs={"image_size": 64}), feat)
    m.save_pretrained(tmp_path / "m")
    from safetensors.torch import load_file

    keys = load_file(str(tmp_path / "m" / "adapter_model.safetensors")).keys()
    assert all("lora_" in k or "head" in k for k in keys)
    assert (tmp_path / "m" / "adapter_model.safetensors").stat().st_size < 3_000_000  # MobileNetV2 itself is 14 MB


def test_letterbox_keeps_whole_image():
    img = np.zeros((100, 300, 3), np.uint8)
    img[:, :10] = 255  # a white strip at the left border must survive (no crop)
    out = letterbox(img, 60)
    assert out.shape == (60, 60, 3)
    assert out[25:35, 0].min() > 200 and out[0, 30].max() == 0  # strip kept; padding on top


def test_measure_features_missing_indicator():
    f = MeasureFeaturizer.fit([{"lighting": {"a": 1.0, "b": 2.0}}, {"lighting": {"a": 3.0, "b": 4.0}}])
    v = f.transform({"lighting": {"a": float("nan")}})
    assert v.shape == (4,) and list(v[2:]) == [1.0, 1.0] and list(v[:2]) == [0.0, 0.0]
    assert f.transform('{"lighting": {"a": 3.0, "b": 2.0}}')[0] == pytest.approx(1.0)


def test_scorer_uses_model_folder(tmp_path, astronaut, analyzer):
    from headshot.scorer import HeadshotScorer

    ms = _measures(analyzer, astronaut)
    feat = MeasureFeaturizer.fit([{a: r.raw for a, r in ms.items()}])
    m = _trained_like(ModelConfig(backbone="vit-tiny-random", head_hidden=16), feat)
    m.save_pretrained(tmp_path / "m")
    scorer = HeadshotScorer(model=str(tmp_path / "m"), analyzer=analyzer)
    rep = scorer.score(astronaut)
    assert scorer.predictor_name == "model:vit-tiny-random-lora+measures"
    pred = load_predictor(tmp_path / "m")
    direct = pred.predict(analyzer.analyze(astronaut), ms)
    for a in ATTRIBUTE_NAMES:
        assert rep.attributes[a].threshold == pytest.approx(m.thresholds[a])
        if a not in ("framing", "background") or rep.face_count == 1:
            assert rep.attributes[a].probability == pytest.approx(direct[a], abs=1e-6)


def test_bad_model_folder_clear_error(tmp_path):
    with pytest.raises(ModelLoadError, match="no headshot_config.json"):
        HeadshotModel.from_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="Hub"):
        HeadshotModel.from_pretrained("nobody/no-such-headshot-model")


def test_measure_scores_feature_round_trip():
    raw = {"sharpness": {"log_laplacian_var": 0.5}, "lighting": {"half_luminance_ratio": 0.9}}
    f = MeasureFeaturizer.fit([raw], with_scores=True)
    v = f.transform(raw)
    assert v.shape == (f.dim,) == (2 * len(f.keys) + len(ATTRIBUTE_NAMES),)
    scores = v[-len(ATTRIBUTE_NAMES):]
    assert scores[ATTRIBUTE_NAMES.index("sharpness")] < -0.9  # a very low Laplacian variance: the rule says unsharp
    g = MeasureFeaturizer.from_dict(json.loads(json.dumps(f.to_dict())))
    assert np.array_equal(g.transform(raw), v)


def test_shipped_model_merged_lora_matches_peft(astronaut, analyzer):
    """The inference path folds the adapter into the weights without peft; outputs must not change."""
    import sys

    from headshot.measures import measure_all
    from headshot.samples import blurred, side_lit
    from headshot.scorer import DEFAULT_MODEL_DIR

    images = [astronaut, blurred(astronaut, 5.0), side_lit(astronaut)]
    measures = [{k: v.raw for k, v in measure_all(analyzer.analyze(im)).items()} for im in images]
    with_peft = HeadshotModel.from_pretrained(DEFAULT_MODEL_DIR)
    merged = HeadshotModel.from_pretrained(DEFAULT_MODEL_DIR, merge_lora=True)
    assert type(with_peft.net).__name__ == "PeftModel" and type(merged.net).__name__ == "HeadshotNet"
    np.testing.assert_allclose(merged.predict_proba(images, measures), with_peft.predict_proba(images, measures),
                               atol=1e-5)
    assert "peft" in sys.modules  # sanity: the reference really went through peft
