"""Chart conventions shared by every figure of the app (pure Plotly, no Streamlit).

* Attention-shaped matrices put **queries on rows and keys on columns**, the
  first query at the top (``heatmap_trace``), with positional axes and token
  tick text (``token_axis``), so a repeated token keeps its own row and column.
* Every label that can come from the user's text goes through ``plain_text``:
  ``<b>`` and ``$x$`` are shown literally, never as markup or LaTeX.
* ``Style`` carries the colour scale, dark/light theme, font scale and
  whether cells print their values; ``compact_template_json`` is the small
  Plotly template every figure uses (naming a full template costs ~10 ms of
  validation per figure).
* ``subplot_grid`` / ``panel_title`` lay out small multiples (head grids,
  overviews) without a throw-away ``make_subplots`` figure; ``map_panels``
  puts a few maps side by side on one colour scale (ablation and training pages).
* The lesson palette (``ALLOWED_COLOR`` / ``BLOCKED_COLOR`` …, Okabe–Ito,
  readable by colour-blind readers) and ``lesson_layout`` / ``lesson_axis``
  give the lesson figures one look: "blocked" and −∞ share one colour.

Callers pass already-translated titles and axis names, so one builder serves
English and Korean.
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
from plotly.colors import get_colorscale
from plotly.subplots import make_subplots
from _plotly_utils.utils import convert_to_base64

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


TEMPLATE_LAYOUT_KEYS = (
    "autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor", "plot_bgcolor",
    "coloraxis", "colorscale", "xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title",
)


TEMPLATE_TRACE_TYPES = ("heatmap", "bar", "scatter")


@functools.lru_cache(maxsize=2)
def compact_template_json(dark: bool) -> str:
    full = pio.templates["plotly_dark" if dark else "plotly_white"].to_plotly_json()
    layout = {key: value for key, value in full["layout"].items() if key in TEMPLATE_LAYOUT_KEYS}
    data = {key: value for key, value in full["data"].items() if key in TEMPLATE_TRACE_TYPES}
    return json.dumps({"layout": layout, "data": data})


LIGHT_AT_ZERO = {"Blues", "Greys"}  # sequential scales that start (weight 0) near white


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
        return json.loads(compact_template_json(self.dark))

    def font(self, size: float = 12) -> dict:
        return {"family": FONT_FAMILY, "size": round(size * self.font_scale)}

    @property
    def weight_scale(self) -> list[list]:
        """The colour scale for weights, as Plotly's list of ``[position, colour]`` stops: on a
        dark page the light-to-dark scales run the other way, so zero weight is dark like the
        page and not a bright block. Resolved here from its name ("Blues", "Blues_r") because
        the figures built without validation (``UNVALIDATED``) would send the name as it is,
        and Plotly.js knows no "_r" names."""
        name = f"{self.colorscale}_r" if self.dark and self.colorscale in LIGHT_AT_ZERO else self.colorscale
        return get_colorscale(name)


def token_axis(labels: Sequence[str], title: str, size: float, style: Style, show_ticks: bool = True) -> dict:
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
        "ticklabelstandoff": max(3, round(size / 3)),  # a gap between the labels and the first cells
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


@functools.lru_cache(maxsize=32)
def hover_positions(n_queries: int, n_keys: int) -> np.ndarray:
    """``customdata[i, j] = (i, j)``: the query and key position of each cell, as integers.

    The hover box takes the tokens from the axes' tick text (``%{y}``,
    ``%{x}``) and only the positions from here. Integers rather than the
    labels themselves: Plotly deep-copies a figure's arrays and Streamlit
    serialises them on every re-draw, and per-cell label strings made up
    most of a head grid's build time and three quarters of its JSON.
    One read-only array per shape, shared by every figure of that shape.
    """
    positions = np.stack(np.indices((n_queries, n_keys), dtype=np.int32), axis=-1)  # (q_len, k_len, 2)
    positions.flags.writeable = False
    return positions


def heatmap_spec(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    style: Style,
    zmax: float = 1.0,
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    coloraxis: str | None = None,
    show_values: bool | None = None,
) -> dict:
    """One attention matrix as a heatmap trace, as the plain dict Plotly reads (rows =
    queries, columns = keys). ``heatmap_trace`` wraps it in a validated ``go.Heatmap``;
    the explorer's re-drawn figures use the dict as it is (see ``UNVALIDATED``)."""
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (len(query_labels), len(key_labels)):
        raise ValueError(
            f"weights of shape {weights.shape} do not match {len(query_labels)} query and {len(key_labels)} key labels"
        )
    qn, kn, wn = (plain_text(n) for n in hover_names)
    values = style.show_values if show_values is None else show_values
    spec = {
        "type": "heatmap",
        "z": weights,
        "x": list(range(len(key_labels))),
        "y": list(range(len(query_labels))),
        "customdata": hover_positions(len(query_labels), len(key_labels)),
        "hovertemplate": f"{qn}: %{{y}} (#%{{customdata[0]}})<br>{kn}: %{{x}} (#%{{customdata[1]}})<br>{wn}: %{{z:.3f}}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    if coloraxis:
        spec["coloraxis"] = coloraxis
    else:
        spec.update(colorscale=style.weight_scale, zmin=0.0, zmax=zmax, colorbar={"thickness": 12})
    if values:
        spec.update(texttemplate="%{z:.2f}", textfont=style.font(10))
    return spec


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
    """``heatmap_spec`` as a validated ``go.Heatmap`` trace."""
    spec = heatmap_spec(weights, query_labels, key_labels, style, zmax, hover_names, coloraxis, show_values)
    spec.pop("type")
    return go.Heatmap(**spec)


# Plotly validates every property it is given (about half of the time it takes to build
# the explorer's head grid: 10 of 20 ms, measured). The figures re-drawn on every click
# (``app.figures.explorer.head_grid`` and ``attention_heatmap``) are built without it;
# ``tests/test_charts.py`` rebuilds them *with* validation, so an invalid property still
# fails a test.
UNVALIDATED = {"_validate": False}


class ReadyFigure(go.Figure):
    """A figure that already is the JSON Plotly.js draws, to hand to ``st.plotly_chart``.

    ``st.plotly_chart`` turns whatever it gets into a dict with ``Figure.to_dict()``.
    For a ``go.Figure`` that means building Plotly's object tree from our dicts
    (4.6 ms for a head grid of 9 panels, even unvalidated) and copying it back out
    (2.0 ms), on every re-draw of every session; this figure's ``to_dict`` returns
    the ``{"data": […], "layout": {…}}`` spec it was made from, with arrays encoded as
    Plotly does (``convert_to_base64``), in about 1 ms. It holds no Plotly objects:
    use it only for ``st.plotly_chart``; ``go.Figure(spec)`` is the same figure to
    inspect or export. ``tests/test_charts.py`` checks both send the same JSON.
    """

    def __init__(self, spec: dict) -> None:
        super().__init__(**UNVALIDATED)
        self._spec = spec

    def to_dict(self) -> dict:
        figure = {"data": [dict(trace) for trace in self._spec["data"]], "layout": dict(self._spec["layout"])}
        convert_to_base64(figure)  # replaces numpy arrays by typed-array specs in these copies
        return figure

    def __repr__(self) -> str:
        return f"ReadyFigure({len(self._spec['data'])} traces)"


def merge_layout(into: dict, patch: dict) -> dict:
    """Plotly's ``update`` semantics on plain dicts: nested dicts merge, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge_layout(into[key], value)
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


def axis_ref(name: str) -> str:
    """``"xaxis3"`` → ``"x3"`` (a trace's reference to its axis)."""
    return name.replace("axis", "")


ALLOWED_COLOR = "#0072B2"  # Okabe–Ito blue: may attend


BLOCKED_COLOR = "#E69F00"  # Okabe–Ito orange: blocked / −∞


SCORE_SCALE = "RdBu"  # diverging, white at 0, for signed scores and vectors


NEG_INF = "−∞"


SCALED_COLOR = "#0072B2"


UNSCALED_COLOR = "#D55E00"


MAX_NUMBER_CELLS = 12  # print numbers in cells only up to this many rows/columns


def lesson_axis(labels: Sequence[str], title: str, style: Style, size: float = 11, show: bool = True) -> dict:
    """A positional axis 0…n−1 with the (escaped) token labels as tick text."""
    return {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [plain_text(lab) for lab in labels] if show else [""] * len(labels),
        "title": {"text": plain_text(title), "font": style.font(size)},
        "tickfont": style.font(size),
        "ticklabelstandoff": max(3, round(size / 3)),  # a gap between the labels and the first cells
        "showgrid": False,
        "zeroline": False,
    }


def title_text(title: str, subtitle: str = "") -> str:
    """A chart title, escaped, with an optional smaller second line (so long titles fit half-width charts)."""
    if not subtitle:
        return plain_text(title)
    return f"{plain_text(title)}<br><span style='font-size:0.78em;font-weight:normal'>{plain_text(subtitle)}</span>"


def lesson_layout(fig: go.Figure, title: str, style: Style, height: int, top: int = 70, bottom: int = 10,
            subtitle: str = "") -> go.Figure:
    fig.update_layout(
        title={"text": title_text(title, subtitle), "font": style.font(15)},
        template=style.template,
        font=style.font(),
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
    )
    fig.update_annotations(font=style.font(12))
    return fig


def cell_size(n: int, budget: float = 420, low: int = 10, high: int = 40) -> int:
    return int(np.clip(budget / max(n, 1), low, high))


def number_text(values: np.ndarray, fmt: str, blocked: np.ndarray | None = None, blocked_text: str = "") -> np.ndarray:
    text = np.vectorize(lambda v: format(v, fmt))(values).astype(object)
    if blocked is not None:
        text[blocked] = blocked_text
    return text


def legend_line(entries: Sequence[tuple[str, str]]) -> str:
    """A one-line colour key for a title: ``■ name`` per (name, colour), names escaped."""
    return "   ".join(f"<span style='color:{color}'>■</span> {plain_text(name)}" for name, color in entries)


def map_panels(
    maps: Sequence[np.ndarray],
    query_labels: Sequence[Sequence[str]],
    key_labels: Sequence[Sequence[str]],
    panel_titles: Sequence[str],
    title: str,
    style: Style = Style(),
    hover_names: tuple[str, str, str] = ("query", "key", "weight"),
    columns: int | None = None,
    subtitle: str = "",
) -> go.Figure:
    """Attention maps side by side (or in a grid) on one 0–max colour scale.

    Args:
        maps: one ``(q_len, k_len)`` array per panel.
        query_labels, key_labels: one label list per panel (rows, columns).
        columns: panels per row (default: all in one row).
    """
    n = len(maps)
    cols = columns or n
    rows = -(-n // cols)
    zmax = max(max(float(np.max(m)) for m in maps), 1e-9)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[plain_text(t) for t in panel_titles],
                        horizontal_spacing=0.1, vertical_spacing=0.16 if rows > 1 else 0.0)
    longest = max(max(len(q), len(k)) for q, k in zip(query_labels, key_labels))
    show = longest <= 40
    for i, (m, q, k) in enumerate(zip(maps, query_labels, key_labels)):
        r, c = divmod(i, cols)
        fig.add_trace(heatmap_trace(m, q, k, style, zmax, hover_names, coloraxis="coloraxis", show_values=False),
                      row=r + 1, col=c + 1)
        fig.update_xaxes(lesson_axis(k, hover_names[1], style, 10, show), tickangle=-60, row=r + 1, col=c + 1)
        fig.update_yaxes(lesson_axis(q, hover_names[0] if c == 0 else "", style, 10, show), autorange="reversed",
                         row=r + 1, col=c + 1)
    fig.update_layout(coloraxis={"colorscale": style.weight_scale, "cmin": 0.0, "cmax": zmax,
                                 "colorbar": {"thickness": 10, "title": {"text": plain_text(hover_names[2])}}})
    cell = cell_size(longest * max(cols, 1) / 2, 380, 5, 30)
    per_row = cell * max(len(q) for q in query_labels) + 150
    return lesson_layout(fig, title, style, height=per_row * rows + 70, top=100, subtitle=subtitle)
