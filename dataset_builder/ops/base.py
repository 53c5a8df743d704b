"""Shared state and registry of the procedural edit operations.

Each operation is one registered function ``fn(ctx, **params)`` for one (family, op) pair,
with a stage that fixes the order in which a plan's operations run:

0 attire (on the base pixels, reads the base geometry) -> 1 subject light (face-geometry
relighting, cast shadows) -> 2 framing (geometry of the person layer) -> 3 background
(composite onto a new backdrop) -> 4 camera light (exposure, colour cast, backlight) ->
5 sharpness (blur, compression, noise: whole frame, like a real camera).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

import cv2
import numpy as np

from headshot.analysis import (CHIN, FOREHEAD_TOP, LEFT_EYE_INNER, LEFT_EYE_OUTER, NOSE_TIP, RIGHT_EYE_INNER,
                               RIGHT_EYE_OUTER, FaceAnalysis)

STAGES = ("attire", "subject_light", "framing", "background", "camera_light", "sharpness")


@dataclass
class Geometry:
    """Face geometry in the pixel coordinates of the current person layer."""

    box: np.ndarray  # x0, y0, x1, y1
    landmarks: Optional[np.ndarray]  # (478, 2)
    shoulders: Optional[np.ndarray]  # (2, 3) x, y, visibility

    @property
    def top(self) -> float:
        return float(self.landmarks[FOREHEAD_TOP, 1]) if self.landmarks is not None else float(self.box[1] - 0.1 * (self.box[3] - self.box[1]))

    @property
    def chin(self) -> float:
        return float(self.landmarks[CHIN, 1]) if self.landmarks is not None else float(self.box[3])

    @property
    def face_h(self) -> float:
        return max(1.0, self.chin - self.top)

    @property
    def face_w(self) -> float:
        return float(self.box[2] - self.box[0])

    @property
    def center(self) -> tuple[float, float]:
        if self.landmarks is not None:
            eyes = self.landmarks[[RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_OUTER, LEFT_EYE_INNER]]
            return float(eyes[:, 0].mean()), float((self.top + self.chin) / 2)
        return float((self.box[0] + self.box[2]) / 2), float((self.box[1] + self.box[3]) / 2)

    @property
    def nose(self) -> tuple[float, float]:
        if self.landmarks is not None:
            return float(self.landmarks[NOSE_TIP, 0]), float(self.landmarks[NOSE_TIP, 1])
        return self.center

    @property
    def roll(self) -> float:
        if self.landmarks is None:
            return 0.0
        re = self.landmarks[[RIGHT_EYE_OUTER, RIGHT_EYE_INNER]].mean(0)
        le = self.landmarks[[LEFT_EYE_OUTER, LEFT_EYE_INNER]].mean(0)
        return float(np.degrees(np.arctan2(le[1] - re[1], le[0] - re[0])))

    def transformed(self, m: np.ndarray) -> "Geometry":
        """Apply a 2x3 affine matrix."""
        def tf(p: np.ndarray) -> np.ndarray:
            return p @ m[:, :2].T + m[:, 2]

        corners = tf(np.array([[self.box[0], self.box[1]], [self.box[2], self.box[1]], [self.box[0], self.box[3]],
                               [self.box[2], self.box[3]]], np.float32))
        box = np.array([*corners.min(0), *corners.max(0)], np.float32)
        lm = tf(self.landmarks) if self.landmarks is not None else None
        sh = None
        if self.shoulders is not None:
            sh = self.shoulders.copy()
            sh[:, :2] = tf(self.shoulders[:, :2])
        return Geometry(box, lm, sh)

    @classmethod
    def from_analysis(cls, a: FaceAnalysis) -> "Geometry":
        s = 1.0 / a.scale
        f = a.main_face
        lm = a.landmarks[:, :2] * s if a.landmarks is not None else None
        sh = None
        if a.shoulders is not None:
            sh = a.shoulders.copy()
            sh[:, :2] *= s
        return cls(np.array([f.x0, f.y0, f.x1, f.y1], np.float32) * s, lm, sh)


@dataclass
class RenderContext:
    """The working state of one variant; float32 sRGB values 0-255."""

    person: np.ndarray  # the subject layer (the base photo, edited)
    alpha: np.ndarray  # HxW 0-1 person matte for ``person``
    geom: Geometry
    rng: np.random.Generator
    out: Optional[np.ndarray] = None  # the composited frame (after the background stage)
    out_alpha: Optional[np.ndarray] = None  # the person matte in ``out`` coordinates
    donor: Optional[np.ndarray] = None  # another person's face crop (background "faces")
    scale: float = 1.0  # output pixels per base pixel (framing "far" shrinks the subject)
    log: list[str] = field(default_factory=list)

    @property
    def frame(self) -> np.ndarray:
        return self.out if self.out is not None else self.person

    @frame.setter
    def frame(self, v: np.ndarray) -> None:
        if self.out is not None:
            self.out = v
        else:
            self.person = v


OpFn = Callable[..., None]


@dataclass(frozen=True)
class OpSpec:
    family: str
    op: str
    stage: str
    fn: OpFn
    doc: str = ""


OPS: dict[tuple[str, str], OpSpec] = {}


def register(family: str, op: str, stage: Optional[str] = None) -> Callable[[OpFn], OpFn]:
    stage = stage or family
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")

    def deco(fn: OpFn) -> OpFn:
        OPS[(family, op)] = OpSpec(family, op, stage, fn, (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return deco


def person_matte(a: FaceAnalysis, shape: tuple[int, int]) -> np.ndarray:
    """The segmentation matte at ``shape``, with a lightly feathered edge (hair keeps its softness)."""
    h, w = shape
    if a.person_mask is not None:
        m = cv2.resize(a.person_mask.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    else:  # no segmentation: an ellipse around the face and a torso block
        m = np.zeros((h, w), np.float32)
        g = Geometry.from_analysis(a)
        cx, cy = g.center
        cv2.ellipse(m, (int(cx), int(cy)), (int(g.face_w * 0.7), int(g.face_h * 0.75)), 0, 0, 360, 1.0, -1)
        m[int(g.chin):, max(0, int(cx - 1.8 * g.face_w)):int(cx + 1.8 * g.face_w)] = 1.0
    m = np.clip((m - 0.15) / 0.7, 0, 1)
    k = max(1.0, 0.004 * max(h, w))
    return cv2.GaussianBlur(m, (0, 0), k)


def to_linear(x: np.ndarray) -> np.ndarray:
    v = np.clip(x, 0, 255) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)


def to_srgb(lin: np.ndarray) -> np.ndarray:
    v = np.clip(lin, 0, 1)
    return (np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(v, 1 / 2.4) - 0.055) * 255.0).astype(np.float32)


def resize_frame(ctx: RenderContext, max_side: int) -> None:
    """Downscale the composited frame (and geometry) so its long side is at most ``max_side``."""
    img = ctx.frame
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return
    s = max_side / max(h, w)
    size = (max(1, round(w * s)), max(1, round(h * s)))
    ctx.frame = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    if ctx.out_alpha is not None:
        ctx.out_alpha = cv2.resize(ctx.out_alpha, size, interpolation=cv2.INTER_AREA)
    ctx.geom = ctx.geom.transformed(np.array([[s, 0, 0], [0, s, 0]], np.float32))
    ctx.scale *= s


def run_ops(ctx: RenderContext, operations: list[dict[str, Any]], background_default: Optional[dict] = None,
            max_side: Optional[int] = None) -> RenderContext:
    """Run a plan's operations in stage order; every variant passes the background stage.

    ``max_side``: resize to the stored size before the sharpness stage, so JPEG blocks and
    pixelation land on the stored image's own 8x8 grid.
    """
    from . import attire, background, camera, expression, framing, lighting, sharpness  # noqa: F401  (registration)

    todo = []
    for o in operations:
        key = (o["family"], o["op"])
        if key not in OPS:
            raise KeyError(f"unknown operation {o['family']}/{o['op']}; known: {sorted(OPS)}")
        todo.append((STAGES.index(OPS[key].stage), o))
    if not any(OPS[(o["family"], o["op"])].stage == "background" for _, o in todo):
        bd = background_default or {"family": "background", "op": "keep", "params": {}}
        todo.append((STAGES.index("background"), bd))
    resized = max_side is None
    for stage, o in sorted(todo, key=lambda x: x[0]):
        if not resized and stage >= STAGES.index("sharpness"):
            resize_frame(ctx, max_side)
            resized = True
        OPS[(o["family"], o["op"])].fn(ctx, **o.get("params", {}))
        ctx.log.append(f"{o['family']}/{o['op']}")
    if not resized:
        resize_frame(ctx, max_side)
    return ctx


def new_context(image: np.ndarray, a: FaceAnalysis, seed: int, donor: Optional[np.ndarray] = None) -> RenderContext:
    return RenderContext(person=image.astype(np.float32), alpha=person_matte(a, image.shape[:2]),
                         geom=Geometry.from_analysis(a), rng=np.random.default_rng(seed), donor=donor)


__all__ = ["STAGES", "OPS", "OpSpec", "register", "Geometry", "RenderContext", "person_matte", "to_linear",
           "to_srgb", "resize_frame", "run_ops", "new_context", "replace"]
