"""headshot: is this photo a professional headshot, and if not, why not.

>>> from headshot import HeadshotScorer
>>> report = HeadshotScorer().score("photo.jpg")
"""
from __future__ import annotations

from .attributes import ATTRIBUTE_NAMES, ATTRIBUTES, Attribute
from .errors import FaceNotFoundError, HeadshotError, ImageLoadError, ModelLoadError

__version__ = "0.1.0"


def __getattr__(name: str):
    # the scorer pulls in MediaPipe; import it only when asked for
    if name == "HeadshotScorer":
        from .scorer import HeadshotScorer

        return HeadshotScorer
    if name in ("Report", "AttributeReport"):
        from . import report

        return getattr(report, name)
    raise AttributeError(name)


__all__ = ["ATTRIBUTES", "ATTRIBUTE_NAMES", "Attribute", "HeadshotScorer", "HeadshotError", "ImageLoadError",
           "FaceNotFoundError", "ModelLoadError", "__version__"]
