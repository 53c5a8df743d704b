"""The single definition of the six headshot attributes.

Names and order follow the labelling contract (shared/docs/ATTRIBUTES.md): they are the
dataset's label columns and the model's output order. Every other module imports them
from here instead of spelling them out.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    """One binary attribute: 1 = professional, 0 = the issue is present."""

    name: str
    title: str
    definition: str
    advice: str
    issue: str  # what a failure looks like, in a few words (for explanations)


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "lighting",
        "Lighting even and frontal",
        "The face is lit softly from the front: both halves similarly bright, neither too dark nor "
        "washed out, no harsh shadow, hotspot or strong colour cast.",
        "Face a window or a soft light source so both sides of your face are evenly lit, and avoid "
        "strong overhead, side or coloured light.",
        "uneven, harsh, dark, blown-out or colour-cast light on the face",
    ),
    Attribute(
        "background",
        "Background clean and non-distracting",
        "A plain or smoothly varying backdrop, or one so defocused that no object can be "
        "recognised; nothing in it draws the eye.",
        "Stand in front of a plain wall or backdrop, or blur the background so that no objects, "
        "text or other people are recognisable.",
        "recognisable objects, text, people or busy patterns behind the subject",
    ),
    Attribute(
        "attire",
        "Business or professional attire visible",
        "The collar and both shoulder lines are in the frame and the person wears business or "
        "professional clothing.",
        "Wear business clothing (a blazer, collared shirt or smart top) and make sure your collar "
        "and shoulders are in the frame.",
        "casual clothing, or clothing not visible in the frame",
    ),
    Attribute(
        "expression",
        "Neutral professional facial expression",
        "A composed, approachable expression: neutral or a natural smile, eyes open and directed "
        "roughly at the camera.",
        "Relax your face into a neutral look or natural smile, keep your eyes open and look at the "
        "camera.",
        "laughing, talking, grimacing, eyes closed or looking away",
    ),
    Attribute(
        "framing",
        "Face properly framed and centred",
        "A single person in a head-and-shoulders composition: face centred, whole head in frame, "
        "eyes in the upper half, face neither tiny nor cropped too tightly, head upright and "
        "turned toward the camera.",
        "Crop to head and shoulders with your face centred, the whole head inside the frame and "
        "your eyes in the upper half; hold the camera level and face it.",
        "off-centre, too tight, too far, cut-off head, tilted or more than one person",
    ),
    Attribute(
        "sharpness",
        "Image sharpness high",
        "The face is in focus with fine detail visible: no motion or focus blur, no heavy "
        "compression blocks, no strong noise, and the face at least about 100 pixels tall.",
        "Use a higher-resolution photo taken in good light with the camera held steady and focused "
        "on your eyes; avoid heavily compressed or upscaled images.",
        "blur, compression blocks, noise or too few pixels on the face",
    ),
)

ATTRIBUTE_NAMES: tuple[str, ...] = tuple(a.name for a in ATTRIBUTES)
BY_NAME: dict[str, Attribute] = {a.name: a for a in ATTRIBUTES}


def get(name: str) -> Attribute:
    """Look an attribute up by name, with a clear error for a typo."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown attribute {name!r}; expected one of {', '.join(ATTRIBUTE_NAMES)}") from None
