"""Figures of the attention explorer (pure Plotly, no Streamlit).

* ``attention_heatmap`` — one head (or the head average) of one layer: rows
  are queries, columns keys, titled with the attention kind, layer and head.
* ``head_grid`` — every head of a layer side by side (plus their average).
  Both also come as a plain spec (``attention_heatmap_spec``, ``head_grid_spec``):
  the page re-draws them on every click and hands the spec to Streamlit as it is
  (``common.ReadyFigure``).
* ``layers_heads_overview`` — layers × heads thumbnails; clicking one opens it large.
* ``probability_bars`` — the top-k next-token probabilities of a decoding step.
* ``attention_rows`` — one decoding step's attention row per head.
* ``statistic_heatmap`` — a head statistic (entropy, max weight …) per layer × head.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from app.figures.common import (
    UNVALIDATED,
    Style,
    axis_ref,
    heatmap_spec,
    heatmap_trace,
    merge_layout,
    panel_title,
    plain_text,
    subplot_grid,
    token_axis,
)


def attention_heatmap(*args, **kwargs) -> go.Figure:
    """A single head (or the head average) large, with token labels on both axes
    (arguments as ``attention_heatmap_spec``)."""
    return go.Figure(attention_heatmap_spec(*args, **kwargs), **UNVALIDATED)


def attention_heatmap_spec(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str,
    style: Style = Style(),
    query_axis: str = "query",
    key_axis: str = "key",
    zmax: float | None = None,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
) -> dict:
    """``attention_heatmap`` as the ``{"data", "layout"}`` dict Plotly.js draws."""
    zmax = float(np.max(weights)) if zmax is None and np.size(weights) else (zmax or 1.0)
    n_q, n_k = len(query_labels), len(key_labels)
    cell = int(np.clip(520 / max(n_q, n_k, 1), 14, 44))
    layout = {
        # The title sits at the very top; the key labels and their axis title
        # (on top, as in a matrix) fill the margin below it.
        "title": {"text": plain_text(title), "font": style.font(15), "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        "template": style.template,
        "font": style.font(),
        "height": max(320, min(900, cell * n_q + 260)),
        "margin": {"l": 10, "r": 10, "t": 150, "b": 10},
        "xaxis": {**token_axis(key_labels, key_axis, 12, style), "side": "top", "tickangle": -45, "constrain": "domain"},
        "yaxis": {**token_axis(query_labels, query_axis, 12, style), "autorange": "reversed", "scaleanchor": "x", "constrain": "domain"},
    }
    trace = heatmap_spec(weights, query_labels, key_labels, style, max(zmax, 1e-9), hover_names)
    return {"data": [trace], "layout": layout}


def head_grid(*args, **kwargs) -> go.Figure:
    """All heads of one layer (plus, optionally, their average) on ONE shared colour
    scale (arguments as ``head_grid_spec``)."""
    return go.Figure(head_grid_spec(*args, **kwargs), **UNVALIDATED)


def head_grid_spec(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str,
    head_titles: Sequence[str],
    style: Style = Style(),
    columns: int | None = None,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    show_ticks: bool | None = None,
) -> dict:
    """``head_grid`` as the ``{"data", "layout"}`` dict Plotly.js draws.

    Args:
        weights: ``(panels, q_len, k_len)`` — the heads, and the average as the
            last panel if the caller appended it.
        head_titles: one subplot title per panel.
    """
    panels = weights.shape[0]
    columns = columns or (panels if panels <= 5 else int(np.ceil(panels / 2)))  # at most two rows for ≤ 10 panels
    rows = int(np.ceil(panels / columns))
    zmax = float(weights.max()) if weights.size else 1.0
    ticks = show_ticks if show_ticks is not None else max(len(query_labels), len(key_labels)) <= 14
    layout, cells = subplot_grid(rows, columns, panels, 0.03, 0.09 if rows > 1 else 0.05)
    x_axis = {**token_axis(key_labels, "", 9, style), "tickangle": -60}  # the same for every panel
    y_axis = {**token_axis(query_labels, "", 9, style), "autorange": "reversed"}
    data = []
    for p, cell in enumerate(cells):
        trace = heatmap_spec(weights[p], query_labels, key_labels, style, zmax, hover_names, coloraxis="coloraxis",
                             show_values=False)
        trace.update(xaxis=axis_ref(cell.x_axis), yaxis=axis_ref(cell.y_axis))
        data.append(trace)
        lowest_in_column = p + columns >= panels  # x labels only there: they would run into the next row's titles
        merge_layout(layout[cell.x_axis], {**x_axis, "showticklabels": ticks and lowest_in_column})
        merge_layout(layout[cell.y_axis], {**y_axis, "showticklabels": ticks and p % columns == 0})
    merge_layout(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.weight_scale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
        "height": rows * (250 if ticks else 200) + 80,
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
        "annotations": [
            panel_title(text, sum(cell.x_domain) / 2, cell.y_domain[1], style.font(11)) for text, cell in zip(head_titles, cells)
        ],
    })
    return {"data": data, "layout": layout}


def layers_heads_overview(
    weights: np.ndarray,
    title: str,
    row_titles: Sequence[str],
    col_titles: Sequence[str],
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    style: Style = Style(),
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    click_label: str | None = None,
) -> go.Figure:
    """Layers × heads thumbnails of one attention kind, one shared colour scale.

    Args:
        weights: ``(layers, heads, q_len, k_len)``.
        click_label: when given (e.g. ``"layer {layer} · head {head}"``), every
            cell also carries an invisible marker whose ``customdata`` is
            ``[layer, head]`` (1-based), so a click can be turned into a
            selection (Plotly heatmaps alone emit no selection events).
    """
    layers, heads = weights.shape[:2]
    zmax = float(weights.max()) if weights.size else 1.0
    right_edge = 0.98  # room for the layer names, as make_subplots leaves for row titles
    layout, cells = subplot_grid(layers, heads, layers * heads, 0.012, 0.02, right_edge)
    layout["annotations"] = [
        *(panel_title(text, sum(cells[h].x_domain) / 2, 1.0, style.font(10)) for h, text in enumerate(col_titles[:heads])),
        *(panel_title(text, right_edge, sum(cells[r * heads].y_domain) / 2, style.font(10), vertical=True) for r, text in enumerate(row_titles[:layers])),
    ]
    # Tick text kept but hidden: the hover box names the tokens from it.
    x_axis = token_axis(key_labels, "", 9, style, show_ticks=False)
    y_axis = {**token_axis(query_labels, "", 9, style, show_ticks=False), "autorange": "reversed"}
    if click_label:
        q_idx, k_idx = np.meshgrid(range(len(query_labels)), range(len(key_labels)), indexing="ij")
    data = []
    for i, cell in enumerate(cells):
        layer, head = divmod(i, heads)
        merge_layout(layout[cell.x_axis], x_axis)
        merge_layout(layout[cell.y_axis], y_axis)
        refs = {"xaxis": axis_ref(cell.x_axis), "yaxis": axis_ref(cell.y_axis)}
        trace = heatmap_trace(weights[layer, head], query_labels, key_labels, style, zmax, hover_names, coloraxis="coloraxis", show_values=False)
        trace.update(refs)
        data.append(trace)
        if click_label:
            data.append(
                go.Scatter(
                    x=k_idx.ravel(),
                    y=q_idx.ravel(),
                    mode="markers",
                    marker={"size": 40, "opacity": 0},  # large: a click anywhere in a cell hits one
                    customdata=[[layer + 1, head + 1]] * q_idx.size,
                    hovertemplate=plain_text(click_label.format(layer=layer + 1, head=head + 1)) + "<extra></extra>",
                    showlegend=False,
                    **refs,
                )
            )
    merge_layout(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.weight_scale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
        "height": layers * 130 + 90,
        "margin": {"l": 10, "r": 40, "t": 80, "b": 10},
    })
    return go.Figure(data=data, layout=layout)


def probability_bars(
    tokens: Sequence[str], probs: Sequence[float], chosen: str, title: str, style: Style = Style(), axis: str = "probability"
) -> go.Figure:
    """Top-k next-token probabilities as horizontal bars; the chosen token highlighted."""
    colors = ["#d62728" if t == chosen else "#1f77b4" for t in tokens]
    fig = go.Figure(
        go.Bar(
            x=list(probs),
            y=list(range(len(tokens))),
            orientation="h",
            marker_color=colors,
            text=[f"{p:.1%}" for p in probs],
            textposition="auto",
            customdata=[plain_text(t) for t in tokens],
            hovertemplate="%{customdata}: %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": plain_text(title), "font": style.font(14)},
        template=style.template,
        font=style.font(),
        height=60 + 36 * len(tokens),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"range": [0, 1], "title": axis, "tickformat": ".0%"},
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(tokens))),
            "ticktext": [plain_text(t) for t in tokens],
            "autorange": "reversed",
        },
    )
    return fig


def attention_rows(
    rows: np.ndarray,
    row_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str,
    style: Style = Style(),
    query_axis: str = "head",
    key_axis: str = "key",
    hover_names: tuple[str, str, str] = ("head", "key", "weight"),
) -> go.Figure:
    """Several attention rows over the same keys (e.g. each head's row at one step)."""
    fig = go.Figure(heatmap_trace(rows, row_labels, key_labels, style, max(float(rows.max()), 1e-9), hover_names))
    fig.update_layout(
        # As in attention_heatmap: the title on top, the key labels and their axis title below it.
        title={"text": plain_text(title), "font": style.font(14), "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        template=style.template,
        font=style.font(),
        height=210 + 30 * len(row_labels),
        margin={"l": 10, "r": 10, "t": 150, "b": 10},
    )
    fig.update_xaxes(token_axis(key_labels, key_axis, 12, style), side="top", tickangle=-45)
    fig.update_yaxes(token_axis(row_labels, query_axis, 12, style), autorange="reversed")
    return fig


def statistic_heatmap(
    values: np.ndarray, title: str, metric: str, style: Style = Style(), layer_name: str = "layer", head_name: str = "head"
) -> go.Figure:
    """A layers × heads grid of one head statistic (rows = layers, columns = heads)."""
    layers, heads = values.shape
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=[f"{head_name} {h + 1}" for h in range(heads)],
            y=[f"{layer_name} {layer + 1}" for layer in range(layers)],
            colorscale=style.weight_scale,
            texttemplate="%{z:.2f}",
            hovertemplate=f"%{{y}} · %{{x}}<br>{plain_text(metric)}: %{{z:.3f}}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"thickness": 12},
        )
    )
    fig.update_layout(
        title={"text": plain_text(title), "font": style.font(14)},
        template=style.template,
        font=style.font(),
        height=120 + 50 * layers,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        yaxis={"autorange": "reversed"},
    )
    return fig
