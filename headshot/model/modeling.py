"""HeadshotModel: backbone (+ peft LoRA on its trunk) + a six-way multi-label head.

The head reads the backbone's pooled features and, with ``use_measures``, the normalised
interpretable measures (see :mod:`.features`). A model folder holds ``headshot_config.json``
(architecture, thresholds, preprocessing, measure normalisation), the peft adapter
(``adapter_config.json`` + ``adapter_model.safetensors``, the head in ``modules_to_save``) or,
for full fine-tuning, ``model.safetensors`` with the trainable weights only. Public backbone
weights are never copied: they are rebuilt from the package (or Hub id) named in the config.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np
import torch
from torch import nn

from ..attributes import ATTRIBUTE_NAMES
from ..errors import ModelLoadError
from .backbones import Backbone, create_backbone
from .features import MeasureFeaturizer, MeasuresLike, blend_with_rules
from .preprocess import Preprocessing, letterbox, to_tensor

CONFIG_NAME = "headshot_config.json"
FULL_WEIGHTS_NAME = "model.safetensors"


@dataclass
class ModelConfig:
    backbone: str = "mobilenetv2"
    backbone_kwargs: dict[str, Any] = field(default_factory=dict)  # pretrained, trainable_blocks, model_id, image_size
    finetune: str = "lora"  # lora | full | head
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    use_measures: bool = True
    measure_scores: bool = False  # add the rule layer's per-attribute scores to the measure features
    use_image: bool = True
    rule_blend: float = 0.0  # weight of the rule layer's score in the output probability (0 = network only)
    head_hidden: int = 256
    head_dropout: float = 0.2
    problem_type: str = "multi_label_classification"
    labels: list[str] = field(default_factory=lambda: list(ATTRIBUTE_NAMES))

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown model config keys: {sorted(unknown)}")
        return cls(**d)


class HeadshotNet(nn.Module):
    """The plain torch module peft wraps: ``head`` is the module kept whole in ``modules_to_save``."""

    def __init__(self, backbone: Backbone, n_measure: int, cfg: ModelConfig) -> None:
        super().__init__()
        self.backbone = backbone
        self.use_image = cfg.use_image
        in_dim = (backbone.feature_dim if cfg.use_image else 0) + n_measure
        self.head = nn.Sequential(nn.Linear(in_dim, cfg.head_hidden), nn.ReLU(), nn.Dropout(cfg.head_dropout),
                                  nn.Linear(cfg.head_hidden, len(cfg.labels)))

    def forward(self, pixel_values: Optional[torch.Tensor] = None, stem_features: Optional[torch.Tensor] = None,
                measure_features: Optional[torch.Tensor] = None, labels: Optional[torch.Tensor] = None,
                **_: Any) -> dict[str, torch.Tensor]:
        parts = []
        if self.use_image:
            if stem_features is None:
                stem_features = self.backbone.forward_stem(pixel_values)
            parts.append(self.backbone.forward_trunk(stem_features.float()))
        if measure_features is not None:
            parts.append(measure_features.float())
        logits = self.head(torch.cat(parts, dim=1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.binary_cross_entropy_with_logits(logits, labels.float())
        return out


class HeadshotModel(nn.Module):
    """Config + featurizer + (peft-wrapped) net; ``save_pretrained`` / ``from_pretrained`` like transformers."""

    def __init__(self, config: ModelConfig, featurizer: Optional[MeasureFeaturizer] = None,
                 thresholds: Optional[dict[str, float]] = None) -> None:
        super().__init__()
        self.config = config
        self.featurizer = featurizer if config.use_measures else None
        if not config.use_image and config.finetune != "head":
            raise ValueError("a measures-only model (use_image: false) trains only its head: set finetune: head")
        if config.use_measures and featurizer is None:
            raise ValueError("use_measures needs a fitted MeasureFeaturizer")
        backbone = create_backbone(config.backbone, **config.backbone_kwargs)
        self.preprocessing = Preprocessing(backbone.image_size, tuple(backbone.mean), tuple(backbone.std))
        self.thresholds = dict(thresholds or {n: 0.5 for n in config.labels})
        net = HeadshotNet(backbone, self.featurizer.dim if self.featurizer else 0, config)
        for p in net.backbone.parameters():
            p.requires_grad_(False)
        if config.finetune == "lora":
            from peft import LoraConfig, get_peft_model

            targets = backbone.lora_targets("backbone.")
            if not targets:
                raise ValueError(f"backbone {config.backbone} has no LoRA targets in its trunk")
            net = get_peft_model(net, LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha,
                                                 lora_dropout=config.lora_dropout, target_modules=targets,
                                                 modules_to_save=["head"]))
        elif config.finetune == "full":
            for p in net.backbone.trunk.parameters():
                p.requires_grad_(True)
        elif config.finetune != "head":
            raise ValueError(f"finetune must be lora, full or head, not {config.finetune!r}")
        self.net = net

    # -- plumbing
    @property
    def base(self) -> HeadshotNet:
        return self.net.get_base_model() if hasattr(self.net, "get_base_model") else self.net

    @property
    def backbone(self) -> Backbone:
        return self.base.backbone

    @property
    def name(self) -> str:
        return f"model:{self.config.backbone}-{self.config.finetune}" + ("+measures" if self.config.use_measures else "")

    def forward(self, **kw: Any) -> dict[str, torch.Tensor]:
        return self.net(**kw)

    def trainable_parameters(self) -> list[nn.Parameter]:
        return [p for p in self.parameters() if p.requires_grad]

    # -- inference
    def prepare_images(self, images: Sequence[np.ndarray]) -> torch.Tensor:
        s = self.preprocessing
        return to_tensor(np.stack([letterbox(im, s.image_size, s.fill) for im in images]), s)

    def measure_tensor(self, measures: Sequence[MeasuresLike]) -> Optional[torch.Tensor]:
        if self.featurizer is None:
            return None
        return torch.from_numpy(self.featurizer.transform_many(measures))

    @torch.no_grad()
    def predict_proba(self, images: Sequence[np.ndarray], measures: Sequence[MeasuresLike]) -> np.ndarray:
        """(N, 6) P(professional) for RGB uint8 images and their raw measures."""
        self.eval()
        out = self.net(pixel_values=self.prepare_images(images) if self.config.use_image else None,
                       measure_features=self.measure_tensor(measures))
        return blend_with_rules(torch.sigmoid(out["logits"]).numpy(), measures, self.config.rule_blend)

    # -- persistence
    def config_dict(self, extra: Optional[dict] = None) -> dict:
        return {"format": "headshot-model/1", "model": asdict(self.config), "thresholds": self.thresholds,
                "preprocessing": self.preprocessing.to_dict(),
                "measure_features": self.featurizer.to_dict() if self.featurizer else None, **(extra or {})}

    def save_pretrained(self, path: Union[str, os.PathLike], extra: Optional[dict] = None) -> Path:
        """Write the folder atomically enough for a crash not to leave a loadable half model (config last)."""
        from safetensors.torch import save_file

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CONFIG_NAME).unlink(missing_ok=True)
        if self.config.finetune == "lora":
            self.net.save_pretrained(str(path))
        else:
            sd = {k: v.detach().cpu().contiguous() for k, v in self.net.state_dict().items()
                  if k.startswith("head.") or (self.config.finetune == "full" and k.startswith("backbone.trunk."))}
            save_file(sd, str(path / FULL_WEIGHTS_NAME))
        (path / "thresholds.json").write_text(json.dumps(self.thresholds, indent=2))
        (path / "preprocessor_config.json").write_text(json.dumps(self.preprocessing.to_dict(), indent=2))
        tmp = path / (CONFIG_NAME + ".tmp")
        tmp.write_text(json.dumps(self.config_dict(extra), indent=2))
        os.replace(tmp, path / CONFIG_NAME)
        return path

    @classmethod
    def from_pretrained(cls, path_or_id: Union[str, os.PathLike], merge_lora: bool = False) -> "HeadshotModel":
        """Load a model folder or Hub id. ``merge_lora`` folds a LoRA adapter into the base weights
        without importing peft (2.5 s of transformers imports): for inference only, since the result
        can no longer be saved as an adapter."""
        path = _resolve(path_or_id)
        try:
            d = json.loads((path / CONFIG_NAME).read_text())
            cfg = ModelConfig.from_dict(d["model"])
            feat = MeasureFeaturizer.from_dict(d["measure_features"]) if d.get("measure_features") else None
        except (OSError, ValueError, KeyError) as e:
            raise ModelLoadError(f"{path}: not a headshot model folder ({e})") from None
        if cfg.finetune == "lora":
            lora = cfg.finetune
            cfg.finetune = "head"  # build the bare net, then let peft attach the saved adapter
            model = cls(cfg, feat, d.get("thresholds"))
            cfg.finetune = lora
            if not (merge_lora and _merge_lora_adapter(model.net, path)):
                from peft import PeftModel

                model.net = PeftModel.from_pretrained(model.net, str(path))
        else:
            from safetensors.torch import load_file

            model = cls(cfg, feat, d.get("thresholds"))
            missing = model.net.load_state_dict(load_file(str(path / FULL_WEIGHTS_NAME)), strict=False)
            if missing.unexpected_keys:
                raise ModelLoadError(f"{path}: unexpected weights {missing.unexpected_keys[:5]}")
        model.extra = {k: v for k, v in d.items() if k not in ("model", "thresholds", "preprocessing", "measure_features")}
        return model.eval()


def _merge_lora_adapter(net: HeadshotNet, path: Path) -> bool:
    """Fold peft's saved LoRA deltas (W += B @ A * alpha / r) into ``net`` and load the saved head.

    Handles what this project saves (plain LoRA on 1x1 convolutions and linear layers); returns
    False for anything else (DoRA, rsLoRA, larger kernels) so the caller falls back to peft.
    """
    from safetensors.torch import load_file

    acfg = json.loads((path / "adapter_config.json").read_text())
    if acfg.get("use_dora") or acfg.get("use_rslora") or acfg.get("rank_pattern") or acfg.get("alpha_pattern"):
        return False
    scale = float(acfg["lora_alpha"]) / float(acfg["r"])
    sd = load_file(str(path / "adapter_model.safetensors"))
    prefix = "base_model.model."
    modules = dict(net.named_modules())
    merged: dict[str, torch.Tensor] = {}
    head: dict[str, torch.Tensor] = {}
    for key, a in sd.items():
        name = key[len(prefix):] if key.startswith(prefix) else key
        if name.startswith("head."):
            head[name[len("head."):]] = a
        elif name.endswith(".lora_A.weight"):
            mod_name = name[: -len(".lora_A.weight")]
            b = sd.get(f"{prefix}{mod_name}.lora_B.weight")
            mod = modules.get(mod_name)
            if b is None or mod is None or not hasattr(mod, "weight"):
                return False
            w = mod.weight
            if w.dim() == 4 and (w.shape[2:] != (1, 1) or a.shape[2:] != (1, 1)):
                return False
            delta = (b.flatten(1) @ a.flatten(1)) * scale
            merged[mod_name] = delta.reshape(w.shape).to(w.dtype)
        elif not name.endswith(".lora_B.weight"):
            return False
    if set(head) != set(net.head.state_dict()):
        return False
    with torch.no_grad():
        for mod_name, delta in merged.items():
            modules[mod_name].weight.add_(delta)
        net.head.load_state_dict(head)
    return True


def _resolve(path_or_id: Union[str, os.PathLike]) -> Path:
    p = Path(path_or_id)
    if p.is_dir():
        if not (p / CONFIG_NAME).exists():
            raise ModelLoadError(f"{p}: no {CONFIG_NAME} (not a headshot model folder)")
        return p
    if p.exists() or str(path_or_id).count("/") != 1:
        raise ModelLoadError(f"model {str(path_or_id)!r} is neither a model folder nor a Hub id (owner/name)")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(str(path_or_id)))
    except Exception as e:  # offline, missing repo, auth: one clear message
        raise ModelLoadError(f"cannot download model {str(path_or_id)!r} from the Hub: {type(e).__name__}: {e}") from None
