"""Figures of the scaled dot-product lesson (pure Plotly): a query looking up
keys, the spread of q·k growing with d_k, the softmax saturating without the
1/√d_k factor (§3.2.1), and the dot / general / additive scoring functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import (
    ALLOWED_COLOR,
    SCALED_COLOR,
    SCORE_SCALE,
    UNSCALED_COLOR,
    Style,
    cell_size,
    heatmap_trace,
    lesson_axis,
    lesson_layout,
    number_text,
    plain_text,
)
from app.lessons.scaled import Lookup, RealScaling, ScalingStats


def outward(x: float, y: float) -> str:
    """The Plotly text position of a label placed away from the origin."""
    if abs(x) >= abs(y):
        return "middle right" if x >= 0 else "middle left"
    return "top center" if y >= 0 else "bottom center"


def lookup_plane(lookup: Lookup, names: Sequence[str], title: str, style: Style = Style(), query_name: str = "q",
                 subtitle: str = "") -> go.Figure:
    """Keys as labelled points (size ∝ weight), the query as an arrow from the origin."""
    theta = np.linspace(0, 2 * np.pi, 121)
    fig = go.Figure(go.Scatter(x=np.cos(theta), y=np.sin(theta), mode="lines", line={"color": "#bbbbbb", "dash": "dot"},
                               hoverinfo="skip", showlegend=False))
    labels = [f"{plain_text(n)} (v={v:g}) · {w:.0%}" for n, v, w in zip(names, lookup.values, lookup.weights)]
    fig.add_trace(
        go.Scatter(
            x=lookup.keys[:, 0], y=lookup.keys[:, 1], mode="markers+text", text=labels,
            # labels point away from the origin, so the query arrow never runs through them;
            # a larger font keeps the subscripts of k₁…k₄ readable
            textposition=[outward(x, y) for x, y in lookup.keys], textfont=style.font(15),
            marker={"size": 12 + 40 * lookup.weights, "color": ALLOWED_COLOR, "opacity": 0.8}, showlegend=False,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    qx, qy = lookup.query
    fig.add_annotation(x=qx, y=qy, ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                       arrowhead=3, arrowwidth=2.5, arrowcolor=UNSCALED_COLOR, text="")
    fig.add_annotation(x=qx, y=qy, xref="x", yref="y", showarrow=False, text=plain_text(query_name),
                       xanchor="left" if qx >= 0 else "right", yanchor="bottom" if qy >= 0 else "top",
                       font={**style.font(13), "color": UNSCALED_COLOR})
    reach = max(2.2, float(np.abs(lookup.query).max()) + 0.6)  # room for the outward labels
    fig.update_xaxes(range=[-reach, reach], zeroline=True, showgrid=False)
    fig.update_yaxes(range=[-reach, reach], zeroline=True, showgrid=False, scaleanchor="x")
    return lesson_layout(fig, title, style, height=440, top=70, subtitle=subtitle)


def lookup_bars(lookup: Lookup, names: Sequence[str], title: str, style: Style = Style(), axis: str = "weight",
                subtitle: str = "") -> go.Figure:
    """The softmax weight of each key; the text shows weight × value."""
    fig = go.Figure(
        go.Bar(
            x=[plain_text(n) for n in names], y=lookup.weights, marker_color=ALLOWED_COLOR,
            text=[f"{w:.2f} × {v:g} = {w * v:.1f}" for w, v in zip(lookup.weights, lookup.values)], textposition="outside",
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 1.15], title=plain_text(axis))
    return lesson_layout(fig, title, style, height=440, top=70, subtitle=subtitle)


def dot_histograms(stats: ScalingStats, names: tuple[str, str], title: str, style: Style = Style(), axis: str = "score",
                   subtitle: str = "") -> go.Figure:
    """Distribution of q·k and of q·k/√d_k over all random pairs, overlaid."""
    scaled = stats.dots / np.sqrt(stats.d_k)
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=stats.dots.ravel(), name=plain_text(names[0]), marker_color=UNSCALED_COLOR, opacity=0.6, nbinsx=60))
    fig.add_trace(go.Histogram(x=scaled.ravel(), name=plain_text(names[1]), marker_color=SCALED_COLOR, opacity=0.6, nbinsx=60))
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
    fig.update_xaxes(title=plain_text(axis))
    return lesson_layout(fig, title, style, height=400, top=70, bottom=40, subtitle=subtitle)


def softmax_example(stats: ScalingStats, names: tuple[str, str], title: str, style: Style = Style(),
                    key_name: str = "key", axis: str = "weight", trial: int = 0, subtitle: str = "") -> go.Figure:
    """One random query's softmax over its keys, unscaled and scaled, as grouped bars."""
    from app.lessons.scaled import softmax

    dots = stats.dots[trial]
    keys = [f"{plain_text(key_name)} {j + 1}" for j in range(len(dots))]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=keys, y=softmax(dots), name=plain_text(names[0]), marker_color=UNSCALED_COLOR))
    fig.add_trace(go.Bar(x=keys, y=softmax(dots / np.sqrt(stats.d_k)), name=plain_text(names[1]), marker_color=SCALED_COLOR))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.3, "yanchor": "top"})
    fig.update_yaxes(range=[0, 1.05], title=plain_text(axis))
    return lesson_layout(fig, title, style, height=400, top=70, bottom=40, subtitle=subtitle)


def scaling_curves(curve: Sequence[ScalingStats], chosen: int, names: tuple[str, str], panel_titles: tuple[str, str, str],
                   title: str, style: Style = Style(), x_title: str = "d_k") -> go.Figure:
    """Mean max weight, entropy and softmax-gradient size against d_k (log axis), unscaled vs scaled."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.08)
    d = [s.d_k for s in curve]
    metrics = [
        ([s.max_weight_unscaled for s in curve], [s.max_weight_scaled for s in curve]),
        ([s.entropy_unscaled for s in curve], [s.entropy_scaled for s in curve]),
        ([s.gradient_unscaled for s in curve], [s.gradient_scaled for s in curve]),
    ]
    for c, (unscaled, scaled) in enumerate(metrics, start=1):
        for values, name, color in ((unscaled, names[0], UNSCALED_COLOR), (scaled, names[1], SCALED_COLOR)):
            fig.add_trace(go.Scatter(x=d, y=values, mode="lines+markers", name=plain_text(name), line={"color": color},
                                     legendgroup=name, showlegend=c == 1), row=1, col=c)
        fig.add_vline(x=chosen, line={"color": "#888888", "dash": "dash"}, row=1, col=c)
        fig.update_xaxes(type="log", title=plain_text(x_title), tickvals=d, ticktext=[str(v) for v in d], tickangle=-60, row=1, col=c)
    fig.update_layout(legend={"orientation": "h", "y": 1.08, "yanchor": "bottom"})
    return lesson_layout(fig, title, style, height=380, top=100)


def scoring_grid(scores: Mapping[str, np.ndarray], weights: Mapping[str, np.ndarray], function_titles: Mapping[str, str],
                 title: str, style: Style = Style(), row_titles: tuple[str, str] = ("scores", "softmax weights"),
                 axis_names: tuple[str, str] = ("query", "key")) -> go.Figure:
    """Four scoring functions on the same vectors: scores (top row) and their softmax (bottom row).

    Each score panel has its own symmetric colour range (the ranges differ a
    lot, which is the point); the weight panels share 0–1. Rows are queries.
    """
    functions = list(scores)
    cols = len(functions)
    titles = [f"{plain_text(function_titles[f])} · {plain_text(row_titles[0])}" for f in functions]
    titles += [f"{plain_text(function_titles[f])} · {plain_text(row_titles[1])}" for f in functions]
    fig = make_subplots(rows=2, cols=cols, subplot_titles=titles, horizontal_spacing=0.05, vertical_spacing=0.2)
    n_q, n_k = next(iter(scores.values())).shape
    q_labels = [f"q{i + 1}" for i in range(n_q)]
    k_labels = [f"k{j + 1}" for j in range(n_k)]
    for c, f in enumerate(functions, start=1):
        s = scores[f]
        span = float(np.abs(s).max()) or 1.0
        fig.add_trace(
            go.Heatmap(z=s, x=list(range(n_k)), y=list(range(n_q)), colorscale=SCORE_SCALE, zmid=0.0, zmin=-span, zmax=span,
                       text=number_text(s, ".1f"), texttemplate="%{text}", textfont=style.font(9), showscale=False,
                       xgap=1, ygap=1, hovertemplate="%{y} · %{x}: %{z:.3f}<extra></extra>"),
            row=1, col=c,
        )
        fig.add_trace(heatmap_trace(weights[f], q_labels, k_labels, style, 1.0, (axis_names[0], axis_names[1], row_titles[1]),
                                    coloraxis="coloraxis", show_values=True), row=2, col=c)
        for r in (1, 2):
            fig.update_xaxes(lesson_axis(k_labels, axis_names[1] if r == 2 else "", style, 10), row=r, col=c)
            fig.update_yaxes(lesson_axis(q_labels, axis_names[0] if c == 1 else "", style, 10), autorange="reversed", row=r, col=c)
    fig.update_layout(coloraxis={"colorscale": style.weight_scale, "cmin": 0.0, "cmax": 1.0, "colorbar": {"thickness": 10}})
    return lesson_layout(fig, title, style, height=560, top=90)


def real_scaling_pair(real: RealScaling, query_labels: Sequence[str], key_labels: Sequence[str],
                      panel_titles: tuple[str, str], title: str, style: Style = Style(),
                      hover_names: tuple[str, str, str] = ("query", "key", "weight")) -> go.Figure:
    """A real head's softmax with the model's 1/√d_k and without it, on one 0–1 scale."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.08)
    for c, w in enumerate((real.weights_scaled, real.weights_unscaled), start=1):
        fig.add_trace(heatmap_trace(w, query_labels, key_labels, style, 1.0, hover_names, coloraxis="coloraxis"), row=1, col=c)
        show = max(len(query_labels), len(key_labels)) <= 40
        fig.update_xaxes(lesson_axis(key_labels, hover_names[1], style, 10, show), tickangle=-60, row=1, col=c)
        fig.update_yaxes(lesson_axis(query_labels, hover_names[0] if c == 1 else "", style, 10, show), autorange="reversed", row=1, col=c)
    fig.update_layout(coloraxis={"colorscale": style.weight_scale, "cmin": 0.0, "cmax": 1.0, "colorbar": {"thickness": 10}})
    cell = cell_size(max(len(query_labels), len(key_labels)), 380, 6, 34)
    return lesson_layout(fig, title, style, height=cell * len(query_labels) + 190, top=90)
