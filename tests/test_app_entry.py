"""app.py: host/port defaults and env, analytics off, the queue configured; launch() is captured."""
from __future__ import annotations

import importlib.util
import os

import pytest

from app_server import REPO


def load_app_module():
    spec = importlib.util.spec_from_file_location("headshot_app_main", REPO / "app.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def launched(monkeypatch):
    import gradio as gr

    calls = []
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kw: calls.append((self, kw)))
    return calls


def test_defaults_are_public_host_and_7860(launched, monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    load_app_module().main(["--model", "measures"])
    demo, kw = launched[0]
    assert kw["server_name"] == "0.0.0.0" and kw["server_port"] == 7860
    assert kw["ssr_mode"] is False and kw["theme"] is not None
    assert demo._queue.max_size == 64 and demo._queue.default_concurrency_limit == 4
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert not demo.analytics_enabled
    assert "/score" in {f"/{d.api_name}" for d in demo.fns.values() if d.api_name}


def test_env_and_args_are_respected(launched, monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_NAME", "127.0.0.1")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    mod = load_app_module()
    mod.main(["--model", "measures"])
    mod.main(["--model", "measures", "--port", "8123", "--concurrency", "2"])
    (_, first), (demo, second) = launched
    assert (first["server_name"], first["server_port"]) == ("127.0.0.1", 7999)
    assert second["server_port"] == 8123 and demo._queue.default_concurrency_limit == 2
