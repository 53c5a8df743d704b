"""g: reproducible JSON plans, balanced targets, reachable states only."""
from __future__ import annotations

import numpy as np
import pytest

from dataset_builder.g import EditPlan, make_plan, reachable, sample_targets
from headshot.attributes import ATTRIBUTE_NAMES

PRO = {a: 1 for a in ATTRIBUTE_NAMES}
INFO = {"labels": PRO, "head_shoulders": True, "face_px": 300, "side_margin_ok": True, "has_donor": True}


def test_plan_is_reproducible_json():
    t = sample_targets(np.random.default_rng(1), PRO)
    p1, p2 = make_plan(t, INFO, 42), make_plan(t, INFO, 42)
    assert p1.to_json() == p2.to_json()
    back = EditPlan.from_json(p1.to_json())
    assert back == p1
    assert set(back.targets) == set(ATTRIBUTE_NAMES)
    assert all({"family", "op", "params"} <= set(o) for o in back.operations)
    assert make_plan(t, INFO, 43).to_json() != p1.to_json()


def test_targets_balanced_and_not_all_zero():
    rng = np.random.default_rng(0)
    ts = [sample_targets(rng, PRO) for _ in range(2000)]
    for a in ATTRIBUTE_NAMES:
        if a == "expression":
            continue
        p0 = np.mean([t[a] == 0 for t in ts])
        assert 0.25 < p0 < 0.45, (a, p0)
    zeros = [sum(1 - v for v in t.values()) for t in ts]
    assert max(zeros) <= 3 and 0.08 < np.mean([z == 0 for z in zeros]) < 0.35


def test_unreachable_states_are_forced_and_unknown_expression_refused():
    face_only = {"lighting": None, "background": None, "attire": 0, "expression": 1, "framing": 0, "sharpness": 1}
    rng = np.random.default_rng(0)
    for _ in range(200):
        t = sample_targets(rng, face_only, head_shoulders=False)
        assert t["lighting"] == 0 and t["attire"] == 0 and t["framing"] == 0 and t["expression"] == 1
    assert not reachable("attire", 1, face_only, head_shoulders=False)
    with pytest.raises(ValueError):
        sample_targets(rng, {**face_only, "expression": None})


def test_every_zero_target_gets_an_operation():
    rng = np.random.default_rng(3)
    for s in range(300):
        t = sample_targets(rng, PRO)
        p = make_plan(t, INFO, s)
        fams = {o["family"] for o in p.operations}
        assert "background" in fams  # every variant is composited
        for a in ("lighting", "sharpness", "framing"):
            if t[a] == 0:
                assert a in fams, (a, p.operations)
        if t["attire"] == 0:
            assert "attire" in fams or any(o["op"] == "tight" for o in p.operations)


def test_expression_zero_by_occluder_only_on_bases_that_are_one():
    """A base measured 1 can be given 0 by an occluder; a base measured 0 never becomes 1."""
    import numpy as np

    from dataset_builder.g import ZERO_OPS, make_plan, sample_targets

    seen_zero = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        t = sample_targets(rng, PRO, True)
        plan = make_plan(t, {**INFO, "plates": ["china"]}, seed)
        occ = plan.op("expression")
        assert (occ is not None) == (t["expression"] == 0), (t, plan.operations)
        if occ:
            seen_zero += 1
            assert occ["op"] in ZERO_OPS["expression"]
    assert 20 < seen_zero < 120, seen_zero  # about P_ZERO_BY_ATTR["expression"] of 300 draws
    sad = {**PRO, "expression": 0}
    for seed in range(100):
        t = sample_targets(np.random.default_rng(seed), sad, True)
        assert t["expression"] == 0
        assert make_plan(t, {**INFO, "labels": sad}, seed).op("expression") is None  # already 0: nothing drawn


def test_photo_backdrops_only_when_plates_are_installed():
    import numpy as np

    from dataset_builder.g import PLATE_OPS, make_plan, sample_targets

    used = {True: 0, False: 0}
    for seed in range(200):
        t = sample_targets(np.random.default_rng(seed), PRO, True)
        for has in (True, False):
            plan = make_plan(t, {**INFO, "plates": ["china", "coffee"] if has else []}, seed)
            bg = plan.op("background")
            if bg["op"] in PLATE_OPS:
                used[has] += 1
                assert bg["params"]["plate"] in ("china", "coffee")
                if bg["op"] == "photo":
                    assert t["background"] == 0
                else:
                    assert t["background"] == 1
    assert used[False] == 0 and used[True] > 20, used


def test_black_and_white_never_over_a_colour_cast():
    """Monochrome is label-neutral except over a colour cast (which it would erase): never combined."""
    import numpy as np

    from dataset_builder.g import make_plan, sample_targets

    mono = 0
    for seed in range(600):
        t = sample_targets(np.random.default_rng(seed), PRO, True)
        plan = make_plan(t, INFO, seed)
        cam = plan.op("camera")
        if cam is not None:
            mono += 1
            assert cam["op"] == "monochrome" and plan.op("lighting")["op"] != "cast"
    assert 10 < mono < 80, mono
