"""The Gradio app (the project's public face): ``build_app()`` returns the Blocks.

Tabs: Score (verdict, probability bars, advice, overlay with heat map), What would change
(counterfactual edits from g, re-scored), Model evaluation (metrics files of the training
part). The ``/score`` API endpoint returns the JSON report. ``app.py`` launches it.
"""
from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from .ui import build_app, launch_kwargs, queue  # noqa: E402

__all__ = ["build_app", "launch_kwargs", "queue"]
