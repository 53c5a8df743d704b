"""The app in a real browser: Debian's Chromium driven by Playwright against app.py on 127.0.0.1.

Uploads the packaged astronaut example, scores it, compares the rendered probabilities with
the scorer run in-process, clicks an example, opens every tab and saves screenshots to
tests/_artifacts/.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app_server import REPO, running_app, write_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("HEADSHOT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "_artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def eval_metrics(tmp_path_factory):
    d = tmp_path_factory.mktemp("evaluation")
    return d, write_evaluation(d)


@pytest.fixture(scope="module")
def app(tmp_path_factory, eval_metrics):
    with running_app(tmp_path_factory.mktemp("app"), eval_dir=eval_metrics[0]) as a:
        yield a


@pytest.fixture(scope="module")
def page(app):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's: apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(app.url)
        pg.wait_for_selector("#hs-score")
        yield pg
        browser.close()


@pytest.fixture(scope="module")
def scorer():
    from headshot.scorer import HeadshotScorer

    return HeadshotScorer()


def rendered_probs(page) -> dict[str, float]:
    rows = page.locator("#hs-result .hs-attr")
    return {rows.nth(i).get_attribute("data-attr"): float(rows.nth(i).get_attribute("data-prob"))
            for i in range(rows.count())}


def wait_for_report(page, attr: str, value: float) -> None:
    """Wait until the rendered probability of ``attr`` is the expected one (the newest result)."""
    page.wait_for_function(
        """([a, v]) => { const r = document.querySelector(`#hs-result .hs-attr[data-attr="${a}"]`);
                         return r && Math.abs(parseFloat(r.dataset.prob) - v) < 1e-3; }""",
        arg=[attr, value])


def assert_matches(page, report) -> None:
    probs = rendered_probs(page)
    expected = {n: a.probability for n, a in report.attributes.items()}
    assert set(probs) == set(expected)
    for n in expected:
        assert probs[n] == pytest.approx(expected[n], abs=1e-3), n
    rows = page.locator("#hs-result .hs-attr")
    passed = {rows.nth(i).get_attribute("data-attr"): rows.nth(i).get_attribute("data-passed") == "1"
              for i in range(rows.count())}
    assert passed == {n: a.passed for n, a in report.attributes.items()}
    verdict = page.locator("#hs-result .hs-verdict").inner_text()
    assert ("Professional headshot" in verdict) == report.passed
    advice = page.locator("#hs-result .hs-advice li")
    assert sorted(advice.nth(i).get_attribute("data-attr") for i in range(advice.count())) == sorted(report.failed)
    for n in report.failed:
        assert report.attributes[n].advice in page.locator("#hs-result .hs-advice").inner_text()


def test_upload_and_score_matches_scorer(page, scorer):
    path = REPO / "headshot" / "examples" / "astronaut.jpg"
    expected = scorer.score(path)
    page.get_by_role("tab", name="Score").click()
    page.set_input_files("#hs-input input[type=file]", str(path))
    page.click("#hs-score")
    first = next(iter(expected.attributes.values()))
    wait_for_report(page, first.name, first.probability)
    page.wait_for_selector("#hs-overlay img")
    page.wait_for_timeout(500)
    assert_matches(page, expected)
    # the overlay is an image of the uploaded photo's size (the analysis copy)
    size = page.eval_on_selector("#hs-overlay img", "i => [i.naturalWidth, i.naturalHeight]")
    assert size == [512, 512]
    page.screenshot(path=str(ARTIFACTS / "score_astronaut.png"), full_page=True)


def test_example_click_scores_that_example(page, scorer):
    expected = scorer.score(REPO / "headshot" / "examples" / "astronaut_shifted.jpg")
    page.get_by_role("tab", name="Score").click()
    page.get_by_text("astronaut shifted", exact=True).first.click()
    wait_for_report(page, "framing", expected.attributes["framing"].probability)
    page.wait_for_timeout(500)
    assert_matches(page, expected)
    page.screenshot(path=str(ARTIFACTS / "score_example_shifted.png"), full_page=True)


def test_unreadable_upload_gets_clear_message(page, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"this is not a JPEG at all")
    page.get_by_role("tab", name="Score").click()
    page.set_input_files("#hs-input input[type=file]", str(bad))
    page.click("#hs-score")
    msg = page.locator("#hs-result .hs-message")
    msg.wait_for()
    assert "Could not read this upload" in msg.inner_text()
    page.screenshot(path=str(ARTIFACTS / "score_unreadable.png"), full_page=True)


def test_no_face_gets_clear_message(page, tmp_path):
    import numpy as np
    from PIL import Image

    plain = tmp_path / "wall.png"
    Image.fromarray(np.full((300, 300, 3), 180, np.uint8)).save(plain)
    page.set_input_files("#hs-input input[type=file]", str(plain))
    page.click("#hs-score")
    page.wait_for_function("() => { const m = document.querySelector('#hs-result .hs-message');"
                           " return m && m.innerText.includes('No face'); }")
    page.screenshot(path=str(ARTIFACTS / "score_no_face.png"), full_page=True)


def test_dashboard_tab_shows_evaluation(page, eval_metrics):
    _, metrics = eval_metrics
    page.get_by_role("tab", name="Model evaluation").click()
    summary = page.locator("#hs-eval-summary")
    summary.get_by_text("test-model").wait_for()
    text = summary.inner_text()
    for s, m in metrics["splits"].items():
        assert s in text and f"{m['macro_issue_f1']:.3f}" in text
    table = page.locator("#hs-eval-attrs")
    table.get_by_text("sharpness").first.wait_for()
    cells = table.inner_text()
    per = metrics["splits"]["synthetic_test"]["per_attribute"]
    for n, m in per.items():
        assert n in cells and f"{m['issue_f1']:g}" in cells
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_counterfactual_tab(page, scorer):
    cf = pytest.importorskip("dataset_builder.counterfactual")
    assert callable(cf.flip_one) and callable(cf.improve)
    path = REPO / "headshot" / "examples" / "astronaut.jpg"
    page.get_by_role("tab", name="Score").click()
    page.set_input_files("#hs-input input[type=file]", str(path))
    page.get_by_role("tab", name="What would change").click()
    page.click("#hs-preview")
    page.locator("#hs-comparison .hs-cf-table").wait_for(timeout=180_000)
    page.locator("#hs-improved img").wait_for()
    cells = page.locator("#hs-comparison td.hs-cf[data-variant='original']")
    original = scorer.score(path)
    got = {cells.nth(i).get_attribute("data-attr"): float(cells.nth(i).get_attribute("data-prob"))
           for i in range(cells.count())}
    assert got == pytest.approx({n: a.probability for n, a in original.attributes.items()}, abs=1e-3)
    assert page.locator("#hs-flips img").count() >= 1
    assert page.locator("#hs-improved-file a, #hs-improved-file [download]").count() >= 1
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "counterfactual.png"), full_page=True)


def test_no_network_calls(app, page):
    """Analytics off, no fonts or version checks: the server never tried to reach another host."""
    assert app.network_attempts() == []
