"""The score tab's logic, free of gradio: upload -> report panel, overlay, JSON.

Errors never escape as tracebacks: an unreadable upload, no face or no upload each give a
clear message (in the panel, and as ``error`` in the JSON for the API).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from ..errors import FaceNotFoundError, HeadshotError, ImageLoadError
from ..overlay import draw_overlay
from ..report import Report
from ..saliency import saliency_map
from .render import message_html, report_html

log = logging.getLogger(__name__)

NO_UPLOAD = "Upload a photo (or take one with the webcam), then press Score."
NO_FACE = ("No face found in this photo. Use a photo where your face is clearly visible, "
           "roughly facing the camera and not too small.")
UNREADABLE = "Could not read this upload as an image ({}). Please upload a JPEG, PNG or WebP photo."
SEVERAL_FACES = ("Several faces found: the largest, most central one is judged, and framing and "
                 "background fail because another person is visible.")


def _display_name(path: Any) -> Optional[str]:
    return None if path is None else Path(str(path)).name


def friendly_error(e: HeadshotError) -> str:
    if isinstance(e, FaceNotFoundError):
        return NO_FACE
    if isinstance(e, ImageLoadError):
        return UNREADABLE.format(str(e).split(": ", 1)[-1])
    return f"Could not score this photo: {e}"


@dataclass
class ScoreResult:
    """Everything the score tab shows for one upload."""

    report: Report
    html: str
    overlay: Optional[np.ndarray] = None


def _with_face_note(report: Report) -> Report:
    if report.face_count > 1 and SEVERAL_FACES not in report.warnings:
        report.warnings.insert(0, SEVERAL_FACES)
    return report


def score_upload(scorer, image: Any, heatmap: bool = True, grid: Optional[int] = None) -> ScoreResult:
    """Score an upload (a path from gradio, or any image input) for the score tab.

    The occlusion fallback of the heat map re-predicts ``grid**2`` times: 6x6 with the measures
    (about 1 s), 4x4 for a network without its own saliency (each prediction costs more).
    """
    if image is None or (isinstance(image, str) and not image):
        return ScoreResult(Report(file=None, error=NO_UPLOAD), message_html(NO_UPLOAD, "info"))
    name = _display_name(image) if isinstance(image, (str, os.PathLike)) else None
    try:
        analysis = scorer.analyze(image)
        report = _with_face_note(scorer.score_analysis(analysis, file=name))
    except HeadshotError as e:
        msg = friendly_error(e)
        return ScoreResult(Report(file=name, error=msg), message_html(msg))
    sal = None
    if heatmap:
        try:
            g = grid or (6 if scorer.predictor.name == "measures" else 4)
            sal = saliency_map(scorer.predictor, analysis, grid=g)
        except Exception:  # the heat map is a bonus: never lose the verdict over it
            log.exception("saliency failed")
    return ScoreResult(report, report_html(report), draw_overlay(analysis, sal))


def score_json(scorer, file: Any) -> dict[str, Any]:
    """The API's answer: ``Report.to_dict()``, with ``error`` set for bad input."""
    if file is None or (isinstance(file, str) and not file):
        return Report(file=None, error=NO_UPLOAD).to_dict()
    name = _display_name(file) if isinstance(file, (str, os.PathLike)) else None
    try:
        report = _with_face_note(scorer.score(file, file=name))
    except HeadshotError as e:
        return Report(file=name, error=friendly_error(e)).to_dict()
    return report.to_dict()
