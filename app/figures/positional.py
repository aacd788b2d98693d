"""Figures of the positional-encoding lesson (pure Plotly): the sine/cosine
curves, the position × dimension table, and how similar two positions' codes are (§3.5).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from app.figures.common import (
    SCALED_COLOR,
    SCORE_SCALE,
    UNSCALED_COLOR,
    Style,
    lesson_axis,
    lesson_layout,
    plain_text,
)


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
    return lesson_layout(fig, title, style, height=440, top=70, bottom=60, subtitle=subtitle)


def pe_heatmap(table: np.ndarray, title: str, style: Style = Style(), x_title: str = "dimension", y_title: str = "position",
               max_cells: int = 240, row_labels: Sequence[str] | None = None) -> go.Figure:
    """Positions (rows, first at the top) × dimensions (columns), −1 … 1.

    Large tables are thinned to at most ``max_cells`` rows and columns: every
    k-th row, and every k-th *pair* of dimensions with both its sine (2i) and
    its cosine (2i+1) column, so no row ever looks blank (position 0 is all
    cosines: 0, 1, 0, 1 …). The axes keep the true indices. With
    ``row_labels`` the rows are labelled by token instead of by number.
    """
    from app.lessons.positional import stride

    n_pos, d = table.shape
    rs, ps = stride(n_pos, max_cells), stride(max(d // 2, 1), max(max_cells // 2, 1))
    rows = np.arange(0, n_pos, rs)
    pairs = np.arange(0, (d + 1) // 2, ps)
    cols = np.sort(np.concatenate([2 * pairs, 2 * pairs + 1]))
    cols = cols[cols < d]
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
        fig.update_yaxes(lesson_axis(labels, y_title, style, 11), autorange="reversed")
    else:
        fig.update_yaxes(title=plain_text(y_title), autorange="reversed", showgrid=False)
    height = 440 if row_labels is None else int(np.clip(28 * len(rows) + 140, 260, 900))
    return lesson_layout(fig, title, style, height=height, top=60)


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
    return lesson_layout(fig, title, style, height=480, top=70, subtitle=subtitle)


def pe_profile(profile: np.ndarray, reference: int, title: str, style: Style = Style(),
               x_title: str = "position j", y_title: str = "PE(i)·PE(j)", subtitle: str = "") -> go.Figure:
    """One row of the similarity matrix: how alike each position is to ``reference``."""
    fig = go.Figure(go.Scatter(x=np.arange(len(profile)), y=profile, mode="lines", line={"color": SCALED_COLOR}))
    fig.add_vline(x=reference, line={"color": UNSCALED_COLOR, "dash": "dash"})
    fig.update_xaxes(title=plain_text(x_title))
    fig.update_yaxes(title=plain_text(y_title))
    return lesson_layout(fig, title, style, height=480, top=70, subtitle=subtitle)
