"""HTML for a report: verdict, one probability bar per attribute, advice, warnings.

Plain HTML with inline styles (works in any gradio theme). Each attribute row carries
``data-attr`` / ``data-prob`` / ``data-passed`` so browser tests read the rendered values
exactly.
"""
from __future__ import annotations

import html
from typing import Optional

from ..attributes import ATTRIBUTES
from ..report import Report

PASS_COLOUR = "#1f9d55"
FAIL_COLOUR = "#d64545"


def _bar(p: float, thr: float, passed: bool) -> str:
    colour = PASS_COLOUR if passed else FAIL_COLOUR
    return (
        '<div style="position:relative;height:14px;background:#e5e7eb;border-radius:7px;min-width:120px">'
        f'<div style="width:{100 * p:.1f}%;height:100%;background:{colour};border-radius:7px"></div>'
        f'<div title="threshold {thr:.2f}" style="position:absolute;left:{100 * thr:.1f}%;top:-3px;'
        'height:20px;border-left:2px solid #111"></div></div>')


def verdict_text(report: Report) -> str:
    if report.error:
        return report.error
    failed = report.failed
    if not failed:
        return "Professional headshot: all six attributes pass"
    return f"Not yet a professional headshot: {len(failed)} of {len(report.attributes)} attributes fail"


def report_html(report: Report, title: Optional[str] = None) -> str:
    """The whole score panel for one report."""
    parts = ['<div class="hs-report" data-verdict="{}" style="font-size:15px;line-height:1.4">'.format(
        "pass" if report.passed else "fail")]
    if title:
        parts.append(f"<h3 style='margin:0 0 6px'>{html.escape(title)}</h3>")
    colour = PASS_COLOUR if report.passed else FAIL_COLOUR
    parts.append(f'<div class="hs-verdict" style="padding:10px 14px;border-radius:8px;color:white;'
                 f'background:{colour};font-weight:600;margin-bottom:10px">{html.escape(verdict_text(report))}</div>')
    parts.append('<table class="hs-attrs" style="width:100%;border-collapse:collapse">')
    parts.append('<tr style="text-align:left;color:#6b7280;font-size:13px"><th>attribute</th>'
                 '<th style="width:45%">P(professional) <span style="font-weight:400">| threshold</span></th>'
                 '<th>prob.</th><th>result</th></tr>')
    for attr in ATTRIBUTES:
        a = report.attributes.get(attr.name)
        if a is None:
            continue
        mark = "pass" if a.passed else "FAIL"
        colour = PASS_COLOUR if a.passed else FAIL_COLOUR
        parts.append(
            f'<tr class="hs-attr" data-attr="{attr.name}" data-prob="{a.probability:.4f}" '
            f'data-passed="{int(a.passed)}" title="{html.escape(a.explanation)}" '
            'style="border-top:1px solid #e5e7eb">'
            f'<td style="padding:6px 8px 6px 0"><b>{html.escape(attr.name)}</b><br>'
            f'<span style="font-size:12px;color:#6b7280">{html.escape(attr.title)}</span></td>'
            f'<td style="padding:6px 8px">{_bar(a.probability, a.threshold, a.passed)}</td>'
            f'<td class="hs-prob" style="padding:6px 8px;font-variant-numeric:tabular-nums">{a.probability:.2f}</td>'
            f'<td class="hs-pass" style="padding:6px 0;color:{colour};font-weight:700">{mark}</td></tr>')
    parts.append("</table>")
    failed = [report.attributes[n] for n in report.failed]
    if failed:
        parts.append('<div class="hs-advice" style="margin-top:10px"><b>What to change</b><ul style="margin:4px 0">')
        for a in failed:
            parts.append(f'<li data-attr="{a.name}"><b>{html.escape(a.name)}</b>: {html.escape(a.advice or "")}</li>')
        parts.append("</ul></div>")
    if report.warnings:
        parts.append('<div class="hs-warnings" style="margin-top:8px;color:#92400e;font-size:13px">'
                     + "<br>".join("&#9888; " + html.escape(w) for w in report.warnings) + "</div>")
    parts.append(f'<div style="margin-top:6px;font-size:12px;color:#6b7280">predictor: '
                 f'{html.escape(report.predictor)}; faces found: {report.face_count}</div></div>')
    return "".join(parts)


def message_html(message: str, kind: str = "error") -> str:
    """A clear one-box message (unreadable upload, no face, nothing uploaded)."""
    colour = {"error": FAIL_COLOUR, "info": "#2563eb", "warning": "#b45309"}.get(kind, FAIL_COLOUR)
    return (f'<div class="hs-message" data-kind="{kind}" style="padding:12px 14px;border-radius:8px;'
            f'border:2px solid {colour};color:{colour};font-weight:600">{html.escape(message)}</div>')
