"""Figures of the "Before the Transformer" page (pure Plotly: data in, figure out).

One colour per model on every chart: the bottleneck RNN orange, the RNN with
Bahdanau attention green, the Transformer blue (Okabe–Ito, colour-blind safe).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import Style, lesson_layout, plain_text

MODEL_COLORS = {"rnn": "#E69F00", "bahdanau": "#009E73", "transformer": "#0072B2"}
LAYER_COLORS = {"self_attention": "#0072B2", "recurrent": "#E69F00", "convolutional": "#CC79A7", "restricted": "#56B4E9"}


def context_vector(vector: np.ndarray, title: str, style: Style = Style(), columns: int = 32,
                   hover: tuple[str, str] = ("number", "value"), subtitle: str = "") -> go.Figure:
    """The bottleneck's one summary vector ``c`` drawn as a grid of cells (row-major), −1 … 1 (tanh)."""
    v = np.asarray(vector, dtype=np.float64).ravel()
    rows = -(-len(v) // columns)
    grid = np.full(rows * columns, np.nan)
    grid[: len(v)] = v
    index = np.arange(rows * columns).reshape(rows, columns)
    fig = go.Figure(go.Heatmap(
        z=grid.reshape(rows, columns), customdata=index, zmin=-1.0, zmax=1.0, colorscale="RdBu", reversescale=True,
        hovertemplate=f"{plain_text(hover[0])} %{{customdata}}<br>{plain_text(hover[1])} %{{z:.3f}}<extra></extra>",
        colorbar={"thickness": 10}, xgap=1, ygap=1))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return lesson_layout(fig, title, style, height=max(180, 26 * rows + 110), top=80, subtitle=subtitle)


def readable_numbers(lengths: Sequence[int], series: dict[str, tuple[str, Sequence[int]]], current: int, title: str,
                     style: Style = Style(), axes: tuple[str, str] = ("source length", "numbers"),
                     subtitle: str = "") -> go.Figure:
    """Numbers about the source a decoder can read, against the sentence length.

    ``series``: model key → (legend label, one count per length); ``current`` marks the user's sentence.
    """
    fig = go.Figure()
    for key, (label, values) in series.items():
        fig.add_trace(go.Scatter(x=list(lengths), y=list(values), mode="lines", name=plain_text(label),
                                 line={"color": MODEL_COLORS.get(key, "#000000"), "width": 3}))
    fig.add_vline(x=current, line={"dash": "dash", "color": "#D55E00", "width": 2})
    fig.update_layout(xaxis={"title": plain_text(axes[0])}, yaxis={"title": plain_text(axes[1]), "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.25})
    return lesson_layout(fig, title, style, height=380, top=80, bottom=40, subtitle=subtitle)


def bleu_by_length(buckets: Sequence[dict], models: dict[str, tuple[str, str]], title: str, style: Style = Style(),
                   axes: tuple[str, str, str] = ("source words", "BLEU", "% of its BLEU on the shortest"),
                   panel_titles: tuple[str, str] = ("BLEU", "relative to the shortest sentences"),
                   sentences_label: str = "{n} sentences", subtitle: str = "") -> go.Figure:
    """sacreBLEU per source-length bucket, one line per model: absolute (left) and as a
    percentage of the model's own BLEU on the shortest bucket (right), so the shapes compare.

    Args:
        buckets: the rows of ``core.seq2seq.length_buckets`` (``label``, ``sentences``, ``bleu`` per model).
        models: table name → (colour key, legend label), in drawing order.
    """
    x = [f"{b['label']}<br>{plain_text(sentences_label.format(n=b['sentences']))}" for b in buckets]
    fig = make_subplots(rows=1, cols=2, subplot_titles=[plain_text(t) for t in panel_titles], horizontal_spacing=0.08)
    for name, (key, label) in models.items():
        y = [b["bleu"].get(name) for b in buckets]
        first = y[0] or 1e-9
        relative = [None if v is None else 100 * v / first for v in y]
        line = {"color": MODEL_COLORS.get(key, "#000000"), "width": 3}
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers+text", name=plain_text(label), legendgroup=key, line=line,
                                 text=[f"{v:.1f}" if v is not None else "" for v in y], textposition="top center",
                                 marker={"size": 8}), row=1, col=1)
        fig.add_trace(go.Scatter(x=x, y=relative, mode="lines+markers", name=plain_text(label), legendgroup=key,
                                 line=line, marker={"size": 8}, showlegend=False,
                                 hovertemplate="%{y:.0f} %<extra></extra>"), row=1, col=2)
    for col in (1, 2):
        fig.update_xaxes(title_text=plain_text(axes[0]), type="category", row=1, col=col)
    fig.update_yaxes(title_text=plain_text(axes[1]), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=plain_text(axes[2]), rangemode="tozero", ticksuffix=" %", row=1, col=2)
    fig.add_hline(y=100, line={"dash": "dot", "color": "#888888", "width": 1}, row=1, col=2)
    fig.update_layout(legend={"orientation": "h", "y": -0.3})
    return lesson_layout(fig, title, style, height=450, top=90, bottom=50, subtitle=subtitle)


def operations_by_length(lengths: np.ndarray, series: dict[str, tuple[str, np.ndarray]], current: int, title: str,
                         style: Style = Style(), axes: tuple[str, str] = ("n", "operations per layer"),
                         subtitle: str = "") -> go.Figure:
    """Table 1's complexity per layer against n (log scale), one line per layer type."""
    fig = go.Figure()
    for key, (label, values) in series.items():
        fig.add_trace(go.Scatter(x=lengths.tolist(), y=np.asarray(values).tolist(), mode="lines", name=plain_text(label),
                                 line={"color": LAYER_COLORS.get(key, "#000000"), "width": 3}))
    fig.add_vline(x=current, line={"dash": "dash", "color": "#D55E00", "width": 2})
    fig.update_layout(xaxis={"title": plain_text(axes[0])}, yaxis={"title": plain_text(axes[1]), "type": "log"},
                      legend={"orientation": "h", "y": -0.25})
    return lesson_layout(fig, title, style, height=400, top=80, bottom=40, subtitle=subtitle)


def encoder_wall_time(lengths: Sequence[int], series: dict[str, tuple[str, Sequence[float]]], title: str,
                      style: Style = Style(), axes: tuple[str, str] = ("source length", "milliseconds"),
                      subtitle: str = "") -> go.Figure:
    """Measured milliseconds of one encoder pass against the source length, one line per encoder."""
    fig = go.Figure()
    for key, (label, values) in series.items():
        fig.add_trace(go.Scatter(x=list(lengths), y=list(values), mode="lines+markers", name=plain_text(label),
                                 line={"color": MODEL_COLORS.get(key, "#000000"), "width": 3}, marker={"size": 8}))
    fig.update_layout(xaxis={"title": plain_text(axes[0])}, yaxis={"title": plain_text(axes[1]), "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.25})
    return lesson_layout(fig, title, style, height=400, top=80, bottom=40, subtitle=subtitle)
