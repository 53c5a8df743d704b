"""Backbone registry: every entry builds, splits into stem + trunk consistently, and exposes LoRA targets."""
from __future__ import annotations

import pytest
import torch

from headshot.errors import ModelLoadError
from headshot.model.backbones import create_backbone, list_backbones

# size caps keep the parametrised run fast; vit-b16 needs Hub weights (offline: build from a tiny config instead)
KW = {"mobilenetv2": {"image_size": 64}, "efficientnet-lite0": {"image_size": 64}, "vit-tiny-random": {}}


@pytest.mark.parametrize("name", [n for n in list_backbones() if n in KW])
def test_backbone_stem_trunk_compose(name):
    bb = create_backbone(name, **KW[name])
    x = torch.randn(2, 3, bb.image_size, bb.image_size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        whole = bb(x)
        split = bb.forward_trunk(bb.forward_stem(x))
    assert whole.shape == (2, bb.feature_dim)
    assert torch.allclose(whole, split)
    targets = bb.lora_targets()
    assert targets and all(t.startswith("trunk.") for t in targets)
    modules = dict(bb.named_modules())
    assert all(t in modules for t in targets)


def test_registry_lists_all_and_rejects_unknown():
    assert {"mobilenetv2", "efficientnet-lite0", "vit-b16", "vit-tiny-random"} <= set(list_backbones())
    with pytest.raises(ModelLoadError, match="unknown backbone"):
        create_backbone("resnet-9000")


def test_pretrained_cnn_weights_are_imagenet_not_random():
    """The package weights load: a pretrained and a random MobileNetV2 differ, two pretrained ones agree."""
    a = create_backbone("mobilenetv2", image_size=64)
    b = create_backbone("mobilenetv2", image_size=64)
    r = create_backbone("mobilenetv2", image_size=64, pretrained=False)
    pa, pb, pr = (dict(m.named_parameters())["stem.0.0.weight"] for m in (a, b, r))
    assert torch.equal(pa, pb) and not torch.allclose(pa, pr)


def test_vit_b16_offline_gives_clear_error():
    with pytest.raises(ModelLoadError, match="cannot load ViT"):
        create_backbone("vit-b16", model_id="google/vit-base-patch16-224-in21k")


def test_tiny_vit_is_reproducible():
    a, b = create_backbone("vit-tiny-random"), create_backbone("vit-tiny-random")
    for (n, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        assert torch.equal(p, q), n
