"""Pure Plotly chart builders for the lesson pages (no Streamlit).

They follow the conventions of ``app.charts``:

* attention-shaped matrices put **queries on rows and keys on columns**,
  the first query at the top, with positional axes and token tick text (so a
  repeated token keeps its own row and column);
* every label that can come from the user's text goes through
  ``plain_text`` (``<b>`` and ``$x$`` are shown literally);
* callers pass already-translated titles and axis names, so one builder
  serves English and Korean; titles name the attention kind, layer and head
  (or say that a chart is not about a model layer).

Colours: the mask lesson uses one colour for "may attend" and a clearly
different one for "blocked" — the same blocked colour marks −∞ in the score
panels, so "blocked" looks the same everywhere. Both are from the
Okabe–Ito palette, which colour-blind readers can tell apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.charts import Style, heatmap_trace, hover_customdata, plain_text
from app.lessons.masks import MaskStages, SentenceMasks
from app.lessons.scaled import Lookup, RealScaling, ScalingStats
from core import LayerTrace

ALLOWED_COLOR = "#0072B2"  # Okabe–Ito blue: may attend
BLOCKED_COLOR = "#E69F00"  # Okabe–Ito orange: blocked / −∞
SCORE_SCALE = "RdBu"  # diverging, white at 0, for signed scores and vectors
NEG_INF = "−∞"
SCALED_COLOR = "#0072B2"
UNSCALED_COLOR = "#D55E00"
MAX_NUMBER_CELLS = 12  # print numbers in cells only up to this many rows/columns


def _axis(labels: Sequence[str], title: str, style: Style, size: float = 11, show: bool = True) -> dict:
    """A positional axis 0…n−1 with the (escaped) token labels as tick text."""
    return {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [plain_text(lab) for lab in labels] if show else [""] * len(labels),
        "title": {"text": plain_text(title), "font": style.font(size)},
        "tickfont": style.font(size),
        "showgrid": False,
        "zeroline": False,
    }


def title_text(title: str, subtitle: str = "") -> str:
    """A chart title, escaped, with an optional smaller second line (so long titles fit half-width charts)."""
    if not subtitle:
        return plain_text(title)
    return f"{plain_text(title)}<br><span style='font-size:0.78em;font-weight:normal'>{plain_text(subtitle)}</span>"


def _layout(fig: go.Figure, title: str, style: Style, height: int, top: int = 70, bottom: int = 10,
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


def _cell_size(n: int, budget: float = 420, low: int = 10, high: int = 40) -> int:
    return int(np.clip(budget / max(n, 1), low, high))


# ------------------------------------------------------------------ masks
def mask_diagrams(
    sentences: Sequence[tuple[str, SentenceMasks]],
    panel_titles: tuple[str, str, str],
    title: str,
    style: Style = Style(),
    legend: tuple[str, str] = ("may attend", "blocked"),
    axis_names: tuple[str, str] = ("query", "key"),
) -> go.Figure:
    """Padding, look-ahead and decoder masks of each sentence of a batch.

    One row per sentence, three panels per row: the source padding mask
    (``src × src``), the look-ahead mask and the decoder's combined mask
    (``tgt × tgt``). Allowed cells are blue with ✓, blocked ones orange with ✗.

    Args:
        sentences: (row name, masks) per sentence of the batch.
        panel_titles: the three panel names.
        legend: names of the allowed / blocked colours.
    """
    rows = len(sentences)
    subplot_titles = [f"{plain_text(name)} · {plain_text(panel)}" for name, _ in sentences for panel in panel_titles]
    fig = make_subplots(rows=rows, cols=3, subplot_titles=subplot_titles, horizontal_spacing=0.06, vertical_spacing=0.16)
    discrete = [[0.0, BLOCKED_COLOR], [0.5, BLOCKED_COLOR], [0.5, ALLOWED_COLOR], [1.0, ALLOWED_COLOR]]
    longest = 1
    for r, (_, masks) in enumerate(sentences):
        panels = [
            (masks.padding, masks.source_tokens, masks.source_tokens),
            (masks.look_ahead, masks.target_tokens, masks.target_tokens),
            (masks.decoder, masks.target_tokens, masks.target_tokens),
        ]
        for c, (mask, q_labels, k_labels) in enumerate(panels):
            longest = max(longest, len(q_labels), len(k_labels))
            small = max(len(q_labels), len(k_labels)) <= 24
            marks = np.where(mask, "✓", "✗") if small else None
            state = np.where(mask, legend[0], legend[1])
            custom = hover_customdata(q_labels, k_labels)
            custom = np.concatenate([custom, state[..., None].astype(str)], axis=-1)
            fig.add_trace(
                go.Heatmap(
                    z=mask.astype(float),
                    x=list(range(len(k_labels))),
                    y=list(range(len(q_labels))),
                    colorscale=discrete,
                    zmin=0.0,
                    zmax=1.0,
                    showscale=False,
                    xgap=1,
                    ygap=1,
                    text=marks,
                    texttemplate="%{text}" if small else None,
                    textfont={"color": "white", "size": 11},
                    customdata=custom,
                    hovertemplate=(
                        f"{plain_text(axis_names[0])}: %{{customdata[0]}} (#%{{customdata[2]}})<br>"
                        f"{plain_text(axis_names[1])}: %{{customdata[1]}} (#%{{customdata[3]}})<br>%{{customdata[4]}}<extra></extra>"
                    ),
                ),
                row=r + 1,
                col=c + 1,
            )
            show = max(len(q_labels), len(k_labels)) <= 40
            fig.update_xaxes(_axis(k_labels, axis_names[1] if r == rows - 1 else "", style, 10, show), tickangle=-60, row=r + 1, col=c + 1)
            fig.update_yaxes(_axis(q_labels, axis_names[0] if c == 0 else "", style, 10, show), autorange="reversed", row=r + 1, col=c + 1)
    cell = _cell_size(longest, 300, 6, 26)
    fig = _layout(fig, "", style, height=rows * (cell * longest + 130) + 80, top=110)
    key = legend_line([(legend[0], ALLOWED_COLOR), (legend[1], BLOCKED_COLOR)])
    fig.update_layout(title={"text": f"{plain_text(title)}<br><span style='font-size:0.8em'>{key}</span>", "font": style.font(15)})
    return fig


def _number_text(values: np.ndarray, fmt: str, blocked: np.ndarray | None = None, blocked_text: str = "") -> np.ndarray:
    text = np.vectorize(lambda v: format(v, fmt))(values).astype(object)
    if blocked is not None:
        text[blocked] = blocked_text
    return text


def legend_line(entries: Sequence[tuple[str, str]]) -> str:
    """A one-line colour key for a title: ``■ name`` per (name, colour), names escaped."""
    return "   ".join(f"<span style='color:{color}'>■</span> {plain_text(name)}" for name, color in entries)


def mask_stage_panels(
    stages: MaskStages,
    panel_titles: tuple[str, str, str, str],
    title: str,
    style: Style = Style(),
    show_numbers: bool = True,
    axis_names: tuple[str, str] = ("query", "key"),
    value_names: tuple[str, str] = ("score", "weight"),
    blocked_name: str = "blocked (−∞)",
) -> go.Figure:
    """QKᵀ → QKᵀ/√d_k → masked → softmax for one head, as a 2 × 2 grid read like text (§3.2.1, §3.2.3).

    * ① ②: the scores on a diverging scale (white = 0), each with its colour bar;
    * ③: the same scaled scores with blocked cells replaced by −∞, drawn in
      the "blocked" colour (not a number on the scale; the colour key is in
      the title);
    * ④: the model's softmax weights; blocked cells print as exactly 0.

    Numbers are printed when ``show_numbers`` and the map is at most
    ``MAX_NUMBER_CELLS`` wide and tall. Rows are queries (first at the top).
    """
    q_labels, k_labels = stages.query_labels, stages.key_labels
    blocked = stages.blocked
    longest = max(len(q_labels), len(k_labels))
    numbers = show_numbers and longest <= MAX_NUMBER_CELLS
    fig = make_subplots(rows=2, cols=2, subplot_titles=[plain_text(t) for t in panel_titles],
                        horizontal_spacing=0.13, vertical_spacing=0.16 if longest <= 24 else 0.1)
    custom = hover_customdata(q_labels, k_labels)
    qn, kn = (plain_text(n) for n in axis_names)
    sn, wn = (plain_text(n) for n in value_names)
    where = f"{qn}: %{{customdata[0]}} (#%{{customdata[2]}})<br>{kn}: %{{customdata[1]}} (#%{{customdata[3]}})<br>"
    common = {"x": list(range(len(k_labels))), "y": list(range(len(q_labels))), "customdata": custom, "xgap": 1, "ygap": 1}
    text_font = style.font(9)

    def numbers_of(values: np.ndarray, fmt: str, hide: np.ndarray | None = None, hidden: str = "") -> dict:
        if not numbers:
            return {}
        return {"text": _number_text(values, fmt, hide, hidden), "texttemplate": "%{text}", "textfont": text_font}

    raw_max = float(np.abs(stages.raw).max()) or 1.0
    scaled_max = float(np.abs(stages.scaled).max()) or 1.0
    panels = [
        (1, 1, stages.raw, "coloraxis", numbers_of(stages.raw, ".1f"), f"{where}{sn}: %{{z:.3f}}<extra></extra>"),
        (1, 2, stages.scaled, "coloraxis2", numbers_of(stages.scaled, ".1f"), f"{where}{sn}: %{{z:.3f}}<extra></extra>"),
        (2, 1, np.where(blocked, np.nan, stages.scaled), "coloraxis3", numbers_of(stages.scaled, ".1f"), f"{where}{sn}: %{{z:.3f}}<extra></extra>"),
        (2, 2, stages.weights, "coloraxis4", numbers_of(stages.weights, ".2f", blocked, "0"), f"{where}{wn}: %{{z:.4f}}<extra></extra>"),
    ]
    for row, col, z, axis, text, hover in panels:
        fig.add_trace(go.Heatmap(z=z, coloraxis=axis, hovertemplate=hover, **text, **common), row=row, col=col)
    fig.add_trace(
        go.Heatmap(
            z=np.where(blocked, 1.0, np.nan),
            colorscale=[[0.0, BLOCKED_COLOR], [1.0, BLOCKED_COLOR]],
            showscale=False,
            text=np.where(blocked, NEG_INF, "").astype(object),
            texttemplate="%{text}" if longest <= 24 else None,
            textfont={**style.font(10), "color": "black"},
            hovertemplate=f"{where}{sn}: {NEG_INF}<extra></extra>",
            name=plain_text(blocked_name),
            **common,
        ),
        row=2,
        col=1,
    )
    show = longest <= 40
    for row in (1, 2):
        for col in (1, 2):
            fig.update_xaxes(_axis(k_labels, axis_names[1], style, 10, show), tickangle=-60, row=row, col=col)
            fig.update_yaxes(_axis(q_labels, axis_names[0] if col == 1 else "", style, 10, show and col == 1),
                             autorange="reversed", row=row, col=col)

    def colorbar(row: int, col: int) -> dict:
        index = (row - 1) * 2 + col
        xaxis = fig.layout[f"xaxis{'' if index == 1 else index}"]
        yaxis = fig.layout[f"yaxis{'' if index == 1 else index}"]
        return {"x": xaxis.domain[1] + 0.01, "xanchor": "left", "y": sum(yaxis.domain) / 2, "yanchor": "middle",
                "len": yaxis.domain[1] - yaxis.domain[0], "thickness": 10, "tickfont": style.font(9)}

    signed = {"colorscale": SCORE_SCALE, "cmid": 0.0}
    fig.update_layout(
        coloraxis={**signed, "cmin": -raw_max, "cmax": raw_max, "colorbar": colorbar(1, 1)},
        coloraxis2={**signed, "cmin": -scaled_max, "cmax": scaled_max, "colorbar": colorbar(1, 2)},
        coloraxis3={**signed, "cmin": -scaled_max, "cmax": scaled_max, "colorbar": colorbar(2, 1)},
        coloraxis4={"colorscale": style.colorscale, "cmin": 0.0, "cmax": 1.0, "colorbar": colorbar(2, 2)},
    )
    full_title = f"{plain_text(title)}<br><span style='font-size:0.8em'>{legend_line([(blocked_name, BLOCKED_COLOR)])}</span>"
    cell = _cell_size(longest, 400, 7, 34)
    fig = _layout(fig, "", style, height=2 * (cell * len(q_labels) + 130) + 80, top=110)
    fig.update_layout(title={"text": full_title, "font": style.font(15)})
    return fig


# ------------------------------------------------------- scaled dot-product
def lookup_plane(lookup: Lookup, names: Sequence[str], title: str, style: Style = Style(), query_name: str = "q",
                 subtitle: str = "") -> go.Figure:
    """Keys as labelled points (size ∝ weight), the query as an arrow from the origin."""
    theta = np.linspace(0, 2 * np.pi, 121)
    fig = go.Figure(go.Scatter(x=np.cos(theta), y=np.sin(theta), mode="lines", line={"color": "#bbbbbb", "dash": "dot"},
                               hoverinfo="skip", showlegend=False))
    labels = [f"{plain_text(n)} (v={v:g}) · {w:.0%}" for n, v, w in zip(names, lookup.values, lookup.weights)]
    fig.add_trace(
        go.Scatter(
            x=lookup.keys[:, 0], y=lookup.keys[:, 1], mode="markers+text", text=labels, textposition="top center",
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
    reach = max(1.6, float(np.abs(lookup.query).max()) + 0.6)
    fig.update_xaxes(range=[-reach, reach], zeroline=True, showgrid=False)
    fig.update_yaxes(range=[-reach, reach], zeroline=True, showgrid=False, scaleanchor="x")
    return _layout(fig, title, style, height=440, top=70, subtitle=subtitle)


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
    return _layout(fig, title, style, height=440, top=70, subtitle=subtitle)


def dot_histograms(stats: ScalingStats, names: tuple[str, str], title: str, style: Style = Style(), axis: str = "score",
                   subtitle: str = "") -> go.Figure:
    """Distribution of q·k and of q·k/√d_k over all random pairs, overlaid."""
    scaled = stats.dots / np.sqrt(stats.d_k)
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=stats.dots.ravel(), name=plain_text(names[0]), marker_color=UNSCALED_COLOR, opacity=0.6, nbinsx=60))
    fig.add_trace(go.Histogram(x=scaled.ravel(), name=plain_text(names[1]), marker_color=SCALED_COLOR, opacity=0.6, nbinsx=60))
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
    fig.update_xaxes(title=plain_text(axis))
    return _layout(fig, title, style, height=400, top=70, bottom=40, subtitle=subtitle)


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
    return _layout(fig, title, style, height=400, top=70, bottom=40, subtitle=subtitle)


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
    return _layout(fig, title, style, height=380, top=100)


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
                       text=_number_text(s, ".1f"), texttemplate="%{text}", textfont=style.font(9), showscale=False,
                       xgap=1, ygap=1, hovertemplate="%{y} · %{x}: %{z:.3f}<extra></extra>"),
            row=1, col=c,
        )
        fig.add_trace(heatmap_trace(weights[f], q_labels, k_labels, style, 1.0, (axis_names[0], axis_names[1], row_titles[1]),
                                    coloraxis="coloraxis", show_values=True), row=2, col=c)
        for r in (1, 2):
            fig.update_xaxes(_axis(k_labels, axis_names[1] if r == 2 else "", style, 10), row=r, col=c)
            fig.update_yaxes(_axis(q_labels, axis_names[0] if c == 1 else "", style, 10), autorange="reversed", row=r, col=c)
    fig.update_layout(coloraxis={"colorscale": style.colorscale, "cmin": 0.0, "cmax": 1.0, "colorbar": {"thickness": 10}})
    return _layout(fig, title, style, height=560, top=90)


def real_scaling_pair(real: RealScaling, query_labels: Sequence[str], key_labels: Sequence[str],
                      panel_titles: tuple[str, str], title: str, style: Style = Style(),
                      hover_names: tuple[str, str, str] = ("query", "key", "weight")) -> go.Figure:
    """A real head's softmax with the model's 1/√d_k and without it, on one 0–1 scale."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.08)
    for c, w in enumerate((real.weights_scaled, real.weights_unscaled), start=1):
        fig.add_trace(heatmap_trace(w, query_labels, key_labels, style, 1.0, hover_names, coloraxis="coloraxis"), row=1, col=c)
        show = max(len(query_labels), len(key_labels)) <= 40
        fig.update_xaxes(_axis(key_labels, hover_names[1], style, 10, show), tickangle=-60, row=1, col=c)
        fig.update_yaxes(_axis(query_labels, hover_names[0] if c == 1 else "", style, 10, show), autorange="reversed", row=1, col=c)
    fig.update_layout(coloraxis={"colorscale": style.colorscale, "cmin": 0.0, "cmax": 1.0, "colorbar": {"thickness": 10}})
    cell = _cell_size(max(len(query_labels), len(key_labels)), 380, 6, 34)
    return _layout(fig, title, style, height=cell * len(query_labels) + 190, top=90)


# ------------------------------------------------------- positional encoding
def pe_curves(table: np.ndarray, dims: Sequence[int], dim_names: Sequence[str], title: str, style: Style = Style(),
              x_title: str = "position", y_title: str = "value", subtitle: str = "") -> go.Figure:
    """PE(pos, dim) against pos for the chosen dimensions (§3.5).

    The encoding exists only at whole positions (the markers); the thin line
    through them is the same sine/cosine between positions, to show its wave.
    """
    from app.lessons.positional import continuous

    fig = go.Figure()
    positions = np.arange(table.shape[0])
    fine = np.linspace(0, table.shape[0] - 1, min(4000, 12 * table.shape[0]))
    d_model = table.shape[1]
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    for k, (d, name) in enumerate(zip(dims, dim_names)):
        color = palette[k % len(palette)]
        fig.add_trace(go.Scatter(x=fine, y=continuous(fine, d, d_model), mode="lines", line={"color": color, "width": 1},
                                 legendgroup=str(d), showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=positions, y=table[:, d], mode="markers", marker={"color": color, "size": 5},
                                 legendgroup=str(d), name=plain_text(name),
                                 hovertemplate=f"{plain_text(name)}<br>pos %{{x}}: %{{y:.3f}}<extra></extra>"))
    fig.update_xaxes(title=plain_text(x_title))
    fig.update_yaxes(title=plain_text(y_title), range=[-1.1, 1.1])
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "yanchor": "top"})
    return _layout(fig, title, style, height=440, top=70, bottom=60, subtitle=subtitle)


def pe_heatmap(table: np.ndarray, title: str, style: Style = Style(), x_title: str = "dimension", y_title: str = "position",
               max_cells: int = 240, row_labels: Sequence[str] | None = None) -> go.Figure:
    """Positions (rows, first at the top) × dimensions (columns), −1 … 1.

    Large tables are thinned to at most ``max_cells`` rows and columns (every
    k-th one; the axes keep the true indices). With ``row_labels`` the rows
    are labelled by token instead of by number.
    """
    from app.lessons.positional import stride

    rs, cs = stride(table.shape[0], max_cells), stride(table.shape[1], max_cells)
    rows, cols = np.arange(0, table.shape[0], rs), np.arange(0, table.shape[1], cs)
    shown = table[rows][:, cols]
    if row_labels is not None:
        y = list(range(len(rows)))
        labels = [row_labels[i] for i in rows]
    else:
        y = rows.tolist()
    fig = go.Figure(
        go.Heatmap(z=shown, x=cols.tolist(), y=y, colorscale=SCORE_SCALE, zmin=-1, zmax=1, zmid=0,
                   colorbar={"thickness": 10}, hovertemplate=f"{plain_text(y_title)} %{{y}} · {plain_text(x_title)} %{{x}}: %{{z:.3f}}<extra></extra>")
    )
    fig.update_xaxes(title=plain_text(x_title), showgrid=False)
    if row_labels is not None:
        fig.update_yaxes(_axis(labels, y_title, style, 11), autorange="reversed")
    else:
        fig.update_yaxes(title=plain_text(y_title), autorange="reversed", showgrid=False)
    height = 440 if row_labels is None else int(np.clip(28 * len(rows) + 140, 260, 900))
    return _layout(fig, title, style, height=height, top=60)


def pe_similarity(sim: np.ndarray, title: str, style: Style = Style(), axis_names: tuple[str, str] = ("position i", "position j"),
                  max_cells: int = 256, subtitle: str = "") -> go.Figure:
    """The matrix PE(i)·PE(j) (rows i, first at the top), thinned to ``max_cells``."""
    from app.lessons.positional import stride

    s = stride(sim.shape[0], max_cells)
    idx = np.arange(0, sim.shape[0], s)
    fig = go.Figure(
        go.Heatmap(z=sim[np.ix_(idx, idx)], x=idx.tolist(), y=idx.tolist(), colorscale="Viridis", colorbar={"thickness": 10},
                   hovertemplate=f"{plain_text(axis_names[0])} %{{y}} · {plain_text(axis_names[1])} %{{x}}: %{{z:.2f}}<extra></extra>")
    )
    fig.update_xaxes(title=plain_text(axis_names[1]), showgrid=False)
    fig.update_yaxes(title=plain_text(axis_names[0]), autorange="reversed", scaleanchor="x", showgrid=False)
    return _layout(fig, title, style, height=480, top=70, subtitle=subtitle)


def pe_profile(profile: np.ndarray, reference: int, title: str, style: Style = Style(),
               x_title: str = "position j", y_title: str = "PE(i)·PE(j)", subtitle: str = "") -> go.Figure:
    """One row of the similarity matrix: how alike each position is to ``reference``."""
    fig = go.Figure(go.Scatter(x=np.arange(len(profile)), y=profile, mode="lines", line={"color": SCALED_COLOR}))
    fig.add_vline(x=reference, line={"color": UNSCALED_COLOR, "dash": "dash"})
    fig.update_xaxes(title=plain_text(x_title))
    fig.update_yaxes(title=plain_text(y_title))
    return _layout(fig, title, style, height=480, top=70, subtitle=subtitle)


# ---------------------------------------------------------------- multi-head
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
            fig.update_yaxes(_axis(labels, "", style, 9, ticks), autorange="reversed", row=h + 1, col=c)
            fig.update_xaxes(showgrid=False, zeroline=False, tickfont=style.font(9),
                             title={"text": plain_text(axis_names[1]) if h == heads - 1 else "", "font": style.font(10)},
                             row=h + 1, col=c)
    fig.update_layout(coloraxis={"colorscale": SCORE_SCALE, "cmid": 0.0, "cmin": -span, "cmax": span, "colorbar": {"thickness": 10}})
    rows_px = max(len(trace.query_tokens), len(trace.key_tokens)) * 12 + 70
    return _layout(fig, title, style, height=int(heads * min(rows_px, 260) + 100), top=80)


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
    fig.update_yaxes(_axis(labels, axis_names[0], style, 10, len(labels) <= 40), autorange="reversed")
    fig.update_xaxes(title=plain_text(axis_names[1]), showgrid=False, zeroline=False)
    height = int(np.clip(18 * len(labels) + 150, 260, 760))
    return _layout(fig, title, style, height=height, top=90 if blocks else 60)


def head_share_heatmap(shares: np.ndarray, head_names: Sequence[str], query_labels: Sequence[str], title: str,
                       style: Style = Style(), axis_names: tuple[str, str, str] = ("head", "query", "share")) -> go.Figure:
    """``(heads, q_len)``: each head's share of the output at every query position (columns sum to 1)."""
    fig = go.Figure(heatmap_trace(shares, head_names, query_labels, style, max(float(shares.max()), 1e-9),
                                  (axis_names[0], axis_names[1], axis_names[2]), show_values=len(query_labels) <= 16))
    fig.update_xaxes(_axis(query_labels, axis_names[1], style, 10, len(query_labels) <= 40), tickangle=-60)
    fig.update_yaxes(_axis(head_names, axis_names[0], style, 10), autorange="reversed")
    return _layout(fig, title, style, height=130 + 34 * len(head_names), top=60)


def head_similarity_heatmap(sim: np.ndarray, head_names: Sequence[str], title: str, style: Style = Style(),
                            value_name: str = "cosine", subtitle: str = "") -> go.Figure:
    """``(heads, heads)`` cosine similarity of the heads' attention maps."""
    fig = go.Figure(heatmap_trace(sim, head_names, head_names, style, 1.0, ("", "", value_name), show_values=True))
    fig.update_xaxes(_axis(head_names, "", style, 10))
    fig.update_yaxes(_axis(head_names, "", style, 10), autorange="reversed", scaleanchor="x")
    return _layout(fig, title, style, height=190 + 40 * len(head_names), top=80, subtitle=subtitle)


# -------------------------------------------------------------- architecture
def parameter_shares(breakdowns: Mapping[str, Mapping[str, int]], component_names: Mapping[str, str], title: str,
                     style: Style = Style(), axis: str = "share of parameters") -> go.Figure:
    """One 100 % stacked bar per model: which components hold its parameters.

    Hover shows the absolute counts; bars are shares because the models
    differ in size by orders of magnitude.
    """
    models = list(breakdowns)
    fig = go.Figure()
    for comp, name in component_names.items():
        counts = [breakdowns[m].get(comp, 0) for m in models]
        totals = [max(sum(breakdowns[m].values()), 1) for m in models]
        if not any(counts):
            continue
        fig.add_trace(
            go.Bar(
                y=[plain_text(m) for m in models], x=[c / t for c, t in zip(counts, totals)], orientation="h",
                name=plain_text(name), customdata=counts,
                hovertemplate=f"{plain_text(name)}: %{{customdata:,}} (%{{x:.1%}})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.25, "yanchor": "top", "traceorder": "normal"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1], title=plain_text(axis))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, style, height=360, top=60, bottom=40)
