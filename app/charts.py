"""Pure chart builders: data in, Plotly figure out (no Streamlit).

Conventions every builder follows:

* **Rows are queries, columns are keys.** The first query is at the top
  (the y axis is reversed), the first key on the left.
* Axes are positions ``0 … n−1`` with the token labels as tick text, so
  repeated tokens ("a … a") keep separate rows and columns.
* Every label coming from the user's text goes through ``plain_text`` so
  ``<b>`` or ``$x$`` are shown literally, never as markup or math.
* Callers pass already-translated strings (titles, axis names), so the same
  builder serves English and Korean.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

ZERO_WIDTH_SPACE = "\u200b"
COLOR_SCALES = ["Blues", "Viridis", "Cividis", "Greys", "Magma"]
DEFAULT_COLOR_SCALE = "Blues"
FONT_FAMILY = "Noto Sans CJK KR, Noto Sans KR, NanumGothic, Malgun Gothic, Apple SD Gothic Neo, Arial, sans-serif"


def plain_text(text: str) -> str:
    """Make user text display literally in Plotly.

    Plotly reads a subset of HTML (``<b>``, ``<br>``…) in labels and treats a
    label wrapped in ``$…$`` as LaTeX. Escaping ``&<>`` keeps tags literal;
    a zero-width space in front of a leading ``$`` stops the LaTeX match.
    """
    escaped = html.escape(text, quote=False)
    if escaped.startswith("$"):
        escaped = ZERO_WIDTH_SPACE + escaped
    return escaped


@dataclass(frozen=True)
class Style:
    """Display options shared by all figures."""

    colorscale: str = DEFAULT_COLOR_SCALE
    dark: bool = False
    show_values: bool = False
    font_scale: float = 1.0

    @property
    def template(self) -> str:
        return "plotly_dark" if self.dark else "plotly_white"

    def font(self, size: float = 12) -> dict:
        return {"family": FONT_FAMILY, "size": round(size * self.font_scale)}


def _token_axis(labels: Sequence[str], title: str, size: float, style: Style, show_ticks: bool = True) -> dict:
    return {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [plain_text(lab) for lab in labels] if show_ticks else [""] * len(labels),
        "title": {"text": title, "font": style.font(size)},
        "tickfont": style.font(size),
        "showgrid": False,
        "zeroline": False,
    }


def hover_customdata(query_labels: Sequence[str], key_labels: Sequence[str]) -> np.ndarray:
    """``customdata[i, j] = (query label, key label, i, j)`` for the hover box.

    A ``(q_len, k_len, 4)`` numpy string array: it validates and serialises
    about twice as fast as Python tuples, which matters on every re-draw of a
    head grid. (The positions are carried here because ``%{x}``/``%{y}`` in a
    hover template show the tick text, not the index.)
    """
    q = np.array([plain_text(x) for x in query_labels] or [""], dtype=str)[: len(query_labels)]
    k = np.array([plain_text(x) for x in key_labels] or [""], dtype=str)[: len(key_labels)]
    qi = np.arange(len(query_labels)).astype(str)
    ki = np.arange(len(key_labels)).astype(str)
    return np.stack(np.broadcast_arrays(q[:, None], k[None, :], qi[:, None], ki[None, :]), axis=-1)


def heatmap_trace(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    style: Style,
    zmax: float = 1.0,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    coloraxis: str | None = None,
    show_values: bool | None = None,
) -> go.Heatmap:
    """One attention matrix as a heatmap trace (rows = queries, columns = keys)."""
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (len(query_labels), len(key_labels)):
        raise ValueError(
            f"weights of shape {weights.shape} do not match {len(query_labels)} query and {len(key_labels)} key labels"
        )
    qn, kn, wn = (plain_text(n) for n in hover_names)
    values = style.show_values if show_values is None else show_values
    trace = go.Heatmap(
        z=weights,
        x=list(range(len(key_labels))),
        y=list(range(len(query_labels))),
        customdata=hover_customdata(query_labels, key_labels),
        hovertemplate=f"{qn}: %{{customdata[0]}} (#%{{customdata[2]}})<br>{kn}: %{{customdata[1]}} (#%{{customdata[3]}})<br>{wn}: %{{z:.3f}}<extra></extra>",
        xgap=1,
        ygap=1,
    )
    if coloraxis:
        trace.coloraxis = coloraxis
    else:
        trace.update(colorscale=style.colorscale, zmin=0.0, zmax=zmax, colorbar={"thickness": 12})
    if values:
        trace.update(texttemplate="%{z:.2f}", textfont=style.font(10))
    return trace


def _merge(into: dict, patch: dict) -> dict:
    """Plotly's ``update`` semantics on plain dicts: nested dicts merge, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def _subplot_layout(fig: go.Figure, cells: Sequence[tuple[int, int]]) -> tuple[dict, list[tuple[str, str]]]:
    """The layout of a ``make_subplots`` figure as a plain dict, and each cell's axis names.

    The builders below fill this dict and create the figure once
    (``go.Figure(data=…, layout=…)``) instead of calling ``update_xaxes(row=,
    col=)`` per panel: every such update re-validates the whole layout, which
    made a 9-panel grid ~5× and a layers × heads overview ~4× slower to build
    for the same figure (bench/load.py, py-spy: most of a re-draw's time).
    """
    names = []
    for row, col in cells:
        cell = fig.get_subplot(row, col)
        names.append((cell.xaxis.plotly_name, cell.yaxis.plotly_name))
    return fig.layout.to_plotly_json(), names


def _axis_ref(name: str) -> str:
    """``"xaxis3"`` → ``"x3"`` (a trace's reference to its axis)."""
    return name.replace("axis", "")


def attention_heatmap(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str,
    style: Style = Style(),
    query_axis: str = "query",
    key_axis: str = "key",
    zmax: float | None = None,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
) -> go.Figure:
    """A single head (or the head average) large, with token labels on both axes."""
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
        "xaxis": {**_token_axis(key_labels, key_axis, 12, style), "side": "top", "tickangle": -45, "constrain": "domain"},
        "yaxis": {**_token_axis(query_labels, query_axis, 12, style), "autorange": "reversed", "scaleanchor": "x", "constrain": "domain"},
    }
    return go.Figure(data=[heatmap_trace(weights, query_labels, key_labels, style, max(zmax, 1e-9), hover_names)], layout=layout)


def head_grid(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str,
    head_titles: Sequence[str],
    style: Style = Style(),
    columns: int | None = None,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    show_ticks: bool | None = None,
) -> go.Figure:
    """All heads of one layer (plus, optionally, their average) on ONE shared colour scale.

    Args:
        weights: ``(panels, q_len, k_len)`` — the heads, and the average as the
            last panel if the caller appended it.
        head_titles: one subplot title per panel.
    """
    panels = weights.shape[0]
    columns = columns or (panels if panels <= 5 else int(np.ceil(panels / 2)))  # at most two rows for ≤ 10 panels
    rows = int(np.ceil(panels / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[plain_text(t) for t in head_titles],
        horizontal_spacing=0.03,
        vertical_spacing=0.09 if rows > 1 else 0.05,
    )
    zmax = float(weights.max()) if weights.size else 1.0
    ticks = show_ticks if show_ticks is not None else max(len(query_labels), len(key_labels)) <= 14
    layout, axes = _subplot_layout(fig, [(p // columns + 1, p % columns + 1) for p in range(panels)])
    data = []
    for p, (x_name, y_name) in enumerate(axes):
        c = p % columns
        trace = heatmap_trace(weights[p], query_labels, key_labels, style, zmax, hover_names, coloraxis="coloraxis", show_values=False)
        trace.update(xaxis=_axis_ref(x_name), yaxis=_axis_ref(y_name))
        data.append(trace)
        lowest_in_column = p + columns >= panels  # x labels only there: they would run into the next row's titles
        _merge(layout.setdefault(x_name, {}), {**_token_axis(key_labels, "", 9, style, ticks and lowest_in_column), "tickangle": -60})
        _merge(layout.setdefault(y_name, {}), {**_token_axis(query_labels, "", 9, style, ticks and c == 0), "autorange": "reversed"})
    _merge(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.colorscale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
        "height": rows * (250 if ticks else 200) + 80,
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
    })
    for annotation in layout.get("annotations", []):
        _merge(annotation, {"font": style.font(11)})
    return go.Figure(data=data, layout=layout)


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
    fig = make_subplots(
        rows=layers,
        cols=heads,
        row_titles=[plain_text(t) for t in row_titles],
        column_titles=[plain_text(t) for t in col_titles],
        horizontal_spacing=0.012,
        vertical_spacing=0.02,
    )
    zmax = float(weights.max()) if weights.size else 1.0
    layout, axes = _subplot_layout(fig, [(layer + 1, head + 1) for layer in range(layers) for head in range(heads)])
    data = []
    for cell, (x_name, y_name) in enumerate(axes):
        layer, head = divmod(cell, heads)
        refs = {"xaxis": _axis_ref(x_name), "yaxis": _axis_ref(y_name)}
        trace = heatmap_trace(weights[layer, head], query_labels, key_labels, style, zmax, hover_names, coloraxis="coloraxis", show_values=False)
        trace.update(refs)
        data.append(trace)
        if click_label:
            q_idx, k_idx = np.meshgrid(range(len(query_labels)), range(len(key_labels)), indexing="ij")
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
    for name in [key for key in layout if key.startswith(("xaxis", "yaxis"))]:
        hidden = {"showticklabels": False, "showgrid": False, "zeroline": False}
        _merge(layout[name], hidden if name.startswith("x") else {**hidden, "autorange": "reversed"})
    _merge(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.colorscale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
        "height": layers * 130 + 90,
        "margin": {"l": 10, "r": 40, "t": 80, "b": 10},
    })
    for annotation in layout.get("annotations", []):
        _merge(annotation, {"font": style.font(10)})
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
    fig.update_xaxes(_token_axis(key_labels, key_axis, 12, style), side="top", tickangle=-45)
    fig.update_yaxes(_token_axis(row_labels, query_axis, 12, style), autorange="reversed")
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
            colorscale=style.colorscale,
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
