"""Figures of the "Take it apart" page (pure Plotly, no Streamlit).

Every comparison puts the model as trained next to the ablated one on *one*
colour scale, so a darker cell means more weight in both panels (the maps
themselves are drawn by ``app.figures.common.map_panels``):

* ``step_probabilities`` — per generation step, the probability of the chosen token.
* ``head_statistic_panels`` — a statistic per layer × head, normal vs ablated.
* ``future_mass`` — without the look-ahead mask, weight each position puts on later tokens.
* ``token_losses`` — −log p of each output token, with and without the mask.
* ``importance_panels`` — ΔsacreBLEU per layer × head when that one head is removed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import (
    SCALED_COLOR,
    UNSCALED_COLOR,
    Style,
    heatmap_trace,
    lesson_axis,
    lesson_layout,
    plain_text,
)

NORMAL_COLOR = SCALED_COLOR  # the model as trained
ABLATED_COLOR = UNSCALED_COLOR  # the model with a part removed


def step_probabilities(
    normal: tuple[Sequence[str], Sequence[float]],
    ablated: tuple[Sequence[str], Sequence[float]],
    names: tuple[str, str],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str] = ("step", "probability of the chosen token"),
    subtitle: str = "",
) -> go.Figure:
    """Per step t, the probability each model gave the token it chose (bars, token on hover and in the bar)."""
    fig = go.Figure()
    for (tokens, probs), name, color in zip((normal, ablated), names, (NORMAL_COLOR, ABLATED_COLOR)):
        fig.add_trace(go.Bar(
            x=list(range(1, len(probs) + 1)), y=list(probs), name=plain_text(name), marker_color=color,
            text=[plain_text(tok) for tok in tokens], textposition="inside", insidetextanchor="start",
            textangle=-90, textfont=style.font(10),
            customdata=[plain_text(tok) for tok in tokens],
            hovertemplate=f"{plain_text(name)}<br>{plain_text(axes[0])} %{{x}}: %{{customdata}}<br>%{{y:.3f}}<extra></extra>",
        ))
    steps = max(len(normal[1]), len(ablated[1]), 1)
    fig.update_layout(barmode="group", bargap=0.15, legend={"orientation": "h", "y": -0.25},
                      xaxis={"title": plain_text(axes[0]), "dtick": 1 if steps <= 30 else 5},
                      yaxis={"title": plain_text(axes[1]), "range": [0, 1], "tickformat": ".0%"})
    return lesson_layout(fig, title, style, height=380, top=80, bottom=40, subtitle=subtitle)


def head_statistic_panels(
    normal: np.ndarray,
    ablated: np.ndarray,
    panel_titles: tuple[str, str],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str, str] = ("head", "layer", "value"),
    zmax: float = 1.0,
    subtitle: str = "",
) -> go.Figure:
    """A ``(layers, heads)`` statistic as two heatmaps (as trained, ablated) with numbers in the cells."""
    layers, heads = normal.shape
    head_labels = [str(h + 1) for h in range(heads)]
    layer_labels = [str(l + 1) for l in range(layers)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.08)
    for c, values in enumerate((normal, ablated), start=1):
        trace = heatmap_trace(values, layer_labels, head_labels, style, zmax, (axes[1], axes[0], axes[2]),
                              coloraxis="coloraxis", show_values=True)
        fig.add_trace(trace, row=1, col=c)
        fig.update_xaxes(lesson_axis(head_labels, axes[0], style, 11), row=1, col=c)
        fig.update_yaxes(lesson_axis(layer_labels, axes[1] if c == 1 else "", style, 11), autorange="reversed", row=1, col=c)
    fig.update_layout(coloraxis={"colorscale": style.weight_scale, "cmin": 0.0, "cmax": zmax,
                                 "colorbar": {"thickness": 10, "title": {"text": plain_text(axes[2])}}})
    return lesson_layout(fig, title, style, height=140 + 48 * layers, top=90, subtitle=subtitle)


def future_mass(
    mass: np.ndarray,
    row_labels: Sequence[str],
    title: str,
    style: Style = Style(),
    layer_name: str = "layer {n}",
    axes: tuple[str, str] = ("decoder position (input → predicts)", "weight on later tokens"),
    subtitle: str = "",
) -> go.Figure:
    """``(layers, T)``: per decoder position, the head-averaged weight on strictly later keys."""
    fig = go.Figure()
    palette = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
    for l, row in enumerate(mass):
        fig.add_trace(go.Scatter(
            x=list(range(len(row))), y=list(row), mode="lines+markers", name=plain_text(layer_name.format(n=l + 1)),
            line={"color": palette[l % len(palette)]},
            hovertemplate="%{text}: %{y:.2f}<extra></extra>", text=[plain_text(r) for r in row_labels],
        ))
    fig.update_layout(xaxis=lesson_axis(row_labels, axes[0], style, 10, len(row_labels) <= 40),
                      yaxis={"title": plain_text(axes[1]), "range": [0, 1], "tickformat": ".0%"},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    fig.update_xaxes(tickangle=-60)
    return lesson_layout(fig, title, style, height=420, top=110, bottom=10, subtitle=subtitle)


def token_losses(
    row_labels: Sequence[str],
    with_mask: np.ndarray,
    without_mask: np.ndarray,
    names: tuple[str, str],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str] = ("decoder position (input → predicts)", "−log p(token)"),
    subtitle: str = "",
) -> go.Figure:
    """−log p of each output token in teacher forcing, with the mask and without it."""
    fig = go.Figure()
    for values, name, color in zip((with_mask, without_mask), names, (NORMAL_COLOR, ABLATED_COLOR)):
        fig.add_trace(go.Bar(x=list(range(len(values))), y=list(values), name=plain_text(name), marker_color=color,
                             text=[plain_text(r) for r in row_labels],
                             hovertemplate=f"{plain_text(name)}<br>%{{text}}: %{{y:.2f}}<extra></extra>",
                             textposition="none"))
    fig.update_layout(barmode="group", xaxis=lesson_axis(row_labels, axes[0], style, 10, len(row_labels) <= 40),
                      yaxis={"title": plain_text(axes[1]), "rangemode": "tozero"},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    fig.update_xaxes(tickangle=-60)
    return lesson_layout(fig, title, style, height=420, top=110, bottom=10, subtitle=subtitle)


def importance_panels(
    deltas: Sequence[np.ndarray],
    panel_titles: Sequence[str],
    title: str,
    style: Style = Style(),
    axes: tuple[str, str, str] = ("head", "layer", "ΔBLEU"),
    subtitle: str = "",
) -> go.Figure:
    """ΔsacreBLEU per ``(layers, heads)`` for each attention kind, on one diverging scale centred on 0.

    Red = BLEU falls when the head is removed (the head helps); blue = it rises.
    """
    limit = max(max(float(np.abs(d).max()) for d in deltas), 0.5)
    fig = make_subplots(rows=1, cols=len(deltas), subplot_titles=[plain_text(t) for t in panel_titles],
                        horizontal_spacing=0.06)
    for c, d in enumerate(deltas, start=1):
        layers, heads = d.shape
        heads_l = [str(h + 1) for h in range(heads)]
        layers_l = [str(l + 1) for l in range(layers)]
        fig.add_trace(go.Heatmap(
            z=d, x=list(range(heads)), y=list(range(layers)), coloraxis="coloraxis", xgap=1, ygap=1,
            text=np.vectorize(lambda v: f"{v:+.1f}")(d), texttemplate="%{text}", textfont=style.font(10),
            hovertemplate=f"{plain_text(axes[1])} %{{y}}, {plain_text(axes[0])} %{{x}}: %{{z:+.2f}}<extra></extra>",
        ), row=1, col=c)
        fig.update_xaxes(lesson_axis(heads_l, axes[0], style, 11), row=1, col=c)
        fig.update_yaxes(lesson_axis(layers_l, axes[1] if c == 1 else "", style, 11), autorange="reversed", row=1, col=c)
    fig.update_layout(coloraxis={"colorscale": "RdBu", "cmin": -limit, "cmax": limit, "cmid": 0.0,
                                 "colorbar": {"thickness": 10, "title": {"text": plain_text(axes[2])}}})
    return lesson_layout(fig, title, style, height=160 + 48 * max(d.shape[0] for d in deltas), top=90,
                         subtitle=subtitle)
