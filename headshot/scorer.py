"""HeadshotScorer: image -> one shared analysis -> predictor -> report with advice.

The learned model is used when one is installed (the shipped default model, or a folder
given by ``model=`` / ``$HEADSHOT_MODEL``); otherwise the interpretable measures are the
predictor. The report says which.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Optional, Union

from .analysis import FaceAnalysis, FaceAnalyzer, default_analyzer
from .attributes import ATTRIBUTES
from .errors import HeadshotError, ModelLoadError
from .imageio import ImageInput
from .measures import MeasureResult, load_terms, measure_all
from .predictors import MIN_SHARP_FACE_PX, MeasurePredictor, Predictor, forced_failures
from .report import AttributeReport, Report

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "default_model"
ModelSpec = Union[str, os.PathLike, None]


def _describe_weakest(m: MeasureResult) -> str:
    name = m.weakest
    if name is None:
        return m.note or "not assessable"
    term = load_terms()[m.attribute].get(name)
    doc = f" ({term.doc})" if term and term.doc else ""
    return f"{name} = {m.raw[name]:.3g}{doc}"


def resolve_predictor(model: ModelSpec = "auto") -> tuple[Predictor, list[str]]:
    """Pick the predictor: 'auto' (env, then shipped model, then measures), 'measures', or a folder/Hub id."""
    notes: list[str] = []
    if model is None or str(model) == "measures":
        return MeasurePredictor(), notes
    if str(model) == "auto":
        env = os.environ.get("HEADSHOT_MODEL")
        if env:
            model = env
        elif (DEFAULT_MODEL_DIR / "headshot_config.json").exists():
            model = DEFAULT_MODEL_DIR
        else:
            notes.append("no trained model installed: using the interpretable measures")
            return MeasurePredictor(), notes
    try:
        from .model import load_predictor
    except ImportError as e:
        raise ModelLoadError(f"the learned model needs torch and peft ({e})") from None
    return load_predictor(model), notes


class HeadshotScorer:
    """Score portraits for the six attributes of the label contract."""

    def __init__(self, model: ModelSpec = "auto", analyzer: Optional[FaceAnalyzer] = None) -> None:
        self.analyzer = analyzer or default_analyzer()
        self.predictor, self._notes = resolve_predictor(model)

    @property
    def predictor_name(self) -> str:
        return self.predictor.name

    def analyze(self, image: ImageInput) -> FaceAnalysis:
        return self.analyzer.analyze(image)

    def score(self, image: ImageInput, file: Optional[str] = None) -> Report:
        """Score one image. Raises :class:`~headshot.errors.HeadshotError` subclasses on bad input or no face."""
        analysis = self.analyze(image)
        return self.score_analysis(analysis, file=file)

    def score_analysis(self, analysis: FaceAnalysis, file: Optional[str] = None) -> Report:
        measures = measure_all(analysis)
        probs = self.predictor.predict(analysis, measures)
        report = Report(file=file, predictor=self.predictor.name, face_count=analysis.face_count,
                        warnings=[*self._notes, *analysis.warnings])
        f = analysis.main_face
        s = analysis.scale
        report.face_box = (f.x0 / s, f.y0 / s, f.x1 / s, f.y1 / s)
        face_px = analysis.face_height_px / analysis.scale
        forced = forced_failures(analysis.face_count, face_px)
        for attr in ATTRIBUTES:
            p = float(probs[attr.name])
            if not math.isfinite(p):
                p = 0.5
            thr = float(self.predictor.thresholds.get(attr.name, 0.5))
            m = measures[attr.name]
            passed = p >= thr
            if attr.name in forced:
                passed, p = False, min(p, thr * 0.5)  # contract: another face, or a face too small to be sharp
            cue = _describe_weakest(m)
            if attr.name == "sharpness" and attr.name in forced:
                cue = f"face only {face_px:.0f} px tall (contract: at least about {MIN_SHARP_FACE_PX:.0f} px)"
            if passed:
                expl = f"{attr.title}: looks fine (weakest cue: {cue})"
            else:
                expl = f"{attr.issue[0].upper()}{attr.issue[1:]} suspected; main cue: {cue}"
                if m.note:
                    expl += f"; {m.note}"
            report.attributes[attr.name] = AttributeReport(
                name=attr.name, probability=p, passed=passed, threshold=thr,
                advice=None if passed else attr.advice, explanation=expl, measurements=dict(m.raw))
        return report

    def score_file(self, path: Union[str, os.PathLike]) -> Report:
        """Like :meth:`score`, but errors go into the report instead of being raised (for batches)."""
        try:
            return self.score(path, file=str(path))
        except HeadshotError as e:
            return Report(file=str(path), error=str(e))
