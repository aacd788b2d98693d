"""Switching model keeps the sentence only if it fits the new model's language; a wrong script gets a hint."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import translate
from app.services.languages import fits_language
from tests.apptest_support import MAIN, ROOT, assert_no_exception, new_app, shipped_models

MODELS = {name for name, _ in shipped_models()}
needs_models = pytest.mark.skipif(not {"multi30k-en-de", "toy-reverse"} <= MODELS, reason="needs the en-de and toy models")


@pytest.mark.parametrize(
    "text,language,fits",
    [
        ("A dog runs through the snow.", "en", True),
        ("Ein Hund läuft durch den Schnee.", "de", True),
        ("나는 어제 친구와 영화를 봤다.", "en", False),
        ("나는 어제 친구와 영화를 봤다.", "ko", True),
        ("BTS 노래를 좋아해요.", "ko", True),  # a name in Latin letters inside Korean
        ("A dog runs.", "ko", False),
        ("a b c d e", "toy", True),
        ("A dog runs.", "toy", False),
        ("😀 2024 !!", "en", True),  # no letters: nothing to complain about
        ("😀 2024 !!", "ko", True),
    ],
)
def test_fits_language(text, language, fits):
    assert fits_language(text, language) is fits


@needs_models
def test_switching_model_loads_a_fitting_sentence_and_keeps_one_that_fits():
    at = new_app("multi30k-en-de", "A dog runs through the snow.")
    at.selectbox(key="model").set_value("toy-reverse").run()
    assert_no_exception(at)
    toy_example = at.session_state["text"]
    assert fits_language(toy_example, "toy") and toy_example != "A dog runs through the snow."
    at.selectbox(key="model").set_value("multi30k-en-de").run()
    # Letters a–t are Latin script, but the toy's example is no English sentence: the English example replaces it.
    assert at.session_state["text"] != toy_example and fits_language(at.session_state["text"], "en")
    english_example = at.session_state["text"]
    at.selectbox(key="model").set_value("toy-reverse").run()
    at.text_input(key="text").set_value("s t o p").run()  # typed by the user: not one of the toy's examples
    at.selectbox(key="model").set_value("multi30k-en-de").run()
    assert at.session_state["text"] == "s t o p"  # what the user typed is never lost when it fits
    assert english_example
    if "multi30k-en-fr" in MODELS:
        at.text_input(key="text").set_value("Two dogs play.").run()
        at.selectbox(key="model").set_value("multi30k-en-fr").run()
        assert at.session_state["text"] == "Two dogs play."  # English fits English→French: kept


@needs_models
def test_text_in_the_wrong_script_gets_a_hint_and_a_way_out():
    at = new_app("multi30k-en-de", "나는 어제 친구와 영화를 봤다.")
    assert_no_exception(at)
    hint = translate("input.wrong_script", "en", lang="English")
    assert any(hint in w.value for w in at.warning)
    at.button(key="load_example").click().run()
    assert fits_language(at.session_state["text"], "en")
    assert not any(hint in w.value for w in at.warning)


def test_copy_link_shows_the_current_view():
    model, sentence = shipped_models()[-1]  # not the default model, so ?model= stays in the link
    at = AppTest.from_file(MAIN, default_timeout=120)
    for key, value in {"model": model, "text": sentence, "layer": "2"}.items():
        at.query_params[key] = value
    at.run()
    assert_no_exception(at)
    assert not at.code  # the link is written when "Copy link" opens, not on every run
    at.session_state["copy_link_open"] = True
    at.run()
    codes = [c.value for c in at.code]
    assert any(f"model={model}" in c and "layer=2" in c and "text=" in c for c in codes), codes


def test_the_pickers_headline_is_the_pooled_score_and_chrf_for_korean():
    """The sidebar's one number: the pooled test set's beam score, chrF where the target is Korean."""
    from app.services import models as model_service
    from app.ui.sidebar import model_caption

    entries = {e.name: e for e in model_service.list_models()}
    for name, metric in (("ko-en", "BLEU"), ("en-ko", "chrF"), ("multi30k-en-de", "BLEU")):
        if name not in entries:
            continue
        rows = json.loads((ROOT / "pretrained" / name / "config.json").read_text(encoding="utf-8"))["metadata"]["bleu"]
        pooled = [r for r in rows if r["test"].startswith("pooled")] or [r for r in rows if r["test"] == rows[0]["test"]]
        beam = next(r for r in pooled if r["decoding"].startswith("beam"))
        expected = beam["chrf"] if metric == "chrF" else beam["bleu"]
        assert entries[name].score == (metric, pytest.approx(expected)), name
        assert f"{metric} {expected:.1f}" in model_caption(entries[name])
