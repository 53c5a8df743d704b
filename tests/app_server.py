"""Start app.py in a subprocess on 127.0.0.1 (a free port) for the browser and API tests.

The subprocess records every attempt to reach a host other than this machine (DNS look-ups
and socket connects) into a log, so tests can check that the app makes no network calls.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

REPO = Path(__file__).resolve().parent.parent

# Runs app.py as __main__ after wrapping socket.getaddrinfo / socket.connect with a logger.
_GUARD = r"""
import os, runpy, socket, sys
LOCAL = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}
log = open(os.environ["HEADSHOT_NETLOG"], "a", buffering=1)
_gai, _connect = socket.getaddrinfo, socket.socket.connect
def getaddrinfo(host, *a, **k):
    h = host.decode() if isinstance(host, bytes) else host
    if h not in LOCAL:
        log.write(f"getaddrinfo {h}\n")
    return _gai(host, *a, **k)
def connect(self, addr):
    if isinstance(addr, tuple) and addr[0] not in LOCAL:
        log.write(f"connect {addr!r}\n")
    return _connect(self, addr)
socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
sys.argv = ["app.py", *sys.argv[1:]]
runpy.run_path("app.py", run_name="__main__")
"""


@dataclass
class RunningApp:
    url: str
    netlog: Path
    log: Path

    def network_attempts(self) -> list[str]:
        return [l for l in self.netlog.read_text().splitlines() if l.strip()] if self.netlog.exists() else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(tmp: Path, eval_dir: Optional[Path] = None, timeout: float = 180) -> Iterator[RunningApp]:
    port = free_port()
    env = {**os.environ, "HEADSHOT_NETLOG": str(tmp / "netlog.txt"), "GRADIO_ANALYTICS_ENABLED": "False",
           "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("GRADIO_SERVER_NAME", None)
    args = [sys.executable, "-c", _GUARD, "--host", "127.0.0.1", "--port", str(port)]
    if eval_dir is not None:
        args += ["--eval-dir", str(eval_dir)]
    log = tmp / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"app.py did not answer within {timeout} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield RunningApp(url, tmp / "netlog.txt", log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def write_evaluation(folder: Path) -> dict:
    """A small evaluation folder in the documented layout (metrics.json, plots/, errors.json),
    with its plot and error images drawn from the packaged astronaut."""
    import json

    import numpy as np
    from PIL import Image

    from headshot.attributes import ATTRIBUTE_NAMES
    from headshot.samples import astronaut, blurred

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)

    def split(offset: float) -> dict:
        per = {}
        for i, n in enumerate(ATTRIBUTE_NAMES):
            f1 = round(0.55 + offset + 0.05 * i, 3)
            per[n] = {"issue_f1": f1, "pass_f1": round(f1 + 0.02, 3), "precision": round(f1 - 0.01, 3),
                      "recall": round(f1 + 0.01, 3), "roc_auc": round(min(0.99, f1 + 0.1), 3),
                      "threshold": round(0.4 + 0.02 * i, 3)}
        return {"macro_issue_f1": round(float(np.mean([p["issue_f1"] for p in per.values()])), 4),
                "per_attribute": per,
                "by_source": {"ffhq_like": {"macro_issue_f1": 0.71, "n": 120}, "studio": {"macro_issue_f1": 0.66, "n": 80}},
                "by_skin_tone": {"I-II": {"macro_issue_f1": 0.70, "n": 70}, "III-IV": {"macro_issue_f1": 0.68, "n": 75},
                                 "V-VI": {"macro_issue_f1": 0.64, "n": 55}}}

    metrics = {"model": "test-model", "splits": {"synthetic_test": split(0.1), "baseline_measures": split(0.0)}}
    (folder / "metrics.json").write_text(json.dumps(metrics))
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    for n in ("confusion_lighting", "pr_curves"):
        Image.fromarray((rng.random((120, 160, 3)) * 255).astype(np.uint8)).save(plots / f"{n}.png")
    imgs = folder / "images"
    imgs.mkdir(exist_ok=True)
    Image.fromarray(blurred(astronaut())).save(imgs / "wrong_1.jpg")
    labels = {n: 1 for n in ATTRIBUTE_NAMES}
    probs = {n: 0.9 for n in ATTRIBUTE_NAMES}
    probs["sharpness"] = 0.8
    labels["sharpness"] = 0
    errors = [{"image": str(imgs / "wrong_1.jpg"), "labels": labels, "probabilities": probs},
              {"image": "does/not/exist.jpg", "labels": labels, "probabilities": probs}]
    (folder / "errors.json").write_text(json.dumps(errors))
    return metrics
