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

import functools
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

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


# The parts of a Plotly template that 2-D heatmaps, bars and lines read. The
# full named template also styles maps, 3-D scenes, polar plots and 20 other
# trace types: Plotly validates and deep-copies all of it for every figure
# that names it (~10 ms, most of a small figure's build time) and Streamlit
# sends it to the browser with every chart (~4 kB each).
TEMPLATE_LAYOUT_KEYS = (
    "autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor", "plot_bgcolor",
    "coloraxis", "colorscale", "xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title",
)
TEMPLATE_TRACE_TYPES = ("heatmap", "bar", "scatter")


@functools.lru_cache(maxsize=2)
def _compact_template_json(dark: bool) -> str:
    full = pio.templates["plotly_dark" if dark else "plotly_white"].to_plotly_json()
    layout = {key: value for key, value in full["layout"].items() if key in TEMPLATE_LAYOUT_KEYS}
    data = {key: value for key, value in full["data"].items() if key in TEMPLATE_TRACE_TYPES}
    return json.dumps({"layout": layout, "data": data})


@dataclass(frozen=True)
class Style:
    """Display options shared by all figures."""

    colorscale: str = DEFAULT_COLOR_SCALE
    dark: bool = False
    show_values: bool = False
    font_scale: float = 1.0

    @property
    def template(self) -> dict:
        """Plotly's ``plotly_white`` / ``plotly_dark`` look, trimmed to what these charts use (a fresh dict)."""
        return json.loads(_compact_template_json(self.dark))

    def font(self, size: float = 12) -> dict:
        return {"family": FONT_FAMILY, "size": round(size * self.font_scale)}


def _token_axis(labels: Sequence[str], title: str, size: float, style: Style, show_ticks: bool = True) -> dict:
    """A token axis: positions 0 … n−1 labelled with the (escaped) tokens.

    The tick text is set even when the labels are hidden (``showticklabels``):
    hover boxes read it (``%{x}``/``%{y}`` of a position show its tick text).
    """
    return {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [plain_text(lab) for lab in labels],
        "showticklabels": show_ticks,
        "title": {"text": title, "font": style.font(size)},
        "tickfont": style.font(size),
        "showgrid": False,
        "zeroline": False,
    }


def hover_customdata(query_labels: Sequence[str], key_labels: Sequence[str]) -> np.ndarray:
    """``customdata[i, j] = (query label, key label, i, j)`` for a hover box that names both tokens.

    A ``(q_len, k_len, 4)`` numpy string array, for charts whose axes do not
    carry the tokens as tick text (the mask lesson's panels).
    """
    q = np.array([plain_text(x) for x in query_labels] or [""], dtype=str)[: len(query_labels)]
    k = np.array([plain_text(x) for x in key_labels] or [""], dtype=str)[: len(key_labels)]
    qi = np.arange(len(query_labels)).astype(str)
    ki = np.arange(len(key_labels)).astype(str)
    return np.stack(np.broadcast_arrays(q[:, None], k[None, :], qi[:, None], ki[None, :]), axis=-1)


def hover_positions(n_queries: int, n_keys: int) -> np.ndarray:
    """``customdata[i, j] = (i, j)``: the query and key position of each cell, as integers.

    The hover box takes the tokens from the axes' tick text (``%{y}``,
    ``%{x}``) and only the positions from here. Integers rather than the
    labels themselves: Plotly deep-copies a figure's arrays and Streamlit
    serialises them on every re-draw, and per-cell label strings made up
    most of a head grid's build time and three quarters of its JSON.
    """
    return np.stack(np.indices((n_queries, n_keys), dtype=np.int32), axis=-1)  # (q_len, k_len, 2)


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
        customdata=hover_positions(len(query_labels), len(key_labels)),
        hovertemplate=f"{qn}: %{{y}} (#%{{customdata[0]}})<br>{kn}: %{{x}} (#%{{customdata[1]}})<br>{wn}: %{{z:.3f}}<extra></extra>",
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


@dataclass(frozen=True)
class GridCell:
    """One panel of a subplot grid: its axis names in the layout and where it sits on the paper."""

    x_axis: str  # "xaxis", "xaxis2", …
    y_axis: str
    x_domain: tuple[float, float]
    y_domain: tuple[float, float]


def subplot_grid(
    rows: int,
    cols: int,
    panels: int,
    horizontal_spacing: float,
    vertical_spacing: float,
    right_edge: float = 1.0,
) -> tuple[dict, list[GridCell]]:
    """Axes for a ``rows × cols`` grid of panels (row-major from the top left), as a plain layout dict.

    The same domains as ``plotly.subplots.make_subplots`` would give, computed
    directly: building a ``make_subplots`` figure only to read its layout
    cost a third of a head grid's build time, and it adds axes for empty
    cells. The builders fill the returned dict and create the figure once
    (``go.Figure(data=…, layout=…)``) instead of calling ``update_xaxes(row=,
    col=)`` per panel, which re-validates the whole layout every time.
    """
    width = (right_edge - horizontal_spacing * (cols - 1)) / cols
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    layout: dict = {}
    cells = []
    for p in range(panels):
        row, col = divmod(p, cols)
        suffix = "" if p == 0 else str(p + 1)
        x0 = col * (width + horizontal_spacing)
        y1 = 1.0 - row * (height + vertical_spacing)
        cell = GridCell(f"xaxis{suffix}", f"yaxis{suffix}", (x0, x0 + width), (max(0.0, y1 - height), y1))
        layout[cell.x_axis] = {"anchor": f"y{suffix}", "domain": list(cell.x_domain)}
        layout[cell.y_axis] = {"anchor": f"x{suffix}", "domain": list(cell.y_domain)}
        cells.append(cell)
    return layout, cells


def panel_title(text: str, x: float, y: float, font: dict, vertical: bool = False) -> dict:
    """A panel title as a paper annotation: centred above the panel, or (``vertical``) to its right."""
    common = {"text": plain_text(text), "font": font, "showarrow": False, "xref": "paper", "yref": "paper", "x": x, "y": y}
    if vertical:
        return {**common, "textangle": 90, "xanchor": "left", "yanchor": "middle"}
    return {**common, "xanchor": "center", "yanchor": "bottom"}


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
    zmax = float(weights.max()) if weights.size else 1.0
    ticks = show_ticks if show_ticks is not None else max(len(query_labels), len(key_labels)) <= 14
    layout, cells = subplot_grid(rows, columns, panels, 0.03, 0.09 if rows > 1 else 0.05)
    x_axis = {**_token_axis(key_labels, "", 9, style), "tickangle": -60}  # the same for every panel
    y_axis = {**_token_axis(query_labels, "", 9, style), "autorange": "reversed"}
    data = []
    for p, cell in enumerate(cells):
        trace = heatmap_trace(weights[p], query_labels, key_labels, style, zmax, hover_names, coloraxis="coloraxis", show_values=False)
        trace.update(xaxis=_axis_ref(cell.x_axis), yaxis=_axis_ref(cell.y_axis))
        data.append(trace)
        lowest_in_column = p + columns >= panels  # x labels only there: they would run into the next row's titles
        _merge(layout[cell.x_axis], {**x_axis, "showticklabels": ticks and lowest_in_column})
        _merge(layout[cell.y_axis], {**y_axis, "showticklabels": ticks and p % columns == 0})
    _merge(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.colorscale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
        "height": rows * (250 if ticks else 200) + 80,
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
        "annotations": [
            panel_title(text, sum(cell.x_domain) / 2, cell.y_domain[1], style.font(11)) for text, cell in zip(head_titles, cells)
        ],
    })
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
    zmax = float(weights.max()) if weights.size else 1.0
    right_edge = 0.98  # room for the layer names, as make_subplots leaves for row titles
    layout, cells = subplot_grid(layers, heads, layers * heads, 0.012, 0.02, right_edge)
    layout["annotations"] = [
        *(panel_title(text, sum(cells[h].x_domain) / 2, 1.0, style.font(10)) for h, text in enumerate(col_titles[:heads])),
        *(panel_title(text, right_edge, sum(cells[r * heads].y_domain) / 2, style.font(10), vertical=True) for r, text in enumerate(row_titles[:layers])),
    ]
    # Tick text kept but hidden: the hover box names the tokens from it.
    x_axis = _token_axis(key_labels, "", 9, style, show_ticks=False)
    y_axis = {**_token_axis(query_labels, "", 9, style, show_ticks=False), "autorange": "reversed"}
    if click_label:
        q_idx, k_idx = np.meshgrid(range(len(query_labels)), range(len(key_labels)), indexing="ij")
    data = []
    for i, cell in enumerate(cells):
        layer, head = divmod(i, heads)
        _merge(layout[cell.x_axis], x_axis)
        _merge(layout[cell.y_axis], y_axis)
        refs = {"xaxis": _axis_ref(cell.x_axis), "yaxis": _axis_ref(cell.y_axis)}
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
    _merge(layout, {
        "title": {"text": plain_text(title), "font": style.font(15)},
        "template": style.template,
        "font": style.font(),
        "coloraxis": {"colorscale": style.colorscale, "cmin": 0.0, "cmax": max(zmax, 1e-9), "colorbar": {"thickness": 12}},
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
