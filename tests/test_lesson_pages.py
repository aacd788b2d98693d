"""The five lesson pages under Streamlit's AppTest: draw, move every widget, survive any input.

The model is chosen from ``app.services.models.list_models()`` (toy-reverse when it is
shipped), so the tests do not depend on one particular model. The language
is the session's (``lang`` in session state), as in the app: the tests do not
patch ``app.i18n.current_language`` — a module that imports it by name while it is
patched (``app.ui.choices`` is imported once per process) would keep the patch and
give every later test of the process the wrong language.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from streamlit.testing.v1 import AppTest

import app.i18n
from app.services import models as state
from core.tokenizer import clean_text
from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")
PAGES = ["masks", "scaled_attention", "positional", "multihead", "architecture"]


def pick_model() -> tuple[str, str]:
    """(model name, a sentence in its source language): toy-reverse if shipped, else the first model."""
    models = state.list_models()
    if not models:
        pytest.skip("no model in pretrained/")
    chosen = next((m for m in models if m.name == "toy-reverse"), models[0])
    return chosen.name, (chosen.examples[0] if chosen.examples else "a b c d e")


@pytest.fixture
def lang(request):
    """The interface language of the test: "en", or the ``indirect`` parameter."""
    return getattr(request, "param", "en")


def open_page(page: str, text: str | None = None, lang: str = "en", model: str | None = None) -> AppTest:
    """Start the app, switch to ``app_pages/<page>.py`` and run it with ``text`` in the shared box."""
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.session_state["lang"] = lang
    name, example = pick_model()
    at.session_state["model"] = model or name
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    boxes = [box for box in at.text_input if box.key == "text"]
    if not boxes:  # the architecture page, or a page whose model is missing or broken
        return at
    return boxes[0].set_value(example if text is None else text).run()


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def titles(at: AppTest) -> list[str]:
    return [c["layout"].get("title", {}).get("text", "") for c in charts(at)]


def chart_with(at: AppTest, *parts: str) -> dict:
    found = [c for c in charts(at) if all(p in c["layout"].get("title", {}).get("text", "") for p in parts)]
    assert found, (parts, titles(at))
    return found[0]


# ------------------------------------------------------------------------ masks
def test_masks_page_draws_masks_and_the_four_stages(lang):
    at = open_page("masks")
    ok(at)
    assert at.title[0].value.startswith("Masks")
    assert at.text_input(key="masks_second").placeholder  # the automatic partner sentence
    specs = charts(at)
    assert len(specs) == 4  # three-mask diagram + one stage figure per attention kind
    assert "may attend" in specs[0]["layout"]["title"]["text"] and "blocked" in specs[0]["layout"]["title"]["text"]
    stage_titles = titles(at)[1:]
    for kind in ("Encoder self-attention", "Masked decoder self-attention", "Encoder–decoder attention"):
        assert any(kind in t and "layer 1" in t and "head 1" in t for t in stage_titles), stage_titles
    # one of the two sentences is padded: its diagram row holds <pad> tick labels
    assert "&lt;pad&gt;" in json.dumps(specs[0])
    checks = [c.value for c in at.caption if c.value.startswith("Check:")]
    assert len(checks) == 3 and all("largest weight after it: 0." in c for c in checks)


def test_masks_page_widgets_move_and_redraw(lang):
    at = open_page("masks")
    at.segmented_control(key="masks_layer").set_value(2).run()
    at.segmented_control(key="masks_head").set_value(3).run()
    at.segmented_control(key=f"masks_sentence_{at.session_state['lang']}").set_value(1).run()
    ok(at)
    stage = chart_with(at, "Masked decoder self-attention", "layer 2", "head 3", "sentence 2")
    heatmaps = [d for d in stage["data"] if d["type"] == "heatmap"]
    assert len(heatmaps) == 5  # four stages + the −∞ overlay
    at.toggle(key="masks_numbers").set_value(False).run()
    ok(at)
    stage = chart_with(at, "Masked decoder self-attention", "layer 2")
    assert not any(d.get("texttemplate") == "%{text}" and d.get("coloraxis") for d in stage["data"])
    at.text_input(key="masks_second").set_value("a b c d e f g h i j k l m n o p").run()
    ok(at)
    assert "n" in json.dumps(charts(at)[0]["layout"])  # the typed partner shows up as tick labels
    assert at.text_input(key="text").value  # the user's sentence is kept
    at.text_input(key="text").set_value("b c d").run()
    ok(at)
    assert at.text_input(key="text").value == "b c d"
    assert '"d"' in json.dumps(charts(at)[0]["layout"]) and not any("Type a sentence" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["ko"], indirect=True)
def test_masks_page_in_korean(lang):
    at = open_page("masks", lang="ko")
    ok(at)
    assert at.title[0].value.startswith("마스킹")
    assert any("레이어 1" in t and "헤드 1" in t for t in titles(at))


# ------------------------------------------------------------ scaled dot-product
def test_scaled_page_demo_and_real_model(lang):
    at = open_page("scaled_attention")
    ok(at)
    assert len(charts(at)) == 7  # look-up plane, bars, histogram, example, curves, scoring grid, real head
    assert chart_with(at, "Encoder self-attention", "layer 1", "head 1")
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Answer Σ weight × value"]) == pytest.approx(16.59, abs=0.01)  # 30°, ‖q‖ = 2
    assert metrics["Largest weight (mean)"].startswith("0.8")  # d_k = 64 unscaled → scaled


def test_scaled_page_dk_slider_saturates_the_unscaled_softmax(lang):
    at = open_page("scaled_attention")
    low_max = float(next(m.value for m in at.metric if m.label == "Largest weight (mean)").split(" → ")[0])
    at.select_slider(key="scaled_dk").set_value(1024).run()
    ok(at)
    unscaled, scaled = (float(x) for x in next(m.value for m in at.metric if m.label == "Largest weight (mean)").split(" → "))
    assert unscaled > low_max and unscaled > 0.9 and scaled < 0.4
    assert chart_with(at, "d_k = 1024")
    at.slider(key="scaled_angle").set_value(90).run()
    at.slider(key="scaled_length").set_value(10.0).run()
    ok(at)
    assert float(next(m.value for m in at.metric if m.label.startswith("Answer"))) == pytest.approx(20.0, abs=0.2)
    at.segmented_control(key="scaled_layer").set_value(2).run()
    at.segmented_control(key="scaled_head").set_value(2).run()
    ok(at)
    assert chart_with(at, "Encoder self-attention", "layer 2", "head 2")


# ------------------------------------------------------------ positional encoding
def test_positional_page_formula_and_model(lang):
    at = open_page("positional")
    ok(at)
    assert at.select_slider(key="positional_d_model").value == 512
    translator = state.get_translator(state.find_model(at.session_state["model"]))
    assert at.slider(key="positional_length").value == min(translator.config.max_positions, 1024)
    assert len(charts(at)) == 6  # curves, table, similarity, profile, the model's rows, the model's table
    curves = chart_with(at, "Sinusoidal positional encoding", "d_model = 512")
    assert len(curves["data"]) == 2 * len(at.multiselect(key="positional_dims").value)
    assert any("largest difference 0.0e+00" in m.value or "largest difference" in m.value for m in at.markdown)


def test_positional_page_widgets_move(lang):
    at = open_page("positional")
    at.multiselect(key="positional_dims").set_value([0, 100, 300]).run()
    at.select_slider(key="positional_d_model").set_value(64).run()  # 100 and 300 no longer exist
    ok(at)
    assert at.multiselect(key="positional_dims").value == [0]
    at.slider(key="positional_length").set_value(300).run()
    at.slider(key="positional_reference").set_value(10).run()
    ok(at)
    assert chart_with(at, "PE(10)·PE(j)", "d_model = 64")
    assert chart_with(at, "Sinusoidal positional encoding", "d_model = 64", "300 positions")


# ------------------------------------------------------------------ multi-head
def test_multihead_page_heads_projections_and_output(lang):
    at = open_page("multihead")
    ok(at)
    translator = state.get_translator(state.find_model(at.session_state["model"]))
    heads = translator.config.n_heads
    assert len(charts(at)) == 7
    qkv = chart_with(at, "Q, K, V", f"d_k = {translator.config.d_head}")
    assert len([d for d in qkv["data"] if d["type"] == "heatmap"]) == 3 * heads
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == heads  # one habit per head
    assert any("largest difference here" in m.value for m in at.markdown)


def test_multihead_page_kind_and_layer(lang):
    at = open_page("multihead")
    at.segmented_control(key=f"multihead_kind_{at.session_state['lang']}").set_value("cross").run()
    at.segmented_control(key="multihead_layer").set_value(2).run()
    ok(at)
    assert chart_with(at, "Encoder–decoder attention", "layer 2", "every head")
    assert any("memory" in c.value for c in at.caption)
    at.segmented_control(key=f"multihead_kind_{at.session_state['lang']}").set_value("decoder_self").run()
    ok(at)
    assert chart_with(at, "Masked decoder self-attention", "layer 2")


# ---------------------------------------------------------------- architecture
def test_architecture_page_tables_and_links(lang):
    at = open_page("architecture")
    ok(at)
    model = at.session_state["model"]
    hp = at.table[0].value
    assert model in hp.columns and "paper: base" in hp.columns and "paper: big" in hp.columns
    counts = at.table[1].value
    assert counts.iloc[-1, 0] == "total"
    translator = state.get_translator(state.find_model(model))
    assert counts[model].iloc[-1] == f"{sum(p.numel() for p in translator.model.parameters()):,}"
    assert any("exactly its real parameter counts" in c.value for c in at.caption)
    assert chart_with(at, "Share of parameters")
    links = at.get("page_link")
    assert len(links) >= 10
    assert any(link.proto.label.startswith(("→ Masks", "→ 마스킹")) and not link.proto.query_string for link in links)


def test_architecture_link_opens_the_explorer_tab(lang):
    """Each explorer link carries its view in the query string; opening it shows that view."""
    at = open_page("architecture")
    ok(at)
    cross_title = app.i18n.translate("kind.cross", lang)
    links = [link for link in at.get("page_link") if link.proto.label.endswith(cross_title)]
    assert links, [link.proto.label for link in at.get("page_link")]
    params = urllib.parse.parse_qs(links[0].proto.query_string)
    assert params == {f"section_{lang}": [cross_title]}
    explorer = AppTest.from_file(MAIN, default_timeout=180)
    explorer.session_state["model"] = at.session_state["model"]
    for key, (value,) in params.items():
        explorer.query_params[key] = value
    explorer.query_params["lang"] = {"en": "English", "ko": "한국어"}[lang]
    explorer.run()
    ok(explorer)
    assert explorer.session_state["section"] == "cross"


# ------------------------------------------------------------ all pages, any input
@pytest.mark.parametrize("lang", ["en", "ko"], indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_both_languages(page, lang):
    at = open_page(page, lang=lang)
    ok(at)
    assert at.title and charts(at)
    assert not at.error


HOSTILE = ["", "   ", "😀 👩‍👩‍👧", "<b>x</b> <script>alert(1)</script>", "$x^2$", "a\x00b\x1b[31m", "word " * 2000, "\x00\x01"]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda s: repr(s[:12]))
@pytest.mark.parametrize("page", ["masks", "multihead", "scaled_attention", "positional"])
def test_any_input_gives_a_message_or_a_lesson_never_a_traceback(page, text, lang):
    at = open_page(page, text=text)
    ok(at)
    assert at.text_input(key="text").value == text  # nothing the user typed is lost
    if not text.strip():
        assert any("Type a sentence" in i.value for i in at.info)
    elif not clean_text(text):  # only control characters
        assert any("no characters to translate" in w.value for w in at.warning)
    elif len(text) > 5000:
        assert any("only the first" in w.value for w in at.warning)
    for element in at.markdown:
        assert "<script>" not in element.value
    ticks = [tick for spec in charts(at) for name, axis in spec["layout"].items()
             if name.startswith(("xaxis", "yaxis")) for tick in axis.get("ticktext", [])]
    assert not any("<" in tick for tick in ticks)  # token labels are escaped: <b>, <s>, <pad> show as text
    if clean_text(text) and len(text) < 5000 and page in ("masks", "multihead"):
        assert any("&lt;/s&gt;" in tick for tick in ticks)


# ------------------------------------------------------------ no model / broken model
def test_pages_without_any_model(monkeypatch, lang):
    monkeypatch.setattr(state, "list_models", lambda *a, **k: [])
    for page in PAGES:
        at = AppTest.from_file(MAIN, default_timeout=180).run()
        at.switch_page(f"app_pages/{page}.py").run()
        ok(at)
        if page in ("masks", "multihead"):
            assert at.error and "No model found" in at.error[0].value
        else:  # the formula parts of these lessons need no model
            assert charts(at) and not at.error
    assert len(charts(at)) == 1  # architecture: the paper models' parameter shares


def test_pages_with_a_broken_model(monkeypatch, lang):
    monkeypatch.setattr(state, "model_error", lambda model: "model.safetensors is truncated; restore it")
    for page in PAGES:
        at = open_page(page)
        ok(at)
        assert any("truncated" in e.value for e in at.error), page
        if page in ("scaled_attention", "positional", "architecture"):
            assert charts(at), page  # everything that does not need the model still works


# ------------------------------------------------------------ slides from every lesson page
@pytest.mark.parametrize("page", PAGES)
def test_every_lesson_chart_downloads_at_slide_size_and_is_offered_for_export(page, lang):
    at = open_page(page, lang=lang)
    ok(at)
    drawn = at.get("plotly_chart")
    assert drawn
    for chart in drawn:
        options = json.loads(chart.proto.config)["toImageButtonOptions"]
        assert round(options["width"] * options["scale"]) >= 1920, options
    shelf_key = {"scaled_attention": "scaled"}.get(page, page)
    names = [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in drawn]
    assert all(name.startswith(f"{shelf_key}_") for name in names), names  # page and chart in the name
    assert len(set(names)) == len(names)
    assert not [r for r in at.radio if r.key == f"export_{shelf_key}_what"]  # closed: the panel's widgets are not built
    at.session_state[f"export_{shelf_key}_open"] = True  # the reader opens "Export for slides"
    at.run()
    what = at.radio(key=f"export_{shelf_key}_what")
    assert len(what.options) == len(drawn)  # every chart of the page, by its title
