"""Shareable links: Streamlit's ``bind="query-params"`` restores the view from the URL.

Bound widgets write their option *label* into the URL; the app labels the
options of bound controls the same in every language (``English``/``한국어``,
model folder names, numbers), and gives controls with translated labels one
parameter per language (``section_ko``). Later reruns writing the URL back
are checked in a real browser (tests/test_browser_explorer.py): AppTest does
not report query-parameter changes of reruns.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.i18n import translate
from tests.apptest_support import MAIN, assert_no_exception, shipped_models


def app_with_query(**params: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def flat(at: AppTest) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}


def test_link_restores_model_sentence_decoding_kind_layer_head_and_language():
    model, sentence = shipped_models()[-1]  # not the default model, so ?model= must take effect
    cross_ko = translate("kind.cross", "ko")
    at = app_with_query(lang="한국어", model=model, text=sentence, beam="3", section_ko=cross_ko, layer="2", head="3")
    assert_no_exception(at)
    assert at.session_state["lang"] == "ko" and at.title[0].value == "어텐션 탐색기"
    assert at.session_state["model"] == model
    assert at.text_input(key="text").value == sentence
    assert at.session_state["beam"] == 3
    assert at.session_state["section"] == "cross"
    assert at.segmented_control(key="layer").value == 2
    assert at.segmented_control(key="head").value == 3
    charts = at.get("plotly_chart")
    assert "인코더–디코더 어텐션 · 레이어 2 · 헤드 3" in charts[1].proto.spec
    # the link's values stay in the address bar (none of them is a default)
    assert flat(at) == {"lang": "한국어", "model": model, "text": sentence, "beam": "3", "section_ko": cross_ko, "layer": "2", "head": "3"}


def test_display_options_and_average_come_from_the_link():
    model, sentence = shipped_models()[0]
    at = app_with_query(text=sentence, hide_special="true", merge_words="true", colorscale="Viridis", avg_heads="true")
    assert_no_exception(at)
    assert at.session_state["hide_special"] is True and at.session_state["merge_words"] is True
    assert at.session_state["colorscale"] == "Viridis" and at.session_state["avg_heads"] is True
    charts = at.get("plotly_chart")
    assert "Viridis" in charts[1].proto.spec or '"colorscale"' in charts[1].proto.spec
    assert "average" in charts[1].proto.spec


def test_bad_link_values_fall_back_leave_the_address_bar_and_say_so():
    at = app_with_query(lang="xx", model="no-such-model", beam="lots", layer="99", head="-1", section_en="nope")
    assert_no_exception(at)
    assert at.session_state["lang"] == "en"
    assert at.session_state["model"] in [m for m, _ in shipped_models()]
    assert at.session_state["beam"] == 1
    assert at.segmented_control(key="layer").value == 1
    assert at.segmented_control(key="head").value == 1
    assert flat(at) == {}  # every bad value is gone from the address bar: it shows what is displayed
    toasts = " ".join(t.value for t in at.toast)
    for shown in ("model=no-such-model", "beam=lots", "layer=99", "head=-1", "lang=xx"):
        assert shown in toasts, (shown, toasts)
