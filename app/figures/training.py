"""Figures of the Training page (pure Plotly): curves over training steps with
the current step marked, and a statistic per head over steps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import Style, lesson_layout, plain_text

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def training_curves(
    steps: Sequence[int],
    losses: dict[str, Sequence[float | None]],
    bleu: Sequence[float | None],
    current_step: int,
    panel_titles: tuple[str, str],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str, str] = ("step", "loss", "BLEU"),
    subtitle: str = "",
) -> go.Figure:
    """Losses (left) and validation BLEU (right) against the step, a dashed line at ``current_step``."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.1)
    for (name, values), color in zip(losses.items(), PALETTE):
        pts = [(s, v) for s, v in zip(steps, values) if v is not None]
        fig.add_trace(go.Scatter(x=[s for s, _ in pts], y=[v for _, v in pts], mode="lines+markers", name=plain_text(name),
                                 line={"color": color}, marker={"size": 4}), row=1, col=1)
    pts = [(s, v) for s, v in zip(steps, bleu) if v is not None]
    fig.add_trace(go.Scatter(x=[s for s, _ in pts], y=[v for _, v in pts], mode="lines+markers", name="BLEU",
                             line={"color": PALETTE[2]}, marker={"size": 4}, showlegend=False), row=1, col=2)
    for col in (1, 2):
        fig.add_vline(x=current_step, line={"dash": "dash", "color": "#D55E00", "width": 2}, row=1, col=col)
        fig.update_xaxes(title_text=plain_text(axes[0]), row=1, col=col)
    fig.update_yaxes(title_text=plain_text(axes[1]), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=plain_text(axes[2]), rangemode="tozero", row=1, col=2)
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return lesson_layout(fig, title, style, height=380, top=90, bottom=40, subtitle=subtitle)


def head_statistic_over_steps(
    steps: Sequence[int],
    values: np.ndarray,
    current_step: int,
    title: str,
    style: Style = Style(),
    head_name: str = "head {n}",
    axes: tuple[str, str] = ("step", "entropy ÷ log(keys)"),
    subtitle: str = "",
    y_range: tuple[float, float] = (0.0, 1.0),
) -> go.Figure:
    """``values`` ``(points, heads)``: one line per head, so a student sees heads specialise."""
    fig = go.Figure()
    for h in range(values.shape[1]):
        fig.add_trace(go.Scatter(x=list(steps), y=values[:, h].tolist(), mode="lines+markers", marker={"size": 4},
                                 name=plain_text(head_name.format(n=h + 1)), line={"color": PALETTE[h % len(PALETTE)]}))
    fig.add_vline(x=current_step, line={"dash": "dash", "color": "#D55E00", "width": 2})
    fig.update_layout(xaxis={"title": plain_text(axes[0])}, yaxis={"title": plain_text(axes[1]), "range": list(y_range)},
                      legend={"orientation": "h", "y": -0.25})
    return lesson_layout(fig, title, style, height=400, top=80, bottom=40, subtitle=subtitle)


def live_loss(
    losses: Sequence[tuple[int, float]],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str] = ("step", "loss"),
) -> go.Figure:
    """The training loss of a live run so far, ``(step, loss)`` pairs."""
    fig = go.Figure(go.Scatter(x=[s for s, _ in losses], y=[v for _, v in losses], mode="lines+markers",
                               line={"color": PALETTE[0]}, marker={"size": 4}))
    fig.update_layout(xaxis={"title": plain_text(axes[0])}, yaxis={"title": plain_text(axes[1]), "rangemode": "tozero"})
    return lesson_layout(fig, title, style, height=360, top=60, bottom=40)
