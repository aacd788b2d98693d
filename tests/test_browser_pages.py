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
    ("explorer", "explorer.title"),
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
def app_url():
    with running_app() as url:
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
            heading = page.locator("h1").first.inner_text()
            assert heading, path
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert translate(title_key if title_key != "explorer.title" else "nav.explorer", lang) in nav
            if path != "explorer":
                assert page.locator(".js-plotly-plot").count() >= 1, f"{path}: no chart drawn"
            screenshot(page, f"page-{path}-{lang}")


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
