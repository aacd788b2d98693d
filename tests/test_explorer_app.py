"""The explorer page under Streamlit's AppTest: every model, tab, selector and option."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import load_translator
from tests.apptest_support import ROOT, assert_no_exception, new_app, shipped_models

SECTIONS = [
    "Encoder self-attention",
    "Masked decoder self-attention",
    "Encoder–decoder attention",
    "Step through decoding",
    "Head statistics",
    "Attention rollout",
]


def large_figure(at) -> dict:
    """The selected head's large heatmap of the open tab, as a Plotly dict."""
    return json.loads(at.get("plotly_chart")[1].proto.spec)


CODES = dict(zip(SECTIONS, ["encoder_self", "decoder_self", "cross", "steps", "stats", "rollout"]))


def open_section(at, label: str):
    at.segmented_control(key="section_en").set_value(CODES[label])
    return at.run()


def charts_in_open_tab(at):
    """Charts of the chosen view (only that view is drawn)."""
    return len(at.get("plotly_chart"))


def view_labels(at) -> list[str]:
    return list(at.segmented_control(key=f"section_{at.session_state['lang']}").options)  # the shown labels


@pytest.mark.parametrize("model,sentence", shipped_models())
def test_translate_and_visit_every_section(model, sentence):
    at = new_app(model, sentence)
    assert_no_exception(at)
    assert at.text_input(key="text").value == sentence
    assert view_labels(at) == SECTIONS
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Source tokens" in html and "&lt;/s&gt;" in html  # token chips, escaped
    # Encoder tab: head grid + selected head; the overview only once its expander is open
    assert charts_in_open_tab(at) == 2
    at.session_state["overview_open_encoder_self"] = True
    at.run()
    assert_no_exception(at)
    assert charts_in_open_tab(at) == 3
    for label in SECTIONS[1:3]:
        open_section(at, label)
        assert_no_exception(at)
        assert charts_in_open_tab(at) == 2
    open_section(at, "Step through decoding")
    assert_no_exception(at)
    assert charts_in_open_tab(at) == 3  # top-5 bars, cross row, self row
    if at.slider:
        at.slider(key="step").set_value(2).run()
        assert_no_exception(at)
        assert "Step 2" in at.markdown[0].value
    open_section(at, "Head statistics")
    assert_no_exception(at)
    assert len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert len(table) > 0 and table.shape[1] == 7
    at.selectbox(key="stats_metric_en").set_value("previous_token").run()
    at.segmented_control(key="stats_kind_en").set_value("cross").run()
    assert_no_exception(at)
    open_section(at, "Attention rollout")
    assert_no_exception(at)
    assert charts_in_open_tab(at) == 2
    assert any("not an explanation" in w.value for w in at.warning)


def test_layer_head_and_display_options_only_redraw():
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence)
    open_section(at, "Encoder–decoder attention")
    at.segmented_control(key="layer").set_value(2).run()
    at.segmented_control(key="head").set_value(3).run()
    assert_no_exception(at)
    title = large_figure(at)["layout"]["title"]["text"]
    assert "Encoder–decoder attention · layer 2 · head 3" in title



@pytest.mark.parametrize("option", ["hide_special", "merge_words", "row_labels_en", "show_values", "dark"])
def test_display_options(option):
    model, sentence = shipped_models()[0]
    plain = new_app(model, sentence, section_en="cross")
    at = new_app(model, sentence, section_en="cross", **{option: "predicted" if option == "row_labels_en" else True})
    assert_no_exception(at)
    before, after = large_figure(plain), large_figure(at)
    if option == "merge_words":
        res = load_translator(ROOT / "pretrained" / model).translate(sentence)
        assert len(after["layout"]["xaxis"]["ticktext"]) == len(res.source_words)
        assert len(after["layout"]["yaxis"]["ticktext"]) == len(res.target_words)
        return
    assert before != after  # the option changed what is drawn
    if option == "hide_special":
        assert "&lt;/s&gt;" in before["layout"]["xaxis"]["ticktext"]
        assert "&lt;/s&gt;" not in after["layout"]["xaxis"]["ticktext"]
    if option == "show_values":
        assert after["data"][0]["texttemplate"] == "%{z:.2f}"
    if option == "row_labels_en":  # by default rows read "<s> → Die"; here only what they predicted
        assert before["layout"]["yaxis"]["ticktext"][0].startswith("&lt;s&gt; → ")
        assert "→" not in after["layout"]["yaxis"]["ticktext"][0]
        assert "predicted" in after["layout"]["yaxis"]["title"]["text"]
    if option == "dark":
        assert after["layout"]["template"]["layout"]["paper_bgcolor"] == "rgb(17,17,17)"


def test_colour_scale_option():
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence, colorscale="Viridis")
    assert large_figure(at)["data"][0]["colorscale"][0][1].lower() == "#440154"  # Viridis' first colour


def test_beam_search_setting():
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence, beam=4)
    assert_no_exception(at)
    assert charts_in_open_tab(at) == 2  # head grid + selected head (the overview expander is closed)


HOSTILE = [
    "",
    "   ",
    "word " * 2000,
    "go " * 500,
    "😀 👩‍👩‍👧 🏳️‍🌈",
    "שלום עולם مرحبا",
    "a\x00b\x01c\x1b[31m",
    "<script>alert(1)</script>",
    "<b>x</b> <br>",
    "$x^2$",
    "{{7*7}}",
    "'; DROP TABLE x; --",
    "한국어 English 漢字 mixed",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda s: repr(s[:12]) + (f"…({len(s)} chars)" if len(s) > 12 else ""))
def test_hostile_input_gives_a_message_or_a_result_and_keeps_the_text(text):
    model, _ = shipped_models()[0]
    at = new_app(model, text)
    assert_no_exception(at)
    assert at.text_input(key="text").value == text  # nothing the user typed is lost
    if not text.strip():
        assert any("Type a sentence" in i.value for i in at.info)
    elif len(text) > 5000:
        assert any("only the first" in w.value for w in at.warning)
    else:
        assert len(view_labels(at)) == 6
    for element in at.markdown:
        assert "<script>" not in element.value


def test_korean_interface():
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence, lang="ko")
    assert_no_exception(at)
    assert at.title[0].value == "어텐션 탐색기"
    assert view_labels(at)[0] == "인코더 셀프 어텐션"
    assert "인코더 셀프 어텐션 · 레이어 1" in large_figure(at)["layout"]["title"]["text"]
    stats = new_app(model, sentence, lang="ko", section_ko="stats")
    assert_no_exception(stats)
    assert len(stats.dataframe) == 1 and "엔트로피 (비트)" in stats.dataframe[0].value.columns


def test_a_long_sentence_is_shown_through_a_window_never_as_an_empty_grid():
    from app.lessons.explorer_view import WINDOW

    model, _ = shipped_models()[0]
    long_text = " ".join(["A dog runs through the snow and a man in a red hat watches it."] * 12)
    at = new_app(model, long_text)
    assert_no_exception(at)
    grid, large = (json.loads(c.proto.spec) for c in at.get("plotly_chart")[:2])
    assert len(large["layout"]["yaxis"]["ticktext"]) == WINDOW and len(large["layout"]["xaxis"]["ticktext"]) == WINDOW
    assert any("too long to draw every cell" in i.value for i in at.info)
    first = large["layout"]["yaxis"]["ticktext"][0]
    at.slider(key="rows_from").set_value(11).run()
    assert_no_exception(at)
    moved = json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["yaxis"]["ticktext"]
    assert moved[0] != first and len(moved) == WINDOW
    assert any("queries 11–58" in i.value for i in at.info)


def test_window_view_crops_weights_and_labels_together(tiny_translator):
    from app.lessons.explorer_view import attention_view, window_view

    res = tiny_translator.translate("A man in a blue shirt is riding a bike.")
    view = attention_view(res, "encoder_self")
    cropped, window = window_view(view, row_start=2, col_start=99, size=4)
    assert cropped.query_labels == view.query_labels[2:6]
    assert window.col_start == len(view.key_labels) - 4  # clamped to the end
    np.testing.assert_array_equal(cropped.weights, view.weights[..., 2:6, window.col_start:])
    assert window.cropped


@pytest.mark.parametrize("kind", ["decoder_self", "cross"])
def test_decoder_rows_are_labelled_input_arrow_prediction_by_default(kind):
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence, section_en=kind)
    assert_no_exception(at)
    res = load_translator(ROOT / "pretrained" / model).translate(sentence)
    rows = large_figure(at)["layout"]["yaxis"]
    assert rows["ticktext"][0] == f"&lt;s&gt; → {res.output_tokens[0]}"
    assert rows["ticktext"][-1].endswith("→ &lt;/s&gt;") or not res.finished
    assert "the token it predicts" in rows["title"]["text"]


def test_the_export_panel_is_built_only_when_open_and_keeps_its_choices():
    """Closed, "Export for slides" is one element (no widgets built on each re-draw);
    what the reader chose in it is still chosen when it opens again, without a warning."""
    at = new_app("multi30k-en-de", "A dog runs through the snow.")
    assert_no_exception(at)
    assert not [w for w in at.segmented_control if w.key == "export_format"]
    at.session_state["export_open"] = True
    at.run()
    at.segmented_control(key="export_format").set_value("svg").run()
    at.checkbox(key="export_with_caption").uncheck().run()
    at.session_state["export_open"] = False  # closed …
    at.run()
    assert not [w for w in at.segmented_control if w.key == "export_format"]
    at.segmented_control(key="head").set_value(3).run()  # … across re-draws and a view switch
    open_section(at, "Encoder–decoder attention")
    at.session_state["export_open"] = True  # … and opened again
    at.run()
    assert_no_exception(at)
    assert at.segmented_control(key="export_format").value == "svg"
    assert at.checkbox(key="export_with_caption").value is False
    assert not at.warning, [w.value for w in at.warning]


def test_an_edited_export_caption_survives_closing_the_panel():
    at = new_app("multi30k-en-de", "A dog runs through the snow.")
    at.session_state["export_open"] = True
    at.run()
    box = next(b for b in at.text_input if b.key.startswith("export_caption_"))
    box.input("My caption for slide 3").run()
    at.session_state["export_open"] = False
    at.run()
    at.run()
    at.session_state["export_open"] = True
    at.run()
    assert_no_exception(at)
    assert next(b for b in at.text_input if b.key.startswith("export_caption_")).value == "My caption for slide 3"
