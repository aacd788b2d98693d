"""Chart builders: orientation, labels, shared colour scale, literal text — without Streamlit."""

from __future__ import annotations

import numpy as np
import pytest

from app.figures import common as common_figures
from app.figures import explorer as explorer_figures
from app.lessons.explorer_view import attention_view, with_average
from core import KIND_NAMES as KINDS
from tests.conftest import SENTENCES


@pytest.fixture(scope="module")
def result(tiny_translator):
    return tiny_translator.translate(SENTENCES[0])


def ticktext(axis) -> list[str]:
    return list(axis.ticktext)


@pytest.mark.parametrize("kind", KINDS)
def test_heatmap_rows_are_queries_and_columns_keys(result, kind):
    view = attention_view(result, kind)
    weights = view.weights[1, 2]
    fig = explorer_figures.attention_heatmap(weights, view.query_labels, view.key_labels, f"{kind} · layer 2 · head 3")
    trace = fig.data[0]
    assert np.array_equal(np.asarray(trace.z), weights)  # z[row=query][col=key]
    assert ticktext(fig.layout.yaxis) == [common_figures.plain_text(x) for x in view.query_labels]  # rows = query tokens
    assert ticktext(fig.layout.xaxis) == [common_figures.plain_text(x) for x in view.key_labels]  # columns = key tokens
    assert fig.layout.yaxis.autorange == "reversed"  # first query at the top
    assert "layer 2" in fig.layout.title.text and "head 3" in fig.layout.title.text
    # hover names the query (%{y} = its row's tick text) and key (%{x}) of each cell, and their positions
    assert "%{y} (#%{customdata[0]})" in trace.hovertemplate and "%{x} (#%{customdata[1]})" in trace.hovertemplate
    n_q, n_k = len(view.query_labels), len(view.key_labels)
    assert list(trace.customdata[n_q - 1][0]) == [n_q - 1, 0] and list(trace.customdata[0][n_k - 1]) == [0, n_k - 1]


def test_each_kind_uses_the_right_tokens(result):
    enc = attention_view(result, "encoder_self")
    assert enc.query_labels == enc.key_labels == result.source_tokens
    dec = attention_view(result, "decoder_self", row_labels="input")
    assert dec.query_labels == dec.key_labels == result.target_tokens
    cross = attention_view(result, "cross", row_labels="input")
    assert cross.query_labels == result.target_tokens and cross.key_labels == result.source_tokens
    assert cross.weights.shape[-2:] == (len(result.target_tokens), len(result.source_tokens))
    predicted = attention_view(result, "cross", row_labels="predicted")
    assert predicted.query_labels == result.output_tokens


@pytest.mark.parametrize("kind", ["cross", "decoder_self"])
def test_decoder_rows_say_by_default_what_they_read_and_what_they_predicted(result, kind):
    """Row t read input token t and produced output token t: ``<s> → first word`` (the
    Annotated Transformer's off-by-one, its issue #104, cannot happen)."""
    view = attention_view(result, kind)
    assert view.query_labels == [f"{a} → {b}" for a, b in zip(result.target_tokens, result.output_tokens)]
    assert view.query_labels[0] == f"<s> → {result.output_tokens[0]}"
    assert view.query_labels[-1].endswith(f"→ {result.output_tokens[-1]}")
    assert view.key_labels == (result.target_tokens if kind == "decoder_self" else result.source_tokens)
    hidden = attention_view(result, kind, hide_special=True)
    assert hidden.query_labels == view.query_labels[1:]  # only the row that read <s> goes


def test_repeated_tokens_keep_separate_cells():
    labels = ["a", "dog", "and", "a", "cat"]
    fig = explorer_figures.attention_heatmap(np.eye(5), labels, labels, "enc")
    assert list(fig.data[0].x) == [0, 1, 2, 3, 4]
    assert ticktext(fig.layout.xaxis) == labels


def test_head_grid_shares_one_colour_scale(result):
    view = attention_view(result, "encoder_self")
    panels = with_average(view.weights[0])
    titles = [f"head {h + 1}" for h in range(panels.shape[0] - 1)] + ["average"]
    fig = explorer_figures.head_grid(panels, view.query_labels, view.key_labels, "Encoder self-attention · layer 1", titles)
    assert len(fig.data) == panels.shape[0]
    assert {tr.coloraxis for tr in fig.data} == {"coloraxis"}
    assert fig.layout.coloraxis.cmax == pytest.approx(float(panels.max()))
    assert fig.layout.coloraxis.cmin == 0.0
    assert np.allclose(np.asarray(fig.data[-1].z), view.weights[0].mean(0))  # last panel = head average


def test_overview_has_one_panel_per_layer_and_head(result):
    view = attention_view(result, "cross")
    layers, heads = view.weights.shape[:2]
    fig = explorer_figures.layers_heads_overview(
        view.weights, "Encoder–decoder attention · all", [f"layer {i+1}" for i in range(layers)],
        [f"head {h+1}" for h in range(heads)], view.query_labels, view.key_labels,
    )
    assert len(fig.data) == layers * heads
    # trace k is layer k // heads, head k % heads
    assert np.array_equal(np.asarray(fig.data[heads + 1].z), view.weights[1, 1])


def test_user_text_is_shown_literally_not_as_markup_or_math():
    labels = ["<b>x</b>", "$x^2$", "<script>alert(1)</script>", "a&b"]
    fig = explorer_figures.attention_heatmap(np.full((4, 4), 0.25), labels, labels, "“<b>bold</b> $x$”")
    ticks = ticktext(fig.layout.xaxis)
    assert ticks[0] == "&lt;b&gt;x&lt;/b&gt;"
    assert ticks[1] == "\u200b$x^2$"  # a leading zero-width space stops LaTeX rendering
    assert "<script>" not in fig.layout.title.text and "&lt;b&gt;" in fig.layout.title.text
    assert ticktext(fig.layout.yaxis)[3] == "a&amp;b"  # the hover box shows the tick text


def test_weights_and_labels_must_match():
    with pytest.raises(ValueError, match="do not match"):
        explorer_figures.attention_heatmap(np.ones((2, 3)), ["a", "b"], ["a", "b"], "x")


def test_probability_bars_highlight_the_chosen_token():
    fig = explorer_figures.probability_bars(["Ein", "Der", "<b>"], [0.7, 0.2, 0.1], "Ein", "step 1")
    bar = fig.data[0]
    assert list(bar.x) == [0.7, 0.2, 0.1]
    assert bar.marker.color[0] != bar.marker.color[1]
    assert list(fig.layout.yaxis.ticktext) == ["Ein", "Der", "&lt;b&gt;"]


def test_statistic_heatmap_rows_are_layers_columns_heads():
    values = np.arange(6, dtype=float).reshape(2, 3)
    fig = explorer_figures.statistic_heatmap(values, "entropy", "entropy")
    assert list(fig.data[0].y) == ["layer 1", "layer 2"] and list(fig.data[0].x) == ["head 1", "head 2", "head 3"]


def test_dark_style_and_font_scale():
    style = common_figures.Style(dark=True, font_scale=2.0, colorscale="Greys")
    fig = explorer_figures.attention_heatmap(np.eye(2), ["a", "b"], ["a", "b"], "t", style)
    assert fig.layout.template.layout.paper_bgcolor != explorer_figures.attention_heatmap(np.eye(2), ["a", "b"], ["a", "b"], "t").layout.template.layout.paper_bgcolor
    assert fig.layout.font.size == 24
    assert "Noto Sans CJK KR" in fig.layout.font.family


def test_overview_click_markers_carry_layer_and_head(result):
    view = attention_view(result, "encoder_self")
    layers, heads = view.weights.shape[:2]
    fig = explorer_figures.layers_heads_overview(
        view.weights, "t", [f"l{i}" for i in range(layers)], [f"h{h}" for h in range(heads)],
        view.query_labels, view.key_labels, click_label="layer {layer} · head {head}",
    )
    markers = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(markers) == layers * heads
    assert {tuple(m.customdata[0]) for m in markers} == {(l + 1, h + 1) for l in range(layers) for h in range(heads)}
    n = len(view.query_labels) * len(view.key_labels)
    assert all(len(m.x) == n and m.marker.opacity == 0 for m in markers)


@pytest.mark.parametrize("rows,cols,panels,hs,vs,right", [(2, 5, 9, 0.03, 0.09, 1.0), (1, 4, 4, 0.03, 0.05, 1.0), (3, 8, 24, 0.012, 0.02, 0.98)])
def test_subplot_grid_places_panels_where_make_subplots_does(rows, cols, panels, hs, vs, right):
    from plotly.subplots import make_subplots

    reference = make_subplots(rows=rows, cols=cols, horizontal_spacing=hs, vertical_spacing=vs,
                              row_titles=["r"] * rows if right < 1 else None).layout
    layout, cells = common_figures.subplot_grid(rows, cols, panels, hs, vs, right)
    assert len(cells) == panels and sum(k.startswith("xaxis") for k in layout) == panels  # no axes for empty cells
    for p, cell in enumerate(cells):
        ref = reference.to_plotly_json()
        assert layout[cell.x_axis]["domain"] == pytest.approx(list(ref[cell.x_axis]["domain"]), abs=1e-9)
        assert layout[cell.y_axis]["domain"] == pytest.approx(list(ref[cell.y_axis]["domain"]), abs=1e-9)
        assert layout[cell.x_axis]["anchor"] == ref[cell.x_axis]["anchor"]


def test_head_grid_titles_panels_and_hover_ticks(result):
    view = attention_view(result, "encoder_self")
    panels = with_average(view.weights[0])  # 4 heads + average in the tiny model
    titles = [f"<i>head</i> {h}" for h in range(len(panels) - 1)] + ["average"]
    fig = explorer_figures.head_grid(panels, view.query_labels, view.key_labels, "grid", titles, columns=3, show_ticks=True)
    assert len(fig.data) == len(panels)
    layout = fig.layout.to_plotly_json()
    assert [a["text"] for a in layout["annotations"]] == [common_figures.plain_text(t) for t in titles]
    for p, trace in enumerate(fig.data):
        x_axis, y_axis = layout[trace.xaxis.replace("x", "xaxis")], layout[trace.yaxis.replace("y", "yaxis")]
        # every panel's axes carry the tokens (the hover box reads them) …
        assert x_axis["ticktext"] == [common_figures.plain_text(x) for x in view.key_labels]
        assert y_axis["ticktext"] == [common_figures.plain_text(x) for x in view.query_labels]
        # … but only the first column shows query labels and the lowest panel of each column key labels
        assert y_axis["showticklabels"] == (p % 3 == 0)
        assert x_axis["showticklabels"] == (p + 3 >= len(panels))
        # each title sits centred above its own panel
        title = layout["annotations"][p]
        assert title["x"] == pytest.approx(sum(x_axis["domain"]) / 2) and title["y"] == pytest.approx(y_axis["domain"][1])
    assert np.array_equal(np.asarray(fig.data[-1].z), panels[-1])


def test_compact_template_keeps_the_look_and_is_fresh_per_call():
    light, dark = common_figures.Style().template, common_figures.Style(dark=True).template
    assert light["layout"]["paper_bgcolor"] == "white" and dark["layout"]["paper_bgcolor"] == "rgb(17,17,17)"
    assert set(light["data"]) <= {"heatmap", "bar", "scatter"} and "scene" not in light["layout"]
    light["layout"]["paper_bgcolor"] = "red"
    assert common_figures.Style().template["layout"]["paper_bgcolor"] == "white"


def test_dark_charts_keep_zero_weight_dark():
    """On a dark page "Blues" would paint every near-zero cell almost white: a bright block."""
    weights = np.zeros((3, 3))
    light = explorer_figures.attention_heatmap(weights, list("abc"), list("abc"), "t", common_figures.Style())
    dark = explorer_figures.attention_heatmap(weights, list("abc"), list("abc"), "t", common_figures.Style(dark=True))
    assert light.data[0].colorscale[0][1] == "rgb(247,251,255)"  # Blues starts near white
    assert dark.data[0].colorscale[0][1] == "rgb(8,48,107)"  # reversed: zero is dark blue
    viridis = explorer_figures.attention_heatmap(weights, list("abc"), list("abc"), "t", common_figures.Style(colorscale="Viridis", dark=True))
    assert viridis.data[0].colorscale[0][1].lower() == "#440154"  # already dark at zero: unchanged


def test_token_labels_keep_a_gap_to_the_cells():
    fig = explorer_figures.attention_heatmap(np.eye(3), list("abc"), list("abc"), "t")
    assert fig.layout.yaxis.ticklabelstandoff >= 3 and fig.layout.xaxis.ticklabelstandoff >= 3


def test_merged_decoder_rows_list_what_each_piece_predicted(result):
    view = attention_view(result, "cross", merge=True)
    spans = result.target_words
    assert len(view.query_labels) == len(spans)
    for label, (a, b) in zip(view.query_labels, spans):
        assert label.endswith(" → " + " ".join(result.output_tokens[a:b]))  # no glued "##nd läuft"


@pytest.mark.parametrize("dark", [False, True])
def test_unvalidated_explorer_figures_are_valid_plotly_and_send_the_same_json(result, dark):
    """head_grid and attention_heatmap skip Plotly's validation for speed (common.UNVALIDATED):
    rebuilt *with* validation they must not raise, and the browser must get the same JSON."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    style = common_figures.Style(dark=dark)
    for kind in KINDS:
        view = attention_view(result, kind)
        panels = with_average(view.weights[1])
        titles = [f"head {h + 1}" for h in range(panels.shape[0] - 1)] + ["average"]
        figures = [
            explorer_figures.head_grid(panels, view.query_labels, view.key_labels, f"{kind} · layer 2", titles, style),
            explorer_figures.attention_heatmap(view.weights[1, 0], view.query_labels, view.key_labels, kind, style),
        ]
        for fig in figures:
            validated = go.Figure(fig.to_dict())  # raises on any invalid property or value
            assert json.loads(pio.to_json(validated, validate=False)) == json.loads(pio.to_json(fig, validate=False))



def _ready_figure_script(dark: bool) -> None:
    """An app drawing the same head grid and large map as ReadyFigure specs and as go.Figure."""
    import numpy as np
    import streamlit as st

    from app.figures import explorer as explorer_figures
    from app.figures.common import ReadyFigure, Style

    rng = np.random.default_rng(0)
    weights = rng.random((9, 6, 5))
    weights /= weights.sum(-1, keepdims=True)
    queries, keys = ["<s>", "Ein", "Hund", "läuft", ".", "</s>"], ["A", "dog", "runs", ".", "</s>"]
    args = [(weights, queries, keys, "Encoder–decoder attention · layer 2", [f"head {h}" for h in range(9)], Style(dark=dark)),
            (weights[0], queries, keys, "Encoder–decoder attention · layer 2 · head 1", Style(dark=dark))]
    for i, (spec_of, figure_of) in enumerate([(explorer_figures.head_grid_spec, explorer_figures.head_grid),
                                              (explorer_figures.attention_heatmap_spec, explorer_figures.attention_heatmap)]):
        st.plotly_chart(ReadyFigure(spec_of(*args[i])), key=f"ready{i}")
        st.plotly_chart(figure_of(*args[i]), key=f"figure{i}")


@pytest.mark.parametrize("dark", [False, True])
def test_a_ready_figure_sends_the_browser_the_json_of_the_validated_figure(dark):
    """The explorer hands head grid and large map to ``st.plotly_chart`` as ``ReadyFigure``
    specs: through Streamlit they must reach the browser as the same JSON as the figure
    built as ``go.Figure`` (and valid when Plotly validates it), on every rerun."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_ready_figure_script, args=(dark,), default_timeout=60)
    for _ in range(2):
        at.run()
        assert not at.exception
        sent = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        assert len(sent) == 4
        for ready, figure in (sent[0:2], sent[2:4]):
            assert ready == figure
            assert ready["data"] and ready["layout"]["title"]["text"].startswith("Encoder–decoder attention")
            validated = go.Figure(ready)  # raises on any invalid property or value
            assert json.loads(pio.to_json(validated, validate=False)) == ready
