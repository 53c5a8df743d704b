"""One shared analysis per image: what it finds on real images, and how it reports none or several faces."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from headshot import samples
from headshot.analysis import CHIN, FOREHEAD_TOP, NOSE_TIP, FaceAnalysis
from headshot.errors import FaceNotFoundError


@pytest.fixture(scope="module")
def base(analyzer, astronaut) -> FaceAnalysis:
    return analyzer.analyze(astronaut)


def test_astronaut_analysis_is_complete(base, astronaut):
    a = base
    assert a.face_count == 1 and a.warnings == []
    assert a.original_size == (512, 512) and a.scale == 1.0 and a.image.shape == astronaut.shape
    f = a.main_face
    assert 0 <= f.x0 < f.x1 <= 512 and 0 <= f.y0 < f.y1 <= 512 and f.score > 0.5
    assert a.landmarks.shape == (478, 3)
    nx, ny = a.landmarks[NOSE_TIP, :2]
    assert f.x0 < nx < f.x1 and f.y0 < ny < f.y1
    top, chin = a.face_top_chin()
    assert (top, chin) == (a.landmarks[FOREHEAD_TOP, 1], a.landmarks[CHIN, 1])
    assert a.face_height_px == pytest.approx(chin - top)
    # person mask: the face is person, the top corners (flag / sky) are not
    m = a.person_mask
    assert m.shape == (512, 512) and m.min() >= 0 and m.max() <= 1
    assert m[int(ny), int(nx)] > 0.8 and m[:40, :40].mean() < 0.2 and m[:40, -40:].mean() < 0.2
    # shoulders below the chin, one each side of the face
    assert a.shoulders.shape == (2, 3)
    assert (a.shoulders[:, 1] > chin).all()
    assert a.shoulders[:, 0].min() < nx < a.shoulders[:, 0].max()
    # a frontal, upright portrait
    assert set(a.head_pose) == {"roll", "yaw", "pitch"}
    assert abs(a.head_pose["roll"]) < 10 and abs(a.head_pose["yaw"]) < 10 and abs(a.head_pose["pitch"]) < 15
    p = a.expression_probs
    assert len(p) == 7 and sum(p.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(p, key=p.get) == "happy"  # she smiles
    assert a.face_mask()[int(ny), int(nx)] and a.face_mask().mean() < 0.2


def test_analysis_is_deterministic(analyzer, astronaut, base):
    again = analyzer.analyze(astronaut.copy())
    np.testing.assert_allclose(again.landmarks, base.landmarks)
    assert again.head_pose == pytest.approx(base.head_pose)


def test_no_face_is_reported_not_guessed(analyzer):
    from skimage import data

    with pytest.raises(FaceNotFoundError):
        analyzer.analyze(data.coffee())
    a = analyzer.analyze(data.coffee(), require_face=False)
    assert a.face_count == 0 and a.landmarks is None and "no face detected" in a.warnings


def test_two_faces_are_kept_and_reported(analyzer, astronaut, base):
    a = analyzer.analyze(samples.two_faces(astronaut))
    assert a.face_count == 2
    assert any("2 faces" in w for w in a.warnings)
    (l0, r0), (l1, r1) = sorted([(f.x0, f.x1) for f in a.faces])
    assert r0 <= 512 <= l1  # one face in each half
    assert all(f.height == pytest.approx(base.main_face.height, rel=0.15) for f in a.faces)


def test_large_photo_is_downscaled_for_analysis(analyzer, astronaut, base):
    big = np.asarray(Image.fromarray(astronaut).resize((2048, 2048), Image.Resampling.BICUBIC))
    a = analyzer.analyze(big)
    assert a.image.shape == (1024, 1024, 3) and a.scale == pytest.approx(0.5) and a.original_size == (2048, 2048)
    # the same face, at twice the coordinates of the 512 px original
    np.testing.assert_allclose(np.array(a.main_face.center), 2 * np.array(base.main_face.center), rtol=0.05)


def test_exif_rotated_file_is_analysed_upright(analyzer, astronaut, base):
    exif = Image.Exif()
    exif[0x0112] = 8  # stored rotated; viewers rotate 90 degrees counter-clockwise
    buf = io.BytesIO()
    Image.fromarray(np.rot90(astronaut, k=-1)).save(buf, format="JPEG", quality=92, exif=exif)
    a = analyzer.analyze(buf.getvalue())
    assert a.face_count == 1 and abs(a.head_pose["roll"]) < 10
    np.testing.assert_allclose(np.array(a.main_face.center), np.array(base.main_face.center), atol=15)
