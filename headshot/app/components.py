"""Gradio component tweaks used by the app.

(gradio writes a ``.pyi`` type stub next to a module that defines components; it is ignored by git.)
"""
from __future__ import annotations

import gradio as gr


class PhotoInput(gr.Image):
    """gr.Image whose unreadable uploads reach our loader (and its clear message) instead of
    failing inside gradio's PIL preprocessing with a bare "Error"."""

    is_template = True  # rendered by the frontend's Image component

    def preprocess(self, payload):
        try:
            return super().preprocess(payload)
        except Exception:
            return None if payload is None or payload.path is None else str(payload.path)
