"""Figures of the masks lesson (pure Plotly): which cells may attend, and the
four stages scores → masked scores (−∞) → softmax weights (exact zeros).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.figures.common import (
    ALLOWED_COLOR,
    BLOCKED_COLOR,
    MAX_NUMBER_CELLS,
    NEG_INF,
    SCORE_SCALE,
    Style,
    cell_size,
    hover_customdata,
    legend_line,
    lesson_axis,
    lesson_layout,
    number_text,
    plain_text,
)
from app.lessons.masks import MaskStages, SentenceMasks


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
            fig.update_xaxes(lesson_axis(k_labels, axis_names[1] if r == rows - 1 else "", style, 10, show), tickangle=-60, row=r + 1, col=c + 1)
            fig.update_yaxes(lesson_axis(q_labels, axis_names[0] if c == 0 else "", style, 10, show), autorange="reversed", row=r + 1, col=c + 1)
    cell = cell_size(longest, 300, 6, 26)
    fig = lesson_layout(fig, "", style, height=rows * (cell * longest + 130) + 80, top=110)
    key = legend_line([(legend[0], ALLOWED_COLOR), (legend[1], BLOCKED_COLOR)])
    fig.update_layout(title={"text": f"{plain_text(title)}<br><span style='font-size:0.8em'>{key}</span>", "font": style.font(15)})
    return fig


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
        return {"text": number_text(values, fmt, hide, hidden), "texttemplate": "%{text}", "textfont": text_font}

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
            fig.update_xaxes(lesson_axis(k_labels, axis_names[1], style, 10, show), tickangle=-60, row=row, col=col)
            fig.update_yaxes(lesson_axis(q_labels, axis_names[0] if col == 1 else "", style, 10, show and col == 1),
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
        coloraxis4={"colorscale": style.weight_scale, "cmin": 0.0, "cmax": 1.0, "colorbar": colorbar(2, 2)},
    )
    full_title = f"{plain_text(title)}<br><span style='font-size:0.8em'>{legend_line([(blocked_name, BLOCKED_COLOR)])}</span>"
    cell = cell_size(longest, 400, 7, 34)
    fig = lesson_layout(fig, "", style, height=2 * (cell * len(q_labels) + 130) + 80, top=110)
    fig.update_layout(title={"text": full_title, "font": style.font(15)})
    return fig
