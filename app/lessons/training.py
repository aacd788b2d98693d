"""The Training page's pure helpers (no Streamlit): which timeline points to show and how to label them.

The timeline itself is ``core.timeline.Timeline``; this module picks the
small-multiple steps, labels points for the step slider and builds the row
labels of a probe sentence's maps.
"""

from __future__ import annotations

import numpy as np

from app.lessons.explorer_view import row_labels
from core.timeline import Timeline

FINAL_MARK = "★"  # the shipped (checkpoint-averaged) model: the timeline's last point


def point_labels(timeline: Timeline) -> list[str]:
    """One label per point for the step slider: ``"0"``, ``"25"`` … and ``"1500★"`` for the shipped model.

    Numbers and a symbol only, so the same label (and link) works in every language.
    """
    return [f"{s}{FINAL_MARK}" if avg else str(s) for s, avg in zip(timeline.steps, timeline.averaged)]


def small_multiple_points(n_points: int, current: int, count: int = 8) -> list[int]:
    """``count`` points spread from the first to the last, always including ``current``."""
    if n_points <= count:
        return list(range(n_points))
    chosen = {int(round(x)) for x in np.linspace(0, n_points - 1, count)}
    if current not in chosen:
        nearest = min(chosen - {0, n_points - 1} or chosen, key=lambda p: abs(p - current))
        chosen = (chosen - {nearest}) | {current}
    return sorted(chosen)


def axes_tokens(timeline: Timeline, sentence: int, kind: str) -> tuple[list[str], list[str]]:
    """(row labels, column labels) of one probe sentence's ``kind`` map.

    Decoder rows carry the input token and the reference token it should
    predict (``<s> → Ein``): the timeline is teacher-forced on the reference.
    """
    probe = timeline.probe
    src = list(probe["source_tokens"][sentence])
    inputs, outputs = probe["target_tokens"][sentence], probe["output_tokens"][sentence]
    rows = row_labels(inputs, outputs)
    if kind == "encoder_self":
        return src, src
    if kind == "decoder_self":
        return rows, list(inputs)
    return rows, src


def first_step_below(values: list[float], threshold: float) -> int | None:
    """Index of the first point whose value is at or below ``threshold`` (when a head "clicks")."""
    for i, v in enumerate(values):
        if v is not None and v <= threshold:
            return i
    return None
