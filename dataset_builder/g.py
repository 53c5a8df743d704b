"""g: the centre of the synthetic data design.

A sampler draws a target attribute vector per variant, and ``make_plan`` maps it to an
:class:`EditPlan`: prompt fragments that explicitly state each attribute's state (for the
diffusion backend) and a list of parameterised image operations (for the procedural
backend). The plan is plain data (JSON), stored with every variant and reproducible from its
seed: the same (targets, base_info, seed) always gives the same plan.

Capabilities (what an edit can set for a given base portrait) live here too, because they
decide which targets are reachable:
- background: always (every variant is composited onto a new backdrop, clean or distracting,
  so compositing artefacts carry no label);
- lighting, framing, sharpness: 0 always (a degradation); 1 only when the base is
  confidently 1 (the procedural backend cannot repair a bad base);
- attire: 0 on head-and-shoulders bases (casual top, or a tight crop) and 1 there too (a
  jacket, shirt and tie drawn over the top); face-only crops keep their label (0);
- expression: the base portrait's own label (measured); a base measured 1 can also be given
  expression 0 with an occluder (sunglasses or a face mask: eyes not visible / face covered are 0
  by the contract, whatever the face does underneath). Nothing can make a base 0 into a 1.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Optional

import numpy as np

from headshot.attributes import ATTRIBUTE_NAMES

P_ZERO = 0.40  # per-attribute chance of drawing 0 (the issue) when both states are reachable
P_ZERO_BY_ATTR = {"expression": 0.25}  # occluders are one narrow kind of expression issue: keep them a minority
P_ALL_PRO = 0.12  # share of variants that try to be fully professional
MAX_ZEROS = 3  # never all issues at once: extra zeros are reverted where 1 is reachable
P_MONOCHROME = 0.06  # share of variants rendered black and white (label-neutral)

# ---------------------------------------------------------------- prompt templates
# Several phrasings per attribute and state; the plan records the ones drawn.
PROMPTS: dict[str, dict[int, list[str]]] = {
    "lighting": {
        1: ["soft even frontal studio lighting", "diffuse flattering light, both sides of the face evenly lit",
            "balanced soft key light with fill, natural skin tones"],
        0: ["harsh side lighting with deep shadow on one side of the face", "under-exposed dark murky face",
            "over-exposed washed-out skin with blown highlights", "strong green colour cast on the skin",
            "backlit subject, face in shadow against a bright window", "hard cast shadows across the face"],
    },
    "background": {
        1: ["plain neutral studio backdrop", "smooth grey gradient background", "clean seamless paper backdrop",
            "heavily blurred uniform background with no recognisable objects"],
        0: ["cluttered office background with shelves and objects", "busy outdoor street scene behind",
            "posters with text and logos on the wall behind", "other people in the background",
            "busy high-contrast patterned wallpaper behind"],
    },
    "attire": {
        1: ["wearing a dark business suit, white dress shirt and tie", "wearing a tailored blazer over a collared shirt",
            "professional business attire with visible collar and shoulders"],
        0: ["wearing a casual t-shirt", "wearing a brightly coloured hoodie", "casual clothes, no collar",
            "clothing not visible, face-only crop"],
    },
    "expression": {
        1: ["neutral composed expression, eyes open looking at the camera", "natural closed-mouth smile, relaxed",
            "friendly approachable expression"],
        0: ["laughing with mouth wide open", "frowning, grimacing", "eyes closed", "looking far away from the camera",
            "wearing dark sunglasses", "wearing a face mask over the nose and mouth"],
    },
    "framing": {
        1: ["centred head-and-shoulders composition, upright head", "classic centred headshot framing with shoulders"],
        0: ["subject far off-centre in the frame", "cropped too tightly, face fills the frame",
            "subject small and far away in the frame", "top of the head cut off by the frame", "tilted head, dutch angle"],
    },
    "sharpness": {
        1: ["tack-sharp focus, fine detail on eyelashes and skin", "high resolution crisp photo"],
        0: ["out of focus, blurry", "motion blur from camera shake", "heavy jpeg compression artefacts",
            "pixelated low resolution upscale", "grainy with strong sensor noise",
            "smeared low-light phone photo, no skin texture"],
    },
}
NEGATIVE_EXTRA = "deformed face, extra limbs, cartoon, painting, watermark"

# ---------------------------------------------------------------- operations per attribute state
# op name -> relative weight. Ops that need a capability are filtered in make_plan.
ZERO_OPS = {
    "lighting": {"directional": 3, "hard_shadow": 1.5, "under": 1.5, "over": 1, "cast": 1.5, "backlight": 1},
    "background": {"clutter": 2.5, "scene": 1.5, "text": 1.5, "pattern": 1, "faces": 1, "photo": 3},
    "framing": {"shift": 2, "tight": 1.5, "far": 1.5, "cut_top": 1.5, "tilt": 2},
    "sharpness": {"gaussian": 1.5, "defocus": 1.5, "motion": 2, "jpeg": 1, "pixelate": 1, "noise": 1.5, "lowres": 1,
                  "smear": 1.5},
    "attire": {"casual_top": 1},  # cropping the clothing out is framing's "tight" op
    "expression": {"sunglasses": 1, "face_mask": 1},  # only on bases measured 1
}
CLEAN_BACKGROUNDS = {"plain": 2, "gradient": 2, "studio": 2, "defocus": 1, "photo_defocus": 1}
# real photo plates (dataset_builder.plates); ops that need one are dropped when none is installed
PLATE_OPS = ("photo", "photo_defocus")
PROMPT_OP_FAMILY = {"lighting": "lighting", "background": "background", "framing": "framing",
                    "sharpness": "sharpness", "attire": "attire"}


@dataclass
class EditPlan:
    """Everything a backend needs to render one variant; pure data, JSON round-trips."""

    targets: dict[str, int]
    prompt: str
    negative_prompt: str
    strength: float
    seed: int
    operations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, s: str | Mapping[str, Any]) -> "EditPlan":
        d = json.loads(s) if isinstance(s, str) else dict(s)
        return cls(targets={k: int(v) for k, v in d["targets"].items()}, prompt=d["prompt"],
                   negative_prompt=d["negative_prompt"], strength=float(d["strength"]), seed=int(d["seed"]),
                   operations=list(d.get("operations", [])), notes=list(d.get("notes", [])))

    def op(self, family: str) -> Optional[dict[str, Any]]:
        return next((o for o in self.operations if o["family"] == family), None)


# ---------------------------------------------------------------- capabilities
def reachable(attr: str, state: int, base_labels: Mapping[str, Optional[int]], head_shoulders: bool = True) -> bool:
    """Can a procedural edit give this base portrait ``attr == state`` with a truthful label?"""
    base = base_labels.get(attr)
    if attr == "background":
        return True
    if attr == "expression":  # 0 by an occluder on a base that is 1; never 0 -> 1
        return base is not None and (state == 0 or base == 1)
    if attr == "attire":
        if not head_shoulders:
            return state == 0 and base == 0
        return True
    # lighting, framing, sharpness: degradations always work; 1 needs a confident base 1
    if state == 0:
        return True
    return base == 1 and (attr != "framing" or head_shoulders)


def sample_targets(rng: np.random.Generator, base_labels: Mapping[str, Optional[int]],
                   head_shoulders: bool = True) -> dict[str, int]:
    """Draw a target vector: each attribute 0 with probability ``P_ZERO`` where both states are
    reachable, forced where only one is; at most ``MAX_ZEROS`` zeros; some all-professional draws.

    ``base_labels`` holds the base portrait's own labels (None = undetermined). Raises
    ValueError when an attribute has no reachable state (e.g. unknown expression).
    """
    all_pro = rng.random() < P_ALL_PRO
    t: dict[str, int] = {}
    free: list[str] = []
    for a in ATTRIBUTE_NAMES:
        ok0, ok1 = reachable(a, 0, base_labels, head_shoulders), reachable(a, 1, base_labels, head_shoulders)
        if not (ok0 or ok1):
            raise ValueError(f"{a}: no reachable state for this base portrait (label undetermined)")
        if ok0 and ok1:
            free.append(a)
            t[a] = 1 if all_pro else int(rng.random() >= P_ZERO_BY_ATTR.get(a, P_ZERO))
        else:
            t[a] = 1 if ok1 else 0
    zeros = [a for a in free if t[a] == 0]
    forced = sum(1 for a in ATTRIBUTE_NAMES if a not in free and t[a] == 0)
    excess = len(zeros) + forced - MAX_ZEROS
    if excess > 0:
        for a in rng.permutation(zeros)[:excess]:
            t[str(a)] = 1
    return t


# ---------------------------------------------------------------- plan
def _pick(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names], float)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 4)


def _colour(rng: np.random.Generator, muted: bool) -> list[int]:
    if muted:
        # near-white studio walls and a high-key pure white: a bright, evenly lit backdrop must not
        # read as backlight;
        # saturated studio blues/teal (official portraits): smooth, so clean however saturated
        base = rng.choice([[128, 128, 128], [70, 90, 120], [200, 200, 195], [40, 45, 55], [180, 170, 150],
                           [95, 110, 125], [230, 230, 232], [60, 75, 70], [244, 244, 242], [236, 238, 240],
                           [45, 85, 175], [70, 110, 200], [30, 110, 120], [255, 255, 255]])
        return [int(np.clip(c + rng.integers(-18, 19), 0, 255)) for c in base]
    return [int(c) for c in rng.integers(0, 256, 3)]


def _background_params(rng: np.random.Generator, op: str, plates: tuple[str, ...] = ()) -> dict[str, Any]:
    p: dict[str, Any] = {"seed": int(rng.integers(0, 2**31 - 1))}
    if op in ("plain", "gradient", "studio"):
        p["colour"] = _colour(rng, True)
        p["colour2"] = [int(np.clip(c + rng.integers(-45, 46), 0, 255)) for c in p["colour"]]
        p["direction"] = _pick(rng, {"vertical": 1, "radial": 1, "diagonal": 1})
    if op == "defocus":
        p["scene"] = _pick(rng, {"clutter": 1, "scene": 1})
        p["sigma_frac"] = _u(rng, 0.07, 0.12)  # of the canvas width: nothing stays recognisable
    if op in ("clutter", "scene", "text", "pattern", "faces"):
        p["blur_sigma"] = _u(rng, 0.0, 1.5)  # a little lens softness, objects stay recognisable
    if op in PLATE_OPS:
        p["plate"] = str(rng.choice(plates))
        p["zoom"] = _u(rng, 1.0, 2.5)
        p["flip"] = bool(rng.random() < 0.5)
        p["tint"] = [_u(rng, 0.85, 1.15) for _ in range(3)]
        if op == "photo":
            p["blur_sigma"] = _u(rng, 0.0, 2.0)  # lens softness; objects stay recognisable (contract: still 0)
        else:
            p["sigma_frac"] = _u(rng, 0.07, 0.12)
    if op == "pattern":
        p["kind"] = _pick(rng, {"stripes": 1, "checks": 1, "dots": 1, "zigzag": 1})
    return p


def _lighting_params(rng: np.random.Generator, op: str) -> dict[str, Any]:
    if op == "directional":
        return {"azimuth": _u(rng, 55, 90) * (1 if rng.random() < 0.5 else -1), "elevation": _u(rng, -10, 45),
                "ambient": _u(rng, 0.05, 0.16), "warmth": _u(rng, -0.08, 0.12)}
    if op == "hard_shadow":
        return {"seed": int(rng.integers(0, 2**31 - 1)), "depth": _u(rng, 0.22, 0.35), "kind": _pick(rng, {"diagonal": 1, "bars": 1, "blob": 1})}
    if op == "under":
        return {"gain": _u(rng, 0.10, 0.22), "gamma": _u(rng, 1.0, 1.25)}
    if op == "over":
        return {"gain": _u(rng, 2.8, 4.5)}
    if op == "cast":
        return {"tint": _pick(rng, {"green": 1, "blue": 1, "orange": 1, "magenta": 0.5}), "amount": _u(rng, 0.7, 0.95)}
    if op == "backlight":
        return {"subject_gain": _u(rng, 0.12, 0.25), "window": _u(rng, 1.6, 2.4)}
    return {"exposure": _u(rng, -0.15, 0.15)}  # "even": mild exposure jitter, stays professional


def _framing_params(rng: np.random.Generator, op: str) -> dict[str, Any]:
    if op == "shift":
        return {"offset": _u(rng, 0.2, 0.3) * (1 if rng.random() < 0.5 else -1)}
    if op == "tight":
        return {"face_frac": _u(rng, 0.75, 0.9)}
    if op == "far":
        return {"face_frac": _u(rng, 0.1, 0.15)}
    if op == "cut_top":
        return {"cut": _u(rng, 0.2, 0.4)}  # of the face height, below the forehead top
    if op == "tilt":
        return {"angle": _u(rng, 20, 32) * (1 if rng.random() < 0.5 else -1)}
    return {}


def _sharpness_params(rng: np.random.Generator, op: str) -> dict[str, Any]:
    """Blur strengths (gaussian, defocus, motion) are fractions of the face height; pixelate and
    lowres give the face's height in pixels. Their bounds keep the eyes (about 4% of the face
    tall) discernible: a blur that hides them would make expression 0 by the contract ("eyes not
    visible ... blur") while the variant keeps the base's expression label."""
    if op == "gaussian":
        # from 1.2% (eyelashes and skin texture already gone: real "soft" photos) up
        return {"sigma_frac": _u(rng, 0.012, 0.035)}
    if op == "smear":
        return {"noise": _u(rng, 8, 14), "strength": _u(rng, 14, 22)}
    if op == "defocus":
        return {"radius_frac": _u(rng, 0.035, 0.055)}
    if op == "motion":
        return {"length_frac": _u(rng, 0.09, 0.14), "angle": _u(rng, 0, 180)}
    if op == "jpeg":
        return {"quality": int(rng.integers(3, 8))}
    if op == "pixelate":
        return {"face_px": int(rng.integers(22, 32))}
    if op == "noise":
        return {"sigma": _u(rng, 16, 28), "chroma": _u(rng, 0.2, 0.6)}
    if op == "lowres":
        return {"face_px": int(rng.integers(40, 70))}  # contract: a face under about 100 px is too small
    return {}


def _attire_params(rng: np.random.Generator, op: str) -> dict[str, Any]:
    if op == "casual_top":
        return {"colour": _colour(rng, False), "pattern": _pick(rng, {"solid": 3, "stripes": 1, "print": 1}),
                "seed": int(rng.integers(0, 2**31 - 1))}
    if op == "suit":
        return {"jacket": _pick(rng, {"navy": 2, "charcoal": 2, "black": 1, "grey": 1, "brown": 0.5}),
                "shirt": _pick(rng, {"white": 3, "light_blue": 1}), "tie": bool(rng.random() < 0.75),
                "tie_colour": _colour(rng, False)}
    return {}


def _expression_params(rng: np.random.Generator, op: str) -> dict[str, Any]:
    if op == "sunglasses":
        tint = _pick(rng, {"black": 3, "brown": 1, "blue": 0.5})
        return {"tint": {"black": [22, 22, 26], "brown": [58, 38, 24], "blue": [20, 30, 60]}[tint],
                "size": _u(rng, 1.15, 1.45), "shape": _pick(rng, {"round": 1, "square": 1})}
    if op == "face_mask":
        c = _pick(rng, {"surgical": 3, "white": 1, "black": 1.5, "cloth": 1})
        colour = {"surgical": [160, 195, 220], "white": [232, 232, 230], "black": [38, 38, 42]}.get(c)
        return {"colour": colour or _colour(rng, False), "pleats": c == "surgical"}
    return {}


def make_plan(targets: Mapping[str, int], base_info: Mapping[str, Any], seed: int) -> EditPlan:
    """Map targets to prompt + operations. ``base_info`` keys used: ``labels`` (base labels),
    ``head_shoulders`` (bool), ``face_px`` (face height in base pixels), ``side_margin_ok`` (the
    body does not touch the side borders much), ``has_donor`` (another face can be pasted),
    ``plates`` (names of the real photo plates installed).
    """
    rng = np.random.default_rng(seed)
    t = {a: int(targets[a]) for a in ATTRIBUTE_NAMES}
    base = base_info.get("labels", {})
    hs = bool(base_info.get("head_shoulders", True))
    face_px = float(base_info.get("face_px", 200.0))
    notes: list[str] = []
    ops: list[dict[str, Any]] = []

    # framing first: some framing ops also decide what attire and sharpness can keep
    fr_op = None
    if t["framing"] == 0 and (hs or rng.random() < 0.5):
        w = dict(ZERO_OPS["framing"])
        if t["attire"] == 1:
            w.pop("tight")  # a tight crop cuts the clothing out of frame
        elif hs and base.get("attire") == 1:
            w["tight"] = 3.0  # "cropping the clothing out of frame" is one way to attire 0
        if t["sharpness"] == 1 and face_px * 0.15 / 0.45 < 130:
            w.pop("far")  # shrinking the face would leave it too small to be sharp
        if not base_info.get("side_margin_ok", False):
            w.pop("far", None)
        if not hs:
            w = {k: v for k, v in w.items() if k in ("shift", "tilt")}
        fr_op = _pick(rng, w)
        ops.append({"family": "framing", "op": fr_op, "params": _framing_params(rng, fr_op)})
    # background: every variant is composited, clean or distracting
    bg_w = dict(ZERO_OPS["background"]) if t["background"] == 0 else dict(CLEAN_BACKGROUNDS)
    if t["background"] == 0 and (t["framing"] == 1 or not base_info.get("has_donor", False)):
        bg_w.pop("faces")  # another face makes framing 0 too (contract, general rules)
    plates = tuple(base_info.get("plates", ()))
    if not plates:
        for k in PLATE_OPS:
            bg_w.pop(k, None)
    bg_op = _pick(rng, bg_w)
    ops.append({"family": "background", "op": bg_op, "params": _background_params(rng, bg_op, plates)})
    # attire: edits go both ways, and also re-dress people already in that state, so an edited
    # torso never tells the label by itself
    base_att = base.get("attire")
    a_op = None
    if hs and fr_op != "tight":
        if t["attire"] == 1 and (base_att != 1 or rng.random() < 0.3):
            a_op = "suit"
        elif t["attire"] == 0 and (base_att == 1 or rng.random() < 0.4):
            a_op = "casual_top"
    if a_op:
        ops.append({"family": "attire", "op": a_op, "params": _attire_params(rng, a_op)})
    if t["attire"] == 0 and fr_op == "tight" and base_att == 1:
        notes.append("attire 0: the tight crop leaves the clothing out of frame")
    # expression: an occluder where the base itself is 1
    if t["expression"] == 0 and base.get("expression") == 1:
        e_op = _pick(rng, ZERO_OPS["expression"])
        ops.append({"family": "expression", "op": e_op, "params": _expression_params(rng, e_op)})
    # lighting
    l_op = _pick(rng, ZERO_OPS["lighting"]) if t["lighting"] == 0 else "even"
    ops.append({"family": "lighting", "op": l_op, "params": _lighting_params(rng, l_op)})
    # camera: some photos are black and white; no label changes, except over a colour cast
    # (nor over a two-colour pattern, whose colours may share one grey level and leave a plain wall)
    if l_op != "cast" and bg_op != "pattern" and rng.random() < P_MONOCHROME:
        ops.append({"family": "camera", "op": "monochrome", "params": {"tone": _u(rng, -0.5, 1.0)}})
    # sharpness
    if t["sharpness"] == 0:
        s_op = _pick(rng, ZERO_OPS["sharpness"])
        ops.append({"family": "sharpness", "op": s_op, "params": _sharpness_params(rng, s_op)})

    # prompt: one phrasing per attribute state; the chosen op picks a matching phrase where it can
    frags, neg = [], []
    for a in ATTRIBUTE_NAMES:
        pos = PROMPTS[a][t[a]]
        frags.append(pos[int(rng.integers(len(pos)))])
        other = PROMPTS[a][1 - t[a]]
        neg.append(other[int(rng.integers(len(other)))])
    prompt = "professional portrait photo of the same person, " + ", ".join(frags)
    negative = ", ".join(neg + [NEGATIVE_EXTRA])
    zeros = sum(1 for v in t.values() if v == 0)
    strength = round(float(np.clip(0.35 + 0.07 * zeros + rng.uniform(-0.05, 0.05), 0.3, 0.75)), 3)
    return EditPlan(targets=t, prompt=prompt, negative_prompt=negative, strength=strength, seed=int(seed),
                    operations=ops, notes=notes)


__all__ = ["EditPlan", "PROMPTS", "ZERO_OPS", "CLEAN_BACKGROUNDS", "reachable", "sample_targets", "make_plan"]
