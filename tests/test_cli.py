"""``headshot score`` end to end, as a user runs it: exit codes, outputs, no traceback on bad input.

Each subprocess costs a cold start, so the cases are grouped into few invocations.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest
from skimage import data

from headshot import samples
from headshot.attributes import ATTRIBUTE_NAMES
from headshot.report import CSV_COLUMNS

from tests.helpers import write_bad_files

REPO = Path(__file__).resolve().parent.parent


def headshot(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("HEADSHOT_MODEL", None)
    return subprocess.run([sys.executable, "-m", "headshot.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def save(path: Path, rgb) -> Path:
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return path


@pytest.fixture(scope="module")
def photos(tmp_path_factory, astronaut) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    batch = d / "batch"
    batch.mkdir()
    files = {"good": save(batch / "astronaut.png", astronaut),
             "blurred": save(batch / "blurred.jpg", samples.blurred(astronaut)),
             "no_face": save(batch / "coffee.png", data.coffee())}
    files.update(write_bad_files(batch, astronaut))
    files["batch"] = batch
    files["missing"] = d / "missing.jpg"
    return files


def test_single_image_json(photos):
    r = headshot("score", "--json", str(photos["good"]))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["file"] == str(photos["good"]) and d["error"] is None and isinstance(d["warnings"], list)
    assert list(d["attributes"]) == list(ATTRIBUTE_NAMES)
    for a in d["attributes"].values():
        assert {"probability", "passed", "advice"} <= set(a) and 0 <= a["probability"] <= 1
        assert (a["advice"] is None) == a["passed"]
    assert "Traceback" not in r.stderr


def test_single_image_table(photos):
    r = headshot("score", str(photos["good"]))
    assert r.returncode == 0, r.stderr
    for name in ATTRIBUTE_NAMES:
        assert name in r.stdout
    assert "verdict:" in r.stdout


@pytest.mark.parametrize("case, words", [
    ("not_image", "not an image"), ("empty", "empty"), ("truncated", "cannot decode"),
    ("bomb", "decompression bomb"), ("missing", "not found"), ("no_face", "no face"),
])
def test_bad_single_input_exits_2_with_one_line(photos, case, words):
    r = headshot("score", str(photos[case]))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    errors = [ln for ln in r.stderr.splitlines() if "error" in ln]
    assert len(errors) == 1 and words in errors[0], r.stderr


def test_batch_csv_and_json_keep_going_past_bad_files(photos, tmp_path):
    out = tmp_path / "out" / "scores.csv"
    r = headshot("score", str(photos["batch"]), str(photos["missing"]), "--csv", str(out), "--json")
    assert r.returncode == 0, r.stderr  # some images scored
    assert "Traceback" not in r.stderr
    assert "scoring" in r.stderr  # the progress bar
    reports = {Path(d["file"]).name: d for d in json.loads(r.stdout)}
    with out.open() as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CSV_COLUMNS
        rows = {Path(row["file"]).name: row for row in reader}
    assert set(rows) == set(reports) == {
        "astronaut.png", "blurred.jpg", "coffee.png", "notes.jpg", "empty.jpg", "truncated.jpg", "bomb.png",
        "missing.jpg"}
    for name in ("astronaut.png", "blurred.jpg"):
        assert rows[name]["error"] == "" and reports[name]["error"] is None
        for n in ATTRIBUTE_NAMES:
            assert 0 <= float(rows[name][n]) <= 1 and rows[name][f"{n}_passed"] in ("0", "1")
            assert float(rows[name][n]) == pytest.approx(reports[name]["attributes"][n]["probability"], abs=1e-4)
    assert rows["astronaut.png"]["sharpness_passed"] == "1" and rows["blurred.jpg"]["sharpness_passed"] == "0"
    for name in ("coffee.png", "notes.jpg", "empty.jpg", "truncated.jpg", "bomb.png", "missing.jpg"):
        assert rows[name]["error"] and rows[name]["lighting"] == "" and reports[name]["error"], name
        assert "\n" not in rows[name]["error"]
    assert not list(out.parent.glob("*.tmp"))


def test_all_bad_batch_exits_2(photos):
    r = headshot("score", "--no-progress", str(photos["empty"]), str(photos["missing"]))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "2 of 2 images could not be scored" in r.stderr


def test_unwritable_csv_fails_before_scoring_and_json_is_a_list_for_several_paths(photos, tmp_path):
    r = headshot("score", str(photos["good"]), "--csv", "/etc/passwd/out.csv", "--model", "measures")
    assert r.returncode == 2 and "cannot write" in r.stderr and "Traceback" not in r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = headshot("score", str(photos["good"]), str(empty), "x" * 300, "--json", "--model", "measures",
                 "--no-progress")
    out = json.loads(r.stdout)
    assert isinstance(out, list) and len(out) == 2, "two inputs (one folder empty) give a list"
    assert out[1]["error"] and "cannot read" in out[1]["error"] and "Traceback" not in r.stderr
