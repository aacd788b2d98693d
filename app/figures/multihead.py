"""Figures of the multi-head lesson (pure Plotly): each head's Q/K/V
projections, the concatenated head outputs, each head's share of the output
and how alike the heads' attention maps are (§3.2.2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import (
    SCORE_SCALE,
    Style,
    heatmap_trace,
    lesson_axis,
    lesson_layout,
    plain_text,
)
from core import LayerTrace


def _signed_trace(z: np.ndarray, coloraxis: str, hover: str) -> go.Heatmap:
    return go.Heatmap(z=z, x=list(range(z.shape[1])), y=list(range(z.shape[0])), coloraxis=coloraxis, hovertemplate=hover)


def projection_grid(trace: LayerTrace, head_titles: Sequence[str], part_titles: tuple[str, str, str], title: str,
                    style: Style = Style(), axis_names: tuple[str, str] = ("token", "dimension")) -> go.Figure:
    """Each head's Q, K and V: one row per head, ``len × d_k`` each, one signed colour scale.

    Rows of the panels are token positions (queries for Q, keys for K and V),
    columns are the head's d_k = d_model / h dimensions.
    """
    heads = trace.n_heads
    subplot_titles = [f"{plain_text(h)} · {plain_text(p)}" for h in head_titles for p in part_titles]
    fig = make_subplots(rows=heads, cols=3, subplot_titles=subplot_titles, horizontal_spacing=0.05,
                        vertical_spacing=min(0.3 / heads, 0.08))
    span = float(max(np.abs(trace.q).max(), np.abs(trace.k).max(), np.abs(trace.v).max())) or 1.0
    hover = f"{plain_text(axis_names[0])} #%{{y}} · {plain_text(axis_names[1])} %{{x}}: %{{z:.3f}}<extra></extra>"
    ticks = max(len(trace.query_tokens), len(trace.key_tokens)) <= 24
    for h in range(heads):
        for c, (matrix, labels) in enumerate(((trace.q[h], trace.query_tokens), (trace.k[h], trace.key_tokens),
                                              (trace.v[h], trace.key_tokens)), start=1):
            fig.add_trace(_signed_trace(matrix, "coloraxis", hover), row=h + 1, col=c)
            fig.update_yaxes(lesson_axis(labels, "", style, 9, ticks), autorange="reversed", row=h + 1, col=c)
            fig.update_xaxes(showgrid=False, zeroline=False, tickfont=style.font(9),
                             title={"text": plain_text(axis_names[1]) if h == heads - 1 else "", "font": style.font(10)},
                             row=h + 1, col=c)
    fig.update_layout(coloraxis={"colorscale": SCORE_SCALE, "cmid": 0.0, "cmin": -span, "cmax": span, "colorbar": {"thickness": 10}})
    rows_px = max(len(trace.query_tokens), len(trace.key_tokens)) * 12 + 70
    return lesson_layout(fig, title, style, height=int(heads * min(rows_px, 260) + 100), top=80)


def vectors_heatmap(matrix: np.ndarray, labels: Sequence[str], title: str, style: Style = Style(),
                    axis_names: tuple[str, str] = ("token", "dimension"), blocks: Sequence[tuple[int, int]] = (),
                    block_names: Sequence[str] = ()) -> go.Figure:
    """Token vectors as rows (``len × width``), signed colours; optional head blocks marked on top.

    Used for the layer input X, for Concat(head_1 … head_h) — ``blocks``
    are each head's column range — and for the output after W^O.
    """
    span = float(np.abs(matrix).max()) or 1.0
    hover = f"{plain_text(axis_names[0])} %{{customdata}} · {plain_text(axis_names[1])} %{{x}}: %{{z:.3f}}<extra></extra>"
    custom = np.array([[plain_text(lab)] * matrix.shape[1] for lab in labels], dtype=object)
    fig = go.Figure(go.Heatmap(z=matrix, x=list(range(matrix.shape[1])), y=list(range(matrix.shape[0])), colorscale=SCORE_SCALE,
                               zmid=0.0, zmin=-span, zmax=span, customdata=custom, hovertemplate=hover, colorbar={"thickness": 10}))
    for (start, end), name in zip(blocks, block_names):
        if start > 0:
            fig.add_vline(x=start - 0.5, line={"color": "black" if not style.dark else "white", "width": 2})
        fig.add_annotation(x=(start + end - 1) / 2, y=1.0, yref="paper", yanchor="bottom", text=plain_text(name),
                           showarrow=False, font=style.font(10))
    fig.update_yaxes(lesson_axis(labels, axis_names[0], style, 10, len(labels) <= 40), autorange="reversed")
    fig.update_xaxes(title=plain_text(axis_names[1]), showgrid=False, zeroline=False)
    height = int(np.clip(18 * len(labels) + 150, 260, 760))
    return lesson_layout(fig, title, style, height=height, top=90 if blocks else 60)


def head_share_heatmap(shares: np.ndarray, head_names: Sequence[str], query_labels: Sequence[str], title: str,
                       style: Style = Style(), axis_names: tuple[str, str, str] = ("head", "query", "share")) -> go.Figure:
    """``(heads, q_len)``: each head's share of the output at every query position (columns sum to 1)."""
    fig = go.Figure(heatmap_trace(shares, head_names, query_labels, style, max(float(shares.max()), 1e-9),
                                  (axis_names[0], axis_names[1], axis_names[2]), show_values=len(query_labels) <= 16))
    fig.update_xaxes(lesson_axis(query_labels, axis_names[1], style, 10, len(query_labels) <= 40), tickangle=-60)
    fig.update_yaxes(lesson_axis(head_names, axis_names[0], style, 10), autorange="reversed")
    return lesson_layout(fig, title, style, height=130 + 34 * len(head_names), top=60)


def head_similarity_heatmap(sim: np.ndarray, head_names: Sequence[str], title: str, style: Style = Style(),
                            value_name: str = "cosine", subtitle: str = "") -> go.Figure:
    """``(heads, heads)`` cosine similarity of the heads' attention maps."""
    fig = go.Figure(heatmap_trace(sim, head_names, head_names, style, 1.0, ("", "", value_name), show_values=True))
    fig.update_xaxes(lesson_axis(head_names, "", style, 10))
    fig.update_yaxes(lesson_axis(head_names, "", style, 10), autorange="reversed", scaleanchor="x")
    return lesson_layout(fig, title, style, height=190 + 40 * len(head_names), top=80, subtitle=subtitle)
