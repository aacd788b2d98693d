"""Shareable links: query parameters restore the view; the view is written back to the URL."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest_support import MAIN, assert_no_exception, shipped_models


def app_with_query(**params: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_link_restores_model_sentence_decoding_kind_layer_head_and_language():
    model, sentence = shipped_models()[0]
    at = app_with_query(lang="ko", model=model, text=sentence, beam="3", section="cross", layer="2", head="3")
    assert_no_exception(at)
    assert at.session_state["lang"] == "ko" and at.title[0].value == "어텐션 탐색기"
    assert at.session_state["model"] == model
    assert at.text_input(key="text").value == sentence
    assert at.session_state["beam"] == 3
    assert at.session_state["section"] == "cross"
    assert at.segmented_control(key="layer").value == 2
    assert at.segmented_control(key="head").value == 3
    charts = [c for tab in at.tabs for c in tab.get("plotly_chart")]
    assert "인코더–디코더 어텐션 · 레이어 2 · 헤드 3" in charts[1].proto.spec


def test_state_is_written_back_to_the_url():
    """The first run writes the whole view (restored values and defaults) into the URL.

    (Later reruns are checked in a real browser in tests/test_browser_explorer.py:
    AppTest does not report query-parameter changes of reruns of an st.navigation app.)
    """
    model, sentence = shipped_models()[0]
    at = app_with_query(model=model, text=sentence, head="avg")
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}
    assert flat == {
        "lang": "en", "model": model, "text": sentence, "beam": "1", "section": "encoder_self", "layer": "1", "head": "avg"
    }


def test_bad_link_values_fall_back_to_defaults():
    at = app_with_query(lang="xx", model="no-such-model", beam="lots", layer="99", head="-1", section="nope")
    assert_no_exception(at)
    assert at.session_state["lang"] == "en"
    assert at.session_state["model"] == shipped_models()[0][0] or at.session_state["model"] in [m for m, _ in shipped_models()]
    assert at.session_state["beam"] == 1
    assert at.segmented_control(key="layer").value == 1
