"""Typed errors: the API raises these, the CLI turns them into one-line messages and exit status 2."""
from __future__ import annotations


class HeadshotError(Exception):
    """Base class for every error the project reports to users."""


class ImageLoadError(HeadshotError):
    """The input is not a readable image (missing, empty, truncated, not an image, too large)."""


class FaceNotFoundError(HeadshotError):
    """No face was detected, so no attribute can be judged."""


class ModelLoadError(HeadshotError):
    """A trained model folder is missing files or does not match this code."""
