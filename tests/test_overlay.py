"""Overlay drawing and the saliency map, on the packaged astronaut portrait."""
from __future__ import annotations

import numpy as np
import pytest

from headshot.overlay import OverlayStyle, draw_overlay
from headshot.saliency import occlusion_saliency, saliency_map


@pytest.fixture(scope="module")
def analysis(analyzer, astronaut):
    return analyzer.analyze(astronaut)


@pytest.fixture(scope="module")
def predictor():
    from headshot.predictors import MeasurePredictor

    return MeasurePredictor()


def test_background_region_is_tinted_and_person_is_not(analysis):
    plain = draw_overlay(analysis, guides=False, background=False)
    assert np.array_equal(plain, analysis.image)
    tinted = draw_overlay(analysis, guides=False).astype(int)
    mask = analysis.person_mask
    bg, person = mask < 0.05, mask > 0.95
    assert bg.sum() > 1000 and person.sum() > 1000
    shift = tinted - analysis.image.astype(int)
    # the tint (60, 110, 255) pulls the background toward blue; the person stays as is
    assert shift[bg][:, 2].mean() - shift[bg][:, 0].mean() > 20
    assert np.abs(shift[person]).mean() < 1.0


def test_guides_sit_where_the_contract_puts_them(analysis):
    style = OverlayStyle()
    out = draw_overlay(analysis, background=False)
    h, w = out.shape[:2]
    diff = np.any(out != analysis.image, axis=2)
    for x in (w // 2, round(w / 2 - 0.12 * w), round(w / 2 + 0.12 * w)):
        assert diff[:, x - 1:x + 2].any(axis=1).mean() > 0.3, x  # dashed vertical line
    for y in (round(style.eye_line * h), round(style.chin_limit * h)):
        assert diff[y - 1:y + 2, :].any(axis=0).mean() > 0.3, y
    x0, y0, x1, y1 = analysis.main_face.as_int()
    edge = out[y0 + 5:y1 - 5, x0]
    assert (np.abs(edge.astype(int) - style.face_colour).sum(axis=1) < 60).mean() > 0.8  # face box drawn


def test_heat_map_brightens_salient_cells(analysis):
    h, w = analysis.image.shape[:2]
    sal = np.zeros((4, 4), np.float32)
    sal[0, 0] = 1.0
    out = draw_overlay(analysis, saliency=sal, guides=False, background=False).astype(int)
    changed = np.abs(out - analysis.image.astype(int)).sum(axis=2)
    assert changed[: h // 8, : w // 8].mean() > 20 * max(1.0, changed[-h // 8:, -w // 8:].mean())


def test_occlusion_map_peaks_on_the_face(analysis, predictor):
    grid = 6
    m = occlusion_saliency(predictor, analysis, grid=grid)
    assert m.shape == (grid, grid) and np.all(m >= 0) and m.max() > 0
    i, j = np.unravel_index(np.argmax(m), m.shape)
    cx, cy = analysis.main_face.center
    h, w = analysis.image.shape[:2]
    assert (i, j) == (int(cy * grid / h), int(cx * grid / w))
    with pytest.raises(ValueError):
        occlusion_saliency(predictor, analysis, grid=0)


def test_saliency_map_prefers_the_predictors_own(analysis, predictor):
    class WithSaliency:
        name, thresholds = "own", predictor.thresholds

        def predict(self, a, m):
            return predictor.predict(a, m)

        def saliency(self, a):
            return np.ones(a.image.shape[:2]) * 0.25

    own = saliency_map(WithSaliency(), analysis)
    assert own.shape == analysis.image.shape[:2] and np.allclose(own, 0.25)
    assert saliency_map(predictor, analysis, grid=3).shape == (3, 3)
