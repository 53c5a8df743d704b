"""The app's logic without a browser: score panel, errors, evaluation files, examples, Space README."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app_server import REPO, write_evaluation
from headshot.app import evaluation as evm
from headshot.app.examples import EXAMPLES_DIR, VARIANTS, write_examples
from headshot.app.scoring import NO_FACE, SEVERAL_FACES, score_json, score_upload


@pytest.fixture(scope="module")
def scorer():
    from headshot.scorer import HeadshotScorer

    return HeadshotScorer()


def test_score_panel_shows_the_report(scorer, astronaut):
    res = score_upload(scorer, astronaut, heatmap=False)
    expected = scorer.score(astronaut)
    rows = dict(re.findall(r'data-attr="(\w+)" data-prob="([0-9.]+)"', res.html))
    assert {k: float(v) for k, v in rows.items()} == pytest.approx(
        {n: a.probability for n, a in expected.attributes.items()}, abs=1e-4)
    for n in expected.failed:
        assert expected.attributes[n].advice in res.html
    assert res.overlay.shape == (512, 512, 3)


def test_bad_inputs_give_clear_messages(scorer, tmp_path):
    assert "Upload a photo" in score_upload(scorer, None).html
    bad = tmp_path / "x.png"
    bad.write_bytes(b"PNG? no")
    res = score_upload(scorer, str(bad))
    assert "Could not read this upload" in res.html and res.overlay is None
    wall = np.full((300, 300, 3), 120, np.uint8)
    assert NO_FACE in score_upload(scorer, wall).report.error
    assert score_json(scorer, wall)["error"] == NO_FACE
    assert score_json(scorer, None)["error"].startswith("Upload a photo")


def test_several_faces_note(scorer, astronaut):
    two = np.concatenate([astronaut, astronaut], axis=1)
    res = score_upload(scorer, two, heatmap=False)
    assert res.report.face_count >= 2 and SEVERAL_FACES in res.report.warnings
    assert "Several faces found" in res.html
    assert not res.report.attributes["framing"].passed


def test_evaluation_missing_and_malformed(tmp_path):
    ev = evm.load_evaluation(tmp_path / "nothing")
    assert not ev.available and "No evaluation yet" in evm.summary_markdown(ev)
    d = tmp_path / "bad"
    d.mkdir()
    (d / "metrics.json").write_text("{not json")
    (d / "errors.json").write_text("[1, 2")
    ev = evm.load_evaluation(d)
    assert not ev.available and len(ev.problems) == 2 and "Could not read" in ev.problems[0]


def test_evaluation_read_back(tmp_path):
    metrics = write_evaluation(tmp_path)
    ev = evm.load_evaluation(tmp_path)
    assert ev.available and ev.model == "test-model" and list(ev.splits) == list(metrics["splits"])
    rows = evm.per_attribute_rows(ev.splits["synthetic_test"])
    per = metrics["splits"]["synthetic_test"]["per_attribute"]
    assert [r[0] for r in rows] == list(per)
    assert [r[1] for r in rows] == [per[n]["issue_f1"] for n in per]
    assert evm.group_rows(ev.splits["synthetic_test"], "by_skin_tone")[0] == ["I-II", 0.7, 70]
    assert len(ev.plots) == 2
    # the error whose image is missing is skipped; the other names the wrong attribute
    assert len(ev.errors) == 1 and "sharpness: label 0, p=0.80" in ev.errors[0][1]
    fig = evm.f1_figure(ev)
    assert len(fig.axes[0].patches) == 6 * len(metrics["splits"])
    assert evm.thumbnail(ev.errors[0][0]).shape[2] == 3


def test_committed_examples_are_the_generated_ones(tmp_path):
    fresh = write_examples(tmp_path)
    assert [p.name for p in fresh] == [f"{n}.jpg" for n in VARIANTS]
    for p in fresh:
        committed = np.asarray(Image.open(EXAMPLES_DIR / p.name), np.float32)
        assert np.abs(committed - np.asarray(Image.open(p), np.float32)).mean() < 1.0, p.name


def test_readme_has_space_front_matter_then_the_two_commands():
    text = (REPO / "README.md").read_text()
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert m, "README.md must start with the Space's YAML front matter"
    import yaml

    meta = yaml.safe_load(m.group(1))
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py" and (REPO / meta["app_file"]).is_file()
    rest = text[m.end():].lstrip("\n")
    assert rest.startswith("# ")
    block = re.search(r"```bash\n(.*?)```", rest, re.S).group(1)
    cmds = [l.split("#")[0].strip() for l in block.splitlines() if l.split("#")[0].strip()]
    assert cmds == ["bash run.sh", "bash test.sh"]
    lines = [l for l in rest.splitlines() if l.strip()]
    assert lines[1] == "```bash"  # the two commands open the README, right under the title


def test_evaluate_command_layout_is_read(tmp_path):
    """The report of `headshot evaluate` ({"results": ...}) is shown too, baseline as its own split."""
    from headshot.attributes import ATTRIBUTE_NAMES

    def attrs(base):
        return {n: {"issue_f1": base + i / 100, "issue_precision": 0.5, "issue_recall": 0.6, "pass_f1": 0.9,
                    "roc_auc": 0.8, "threshold": 0.45} for i, n in enumerate(ATTRIBUTE_NAMES)}

    report = {"model": "vit-lora", "results": {"test": {
        "model": {"attributes": attrs(0.7), "macro_issue_f1": 0.725},
        "baseline_measures": {"attributes": attrs(0.4), "macro_issue_f1": 0.425},
        "by_source": {"studio": {"n": 10, "macro_issue_f1": 0.7}},
        "by_skin_tone": {"dark": {"n": 4, "macro_issue_f1": 0.6}},
        "baseline_by_skin_tone": {"dark": {"n": 4, "macro_issue_f1": 0.3}}}}}
    (tmp_path / "metrics.json").write_text(json.dumps(report))
    (tmp_path / "plots" / "test").mkdir(parents=True)
    Image.new("RGB", (20, 20)).save(tmp_path / "plots" / "test" / "pr_curves.png")
    ev = evm.load_evaluation(tmp_path)
    assert list(ev.splits) == ["test", "test (measures baseline)"] and ev.model == "vit-lora"
    rows = evm.per_attribute_rows(ev.splits["test"])
    assert rows[0] == ["lighting", 0.7, 0.9, 0.5, 0.6, 0.8, 0.45]
    assert evm.group_rows(ev.splits["test (measures baseline)"], "by_skin_tone") == [["dark", 0.3, 4]]
    assert ev.plots[0][1] == "test / pr curves"
    assert "0.725" in evm.summary_markdown(ev) and "0.425" in evm.summary_markdown(ev)
