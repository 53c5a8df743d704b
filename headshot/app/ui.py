"""The gradio Blocks: score tab, counterfactual preview, evaluation dashboard, JSON API.

``build_app`` only wires components to the gradio-free logic in ``scoring``,
``counterfactual`` and ``evaluation``; ``launch_kwargs`` holds what gradio 6 takes at
``launch()`` (theme, css, allowed paths) so app.py and the tests launch identically.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from ..scorer import HeadshotScorer  # noqa: E402
from . import counterfactual as cfv  # noqa: E402
from . import evaluation as evm  # noqa: E402
from .components import PhotoInput  # noqa: E402
from .examples import example_paths  # noqa: E402
from .render import message_html  # noqa: E402
from .scoring import NO_UPLOAD, score_json, score_upload  # noqa: E402

TITLE = "Is this a professional headshot?"
INTRO = ("Upload a portrait (or take one with the webcam). Six attributes are judged, as defined by the "
         "project's label contract: **lighting, background, attire, expression, framing, sharpness**. "
         "Each gets a probability of being professional, pass/fail against its threshold, and one line "
         "of advice when it fails.")
OVERLAY_LEGEND = ("**Overlay:** green box = face judged (red = another face); white dashed lines = centre "
                  "line and eye line (eyes must be above the middle); yellow = the +-12% centring band and "
                  "the 85% chin limit; orange = head room above the forehead; blue tint = background "
                  "region; heat map = where the model's output changes most when that part is hidden.")


def _score_ui(scorer, image, heatmap):
    res = score_upload(scorer, image, heatmap=bool(heatmap))
    return res.html, res.overlay, res.report.to_dict()


def _preview_ui(scorer, image, seed):
    p = cfv.make_preview(scorer, image, seed=int(seed or 0))
    gallery = [(v.image, v.caption()) for v in p.flips if v.image is not None]
    return (gallery, cfv.comparison_html(p), p.improved, p.improved_path, cfv.improved_html(p))


def _dashboard_values(eval_dir: Optional[Path], split: Optional[str] = None):
    ev = evm.load_evaluation(eval_dir)
    if not ev.available:
        empty: list[list[Any]] = []
        return (evm.summary_markdown(ev), gr.update(choices=[], value=None), None, empty, empty, empty,
                [(evm.thumbnail(p), c) for p, c in ev.plots], [(evm.thumbnail(p), c) for p, c in ev.errors],
                gr.update(visible=bool(ev.plots or ev.errors)))
    choices = list(ev.splits)
    split = split if split in ev.splits else choices[0]
    s = ev.splits[split]
    return (evm.summary_markdown(ev), gr.update(choices=choices, value=split), evm.f1_figure(ev),
            evm.per_attribute_rows(s), evm.group_rows(s, "by_source"), evm.group_rows(s, "by_skin_tone"),
            [(evm.thumbnail(p), c) for p, c in ev.plots], [(evm.thumbnail(p), c) for p, c in ev.errors],
            gr.update(visible=True))


def build_app(scorer: Optional[HeadshotScorer] = None, eval_dir: Optional[os.PathLike] = None,
              model: str = "auto") -> gr.Blocks:
    """Build the Blocks (not launched). ``scorer`` defaults to ``HeadshotScorer(model)``."""
    scorer = scorer or HeadshotScorer(model)
    eval_path = Path(eval_dir) if eval_dir else None
    examples = [str(p) for p in example_paths()]

    with gr.Blocks(title="headshot") as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        with gr.Tabs():
            with gr.Tab("Score", id="score"):
                with gr.Row():
                    with gr.Column(scale=1):
                        image = PhotoInput(type="filepath", image_mode=None, sources=["upload", "webcam", "clipboard"],
                                         label="Your photo", height=380, elem_id="hs-input")
                        heatmap = gr.Checkbox(value=True, label="Heat map of where the model looked (slower)")
                        score_btn = gr.Button("Score", variant="primary", elem_id="hs-score")
                        gr.Examples(examples=[[p] for p in examples], inputs=[image], label="Examples (click one)",
                                    example_labels=[Path(p).stem.replace("_", " ") for p in examples])
                    with gr.Column(scale=1):
                        result = gr.HTML(message_html(NO_UPLOAD, "info"), elem_id="hs-result")
                        overlay = gr.Image(label="What the verdict rests on", interactive=False, height=380,
                                           elem_id="hs-overlay", format="png")
                        gr.Markdown(OVERLAY_LEGEND)
                with gr.Accordion("JSON report", open=False):
                    report_json = gr.JSON(elem_id="hs-json")
            with gr.Tab("What would change", id="counterfactual"):
                gr.Markdown("Each attribute of **your uploaded photo** flipped one at a time (clean vs cluttered "
                            "background, even vs side light, centred vs off-centre, sharp vs blurred, ...), each "
                            "re-scored by the model; and an **improved** version with every fixable attribute "
                            "set to professional. " + cfv.backend_note())
                with gr.Row():
                    seed = gr.Number(value=0, precision=0, label="seed", scale=0, min_width=100)
                    preview_btn = gr.Button("Make edits of my photo", variant="primary", elem_id="hs-preview")
                flips = gr.Gallery(label="One attribute flipped at a time (caption: P(that attribute) before -> after)",
                                   columns=3, height=820, object_fit="contain", fit_columns=False,
                                   elem_id="hs-flips")
                comparison = gr.HTML(elem_id="hs-comparison")
                with gr.Row():
                    improved = gr.Image(label="Improved version", interactive=False, height=380,
                                        buttons=["download", "fullscreen"], elem_id="hs-improved")
                    with gr.Column():
                        improved_file = gr.File(label="Download the improved photo", elem_id="hs-improved-file")
                        improved_report = gr.HTML(elem_id="hs-improved-report")
            with gr.Tab("Model evaluation", id="dashboard"):
                with gr.Row():
                    summary = gr.Markdown(elem_id="hs-eval-summary")
                    reload_btn = gr.Button("Reload evaluation files", scale=0, min_width=160)
                with gr.Column(visible=False) as details:  # shown once evaluation files exist
                    split = gr.Dropdown(label="split", choices=[], interactive=True)
                    f1_plot = gr.Plot(label="Per-attribute F1")
                    per_attr = gr.Dataframe(headers=["attribute", *evm.ATTR_COLUMNS], label="Per attribute",
                                            interactive=False, elem_id="hs-eval-attrs")
                    with gr.Row():
                        by_source = gr.Dataframe(headers=["source", "macro issue F1", "n"], label="By source",
                                                 interactive=False)
                        by_tone = gr.Dataframe(headers=["skin tone", "macro issue F1", "n"], label="By skin tone",
                                               interactive=False)
                    plots = gr.Gallery(label="Confusion matrices, PR curves, thresholds", columns=3, height=420,
                                       object_fit="contain", fit_columns=False)
                    errors = gr.Gallery(label="Test images the model gets wrong (caption: the wrong attributes)",
                                        columns=5, height=320, object_fit="contain", fit_columns=False)

        # the JSON API (gradio_client: Client(url).predict(handle_file(path), api_name="/score"))
        with gr.Row(visible=False):
            api_file = gr.File(type="filepath", label="image")
            api_out = gr.JSON()
            api_btn = gr.Button()
        api_btn.click(lambda f: score_json(scorer, f), api_file, api_out, api_name="score",
                      api_description="Score one image: the JSON report (error set for unreadable / no face).")

        score_inputs, score_outputs = [image, heatmap], [result, overlay, report_json]
        score_btn.click(lambda im, hm: _score_ui(scorer, im, hm), score_inputs, score_outputs,
                        api_visibility="private")
        # uploads, webcam shots and example clicks all change the input; scoring follows
        image.change(lambda im, hm: _score_ui(scorer, im, hm) if im else (message_html(NO_UPLOAD, "info"), None, None),
                     score_inputs, score_outputs, api_visibility="private", trigger_mode="always_last")
        preview_btn.click(lambda im, s: _preview_ui(scorer, im, s), [image, seed],
                          [flips, comparison, improved, improved_file, improved_report], api_visibility="private")
        dash_outputs = [summary, split, f1_plot, per_attr, by_source, by_tone, plots, errors, details]
        demo.load(lambda: _dashboard_values(eval_path), None, dash_outputs, api_visibility="private")
        reload_btn.click(lambda s: _dashboard_values(eval_path, s), split, dash_outputs, api_visibility="private")
        split.input(lambda s: _dashboard_values(eval_path, s), split, dash_outputs, api_visibility="private")
    return demo


def queue(demo: gr.Blocks, concurrency: int = 4, max_size: int = 64) -> gr.Blocks:
    """Queue for concurrent users: ``concurrency`` jobs at once per event, up to ``max_size`` waiting."""
    return demo.queue(default_concurrency_limit=concurrency, max_size=max_size)


def launch_kwargs() -> dict[str, Any]:
    """What gradio 6 takes at launch(): a theme with system fonts (no font downloads), example paths."""
    theme = gr.themes.Soft(font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
                           font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])
    allowed = sorted({str(Path(p).parent) for p in example_paths()})
    return {"theme": theme, "allowed_paths": allowed, "ssr_mode": False, "show_error": True}
