"""Figures of the architecture lesson (pure Plotly): where a model's parameters
are, next to the paper's base and big models (Table 3).
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from app.figures.common import Style, lesson_layout, plain_text


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
    return lesson_layout(fig, title, style, height=360, top=60, bottom=40)
