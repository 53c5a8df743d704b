"""The /score API of the running app, through gradio_client (as a Space user would call it)."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app_server import REPO, running_app

pytestmark = pytest.mark.slow

ASTRONAUT = REPO / "headshot" / "examples" / "astronaut.jpg"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("app_api")) as a:
        yield a


@pytest.fixture(scope="module")
def client(app):
    from gradio_client import Client

    return Client(app.url, verbose=False)


@pytest.fixture(scope="module")
def scorer():
    from headshot.scorer import HeadshotScorer

    return HeadshotScorer()


def call(client, path) -> dict:
    from gradio_client import handle_file

    out = client.predict(handle_file(str(path)), api_name="/score")
    assert isinstance(out, dict)
    json.dumps(out)  # valid JSON all the way down
    return out


def test_score_endpoint_is_listed(client):
    assert "/score" in client.view_api(return_format="dict", print_info=False)["named_endpoints"]


def test_score_returns_the_scorer_report(client, scorer):
    out = call(client, ASTRONAUT)
    expected = scorer.score(ASTRONAUT, file=ASTRONAUT.name).to_dict()
    assert out["error"] is None and out["file"] == ASTRONAUT.name
    assert list(out["attributes"]) == list(expected["attributes"])
    for n, a in expected["attributes"].items():
        assert out["attributes"][n]["probability"] == pytest.approx(a["probability"], abs=1e-4)
        assert out["attributes"][n]["passed"] == a["passed"]
        assert out["attributes"][n]["advice"] == a["advice"]
    assert out["passed"] == expected["passed"] and out["face_count"] == 1


def test_unreadable_upload_is_a_json_error(client, tmp_path):
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated jpeg")
    out = call(client, bad)
    assert out["attributes"] == {} and "Could not read this upload" in out["error"]


def test_no_face_is_a_json_error(client, tmp_path):
    wall = tmp_path / "wall.png"
    Image.fromarray(np.full((400, 300, 3), 200, np.uint8)).save(wall)
    out = call(client, wall)
    assert out["attributes"] == {} and out["error"].startswith("No face found")


def test_several_faces_are_reported(client, tmp_path, astronaut):
    two = tmp_path / "two.jpg"
    Image.fromarray(np.concatenate([astronaut, astronaut], axis=1)).save(two)
    out = call(client, two)
    assert out["error"] is None and out["face_count"] >= 2
    assert any("Several faces" in w for w in out["warnings"])
    assert not out["attributes"]["framing"]["passed"] and not out["attributes"]["background"]["passed"]


def test_twenty_concurrent_requests_all_answered(client, scorer, tmp_path, astronaut):
    from headshot import samples

    variants = [astronaut, samples.blurred(astronaut), samples.side_lit(astronaut), samples.shifted(astronaut)]
    paths = []
    for i, im in enumerate(variants):
        p = tmp_path / f"v{i}.png"
        Image.fromarray(im).save(p)
        paths.append(p)
    jobs = [paths[i % len(paths)] for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        outs = list(pool.map(lambda p: call(client, p), jobs))
    assert len(outs) == 20
    expected = {p: scorer.score(p).to_dict()["attributes"] for p in paths}
    for p, out in zip(jobs, outs):
        assert out["error"] is None and out["file"] == p.name
        for n, a in expected[p].items():
            assert out["attributes"][n]["probability"] == pytest.approx(a["probability"], abs=1e-4)


def test_no_network_calls(app, client):
    assert app.network_attempts() == []
