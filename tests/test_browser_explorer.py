"""The explorer in a real browser: Chromium (Debian) driven by Playwright, app on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from app.i18n import LANGUAGES, translate
from tests.apptest_support import ROOT, shipped_models
from tests.browser_support import (
    chromium_page,
    requires_chromium,
    running_app,
    screenshot,
    wait_for_app,
)

pytestmark = requires_chromium


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def open_explorer(page, url: str, model: str, text: str, lang: str = "en") -> None:
    query = urllib.parse.urlencode({"model": model, "text": text, "lang": LANGUAGES[lang]})
    page.goto(f"{url}/?{query}")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=60_000)


def hover_text(page, chart_index: int, fx: float, fy: float) -> str:
    """Hover at a fraction (fx, fy) of a chart's plotting area and return the tooltip text."""
    plot = page.locator(".js-plotly-plot").nth(chart_index)
    plot.scroll_into_view_if_needed()
    box = plot.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
    return page.locator(".hoverlayer .hovertext").first.text_content()


def chart_titles_include(page, text: str, timeout: int = 30_000) -> bool:
    """Whether some chart title on the page contains ``text``, waiting for the charts to draw.

    Plotly draws each chart after the script run ends, one after another: the
    first heatmap on screen does not mean the large one below it has its title.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "text => [...document.querySelectorAll('.js-plotly-plot .gtitle')].some(e => e.textContent.includes(text))",
            arg=text, timeout=timeout,
        )
        return True
    except PlaywrightTimeout:
        print("chart titles:", page.locator(".js-plotly-plot .gtitle").all_text_contents())
        return False


@pytest.mark.parametrize("model,sentence", shipped_models())
def test_type_sentence_see_heatmaps_hover_and_step(app_url, model, sentence):
    with chromium_page() as page:
        open_explorer(page, app_url, model, "a b")
        box = page.get_by_role("textbox", name="Sentence to translate")
        box.fill(sentence)
        box.press("Enter")
        page.wait_for_timeout(500)
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .heatmaplayer")
        assert page.get_by_role("textbox", name="Sentence to translate").input_value() == sentence
        # The large single-head heatmap is the 2nd chart of the tab; hover its top-left cell.
        tip = hover_text(page, 1, 0.02, 0.02)
        assert "query:" in tip and "key:" in tip and "weight:" in tip
        assert "(#0)" in tip
        screenshot(page, f"explorer-{model}")

        page.get_by_role("radio", name="Encoder–decoder attention").click()
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .heatmaplayer")
        tip = hover_text(page, 1, 0.02, 0.02)
        assert "query: &lt;s&gt;" not in tip and "query: <s>" in tip  # decoder rows start with <s>, shown literally
        screenshot(page, f"explorer-{model}-cross")

        page.get_by_role("radio", name="Step through decoding").click()
        wait_for_app(page)
        slider = page.get_by_role("slider", name="Generation step")
        if slider.count():
            slider.focus()
            slider.press("ArrowRight")
            wait_for_app(page)
            page.wait_for_function("() => document.body.innerText.includes('Step 2:')", timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == 3
        screenshot(page, f"explorer-{model}-steps")


def test_markup_is_shown_literally(app_url):
    model, _ = shipped_models()[0]
    with chromium_page() as page:
        open_explorer(page, app_url, model, "<b>x</b> $x^2$ <script>alert(1)</script>")
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.wait_for_timeout(500)
        chips = page.locator(".al-chip").all_inner_texts()
        assert any("<b>" in c or "<script>" in c or "$x^2$" in c or "<" in c for c in chips)
        assert page.locator("b:text-is('x')").count() == 0  # <b> was not rendered as bold markup
        assert dialogs == []
        assert page.get_by_role("textbox", name="Sentence to translate").input_value() == "<b>x</b> $x^2$ <script>alert(1)</script>"


def test_link_restores_view_and_language_switch_keeps_it(app_url):
    model, sentence = shipped_models()[-1]  # not the default model
    cross_ko = translate("kind.cross", "ko")
    with chromium_page(height=1000) as page:
        query = urllib.parse.urlencode(
            {"lang": "한국어", "model": model, "text": sentence, "section_ko": cross_ko, "layer": "2", "head": "3"}
        )
        page.goto(f"{app_url}/?{query}")
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .heatmaplayer")
        assert chart_titles_include(page, "인코더–디코더 어텐션 · 레이어 2 · 헤드 3")
        page.get_by_text("모든 헤드의 평균", exact=True).click()  # the large map: average of the heads
        wait_for_app(page)
        page.wait_for_function("() => location.search.includes('avg_heads=true')", timeout=30_000)
        url = urllib.parse.unquote_plus(page.url)
        assert "lang=한국어" in url and f"model={model}" in url and "layer=2" in url
        page.get_by_text("English", exact=True).click()
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .heatmaplayer")
        page.wait_for_function("() => location.search.includes('section_en=')", timeout=30_000)
        url = urllib.parse.unquote_plus(page.url)
        assert "lang=" not in url  # English is this browser's default
        assert "section_en=Encoder–decoder attention" in url and "layer=2" in url and "avg_heads=true" in url
        assert page.get_by_role("textbox", name="Sentence to translate").input_value() == sentence
        assert chart_titles_include(page, "Encoder–decoder attention · layer 2 · average")
        page.reload()  # the address bar is the view
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .heatmaplayer")
        assert chart_titles_include(page, "Encoder–decoder attention · layer 2 · average")


def test_clicking_an_overview_thumbnail_opens_it_large(app_url):
    model, sentence = shipped_models()[0]
    with chromium_page(height=1800) as page:
        open_explorer(page, app_url, model, sentence)
        page.get_by_text("All layers at once").click()
        wait_for_app(page)
        overview = page.locator(".js-plotly-plot").nth(2)
        overview.scroll_into_view_if_needed()
        cells = overview.locator(".nsewdrag")
        config = json.loads((ROOT / "pretrained" / model / "config.json").read_text(encoding="utf-8"))
        heads = config["model"]["n_heads"]
        assert cells.count() == heads * config["model"]["n_decoder_layers"]
        target = cells.nth(heads + 1)  # subplots run row by row: second layer, second head
        box = target.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_for_app(page)
        page.wait_for_function("() => location.search.includes('layer=2') && location.search.includes('head=2')", timeout=30_000)
        assert chart_titles_include(page, "layer 2 · head 2")
