"""Every page in a real browser, in English and in Korean: it renders, without an exception, and is screenshotted."""

from __future__ import annotations

import urllib.parse

import pytest

from app.i18n import LANGUAGES, translate
from tests.apptest_support import shipped_models
from tests.browser_support import (
    chromium_page,
    requires_chromium,
    running_app,
    screenshot,
    wait_for_app,
)

pytestmark = requires_chromium

PAGES = [
    ("", "explorer.title"),  # the explorer is the app's home page: "/"
    ("masks", "nav.masks"),
    ("scaled-attention", "nav.scaled"),
    ("positional-encoding", "nav.positional"),
    ("multi-head", "nav.multihead"),
    ("training", "nav.training"),
    ("ablations", "nav.ablations"),
    ("seq2seq", "nav.seq2seq"),
    ("architecture", "nav.architecture"),
]


@pytest.fixture(scope="module")
def app_url(hf_folders):
    """One server for the module; ``$ATTENTION_LAB_MODELS`` adds the tiny Hugging Face models."""
    root = next(iter(hf_folders.values())).parent
    with running_app(env={"ATTENTION_LAB_MODELS": str(root)}) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_renders_in_both_languages(app_url, lang):
    model, sentence = shipped_models()[0]
    with chromium_page(height=2600, locale="ko-KR" if lang == "ko" else "en-US") as page:
        for path, title_key in PAGES:
            # the Training page needs a model that ships a timeline (the letters toy)
            params = {"model": "toy-reverse"} if path == "training" else {"model": model, "text": sentence}
            query = urllib.parse.urlencode({**params, "lang": LANGUAGES[lang]})
            page.goto(f"{app_url}/{path}?{query}")
            wait_for_app(page)
            page.wait_for_timeout(300)
            wait_for_app(page)
            assert page.locator('[data-testid="stException"]').count() == 0, f"{path}: exception shown"
            # a wrong address runs the home page under Streamlit's "Page not found" dialog
            assert page.get_by_text("Page not found").count() == 0, f"/{path} is not a page of the app"
            heading = page.locator("h1").first.inner_text()
            assert heading, path
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert translate(title_key if title_key != "explorer.title" else "nav.explorer", lang) in nav
            if path:
                assert page.locator(".js-plotly-plot").count() >= 1, f"{path}: no chart drawn"
            screenshot(page, f"page-{path or 'explorer'}-{lang}")


def test_language_switch_on_a_lesson_page_keeps_sentence_and_page(app_url):
    model, sentence = shipped_models()[0]
    with chromium_page(height=1200) as page:
        page.goto(f"{app_url}/masks?" + urllib.parse.urlencode({"model": model, "text": sentence}))
        wait_for_app(page)
        page.get_by_text("한국어", exact=True).click()
        wait_for_app(page)
        page.wait_for_function("() => location.search.includes('lang=')", timeout=30_000)
        assert "/masks" in page.url and "lang=한국어" in urllib.parse.unquote_plus(page.url)
        assert page.get_by_role("textbox").first.input_value() == sentence
        assert translate("nav.masks", "ko") in page.locator('[data-testid="stSidebarNav"]').inner_text()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_seq2seq_page_draws_its_charts_and_puts_the_test_set_in_the_address_bar(app_url, lang):
    sentence = "Two young girls are playing soccer in a park."
    query = urllib.parse.urlencode({"model": "multi30k-en-de", "text": sentence, "lang": LANGUAGES[lang]})
    with chromium_page(height=6500, locale="ko-KR" if lang == "ko" else "en-US") as page:
        page.goto(f"{app_url}/seq2seq?{query}")
        wait_for_app(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert translate("seq2seq.title", lang) in page.locator("h1").first.inner_text()
        page.get_by_role("radio", name="test_2017_flickr", exact=True).click()
        page.wait_for_function("() => location.search.includes('s2s_test=test_2017_flickr')", timeout=30_000)
        wait_for_app(page)
        assert page.get_by_text("test_2017_flickr", exact=False).count() >= 1
        assert page.get_by_role("textbox").first.input_value() == sentence  # nothing the user typed is lost
        screenshot(page, f"seq2seq-{lang}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_hugging_face_model_opens_in_the_explorer(app_url, hf_folders, lang):
    name = hf_folders["marian"].name
    sentence = "A man in a blue shirt rides a bike."
    query = urllib.parse.urlencode({"model": name, "text": sentence, "lang": LANGUAGES[lang]})
    with chromium_page(height=2400, locale="ko-KR" if lang == "ko" else "en-US") as page:
        page.goto(f"{app_url}/?{query}")  # the explorer is the default page
        wait_for_app(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "Hugging Face · marian" in sidebar.inner_text()
        sidebar.get_by_text(translate("model.card", lang), exact=True).click()
        page.wait_for_timeout(300)
        card = sidebar.inner_text()
        assert "2 + 2" in card and translate("model.published_by", lang).format(who="the test suite") in card
        title = page.locator(".js-plotly-plot").nth(1).locator(".gtitle").text_content()
        assert name in title
        assert f"model={name}" in urllib.parse.unquote_plus(page.url)
        screenshot(page, f"hf-explorer-{lang}")
        page.goto(f"{app_url}/masks?" + urllib.parse.urlencode({"model": hf_folders["t5"].name, "text": sentence, "lang": LANGUAGES[lang]}))
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "T5" in page.locator('[data-testid="stAlert"]').first.inner_text()
        screenshot(page, f"hf-t5-masks-{lang}")
