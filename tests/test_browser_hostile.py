"""Hostile input typed into the text boxes of a real browser: no traceback, literal text, nothing lost."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.apptest_support import shipped_models
from tests.browser_support import (
    chromium_page,
    requires_chromium,
    running_app,
    screenshot,
    wait_for_app,
)

pytestmark = requires_chromium

HOSTILE = {
    "empty": "",
    "spaces": "     ",
    "ten-thousand": ("a b c d e f g h i j " * 500),
    "repeats": "go " * 500,
    "emoji-zwj": "😀 👩‍👩‍👧 🏳️‍🌈 family",
    "rtl": "שלום עולם مرحبا بالعالم",
    "control": "a\x01b\x07c\x1b[31m d",
    "script": "<script>alert(1)</script>",
    "markup": "<b>x</b> <br> y",
    "math": "$x^2$",
    "template": "{{7*7}}",
    "sql": "'; DROP TABLE x; --",
    "mixed": "한국어 English 漢字 mixed",
}


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def test_every_hostile_input_in_the_explorer_box(app_url):
    model, _ = shipped_models()[0]
    dialogs: list[str] = []
    with chromium_page(height=1400) as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{app_url}/?" + urllib.parse.urlencode({"model": model, "text": "a b"}))
        wait_for_app(page)
        for name, text in HOSTILE.items():
            box = page.get_by_role("textbox", name="Sentence to translate")
            box.fill(text)
            box.press("Enter")
            wait_for_app(page)
            assert page.locator('[data-testid="stException"]').count() == 0, name
            kept = page.get_by_role("textbox", name="Sentence to translate").input_value()
            assert kept == box.input_value()
            assert len(kept) == len(text) or name == "control", f"{name}: typed text changed"
            body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
            if not text.strip():
                assert "Type a sentence above" in body, name
            elif name == "ten-thousand":
                assert "only the first" in body
            else:
                assert page.locator(".js-plotly-plot .heatmaplayer").count() >= 1, name
            if name in ("script", "markup", "math"):
                chips = " ".join(page.locator(".al-chip").all_inner_texts())
                assert "<" in chips or "$" in chips, f"{name}: chips not literal: {chips}"
                ticks = " ".join(page.locator(".js-plotly-plot .xtick text").all_text_contents())
                assert ("<" in ticks or "$" in ticks), f"{name}: tick labels not literal: {ticks}"
            screenshot(page, f"hostile-{name}")
    assert dialogs == []  # no script ever ran


def test_masks_second_sentence_box_keeps_hostile_text(app_url):
    model, sentence = shipped_models()[0]
    with chromium_page(height=1400) as page:
        page.goto(f"{app_url}/masks?" + urllib.parse.urlencode({"model": model, "text": sentence}))
        wait_for_app(page)
        second = page.get_by_role("textbox", name="Second sentence in the same batch")
        for name in ("script", "emoji-zwj", "spaces", "math"):
            second.fill(HOSTILE[name])
            second.press("Enter")
            wait_for_app(page)
            assert page.locator('[data-testid="stException"]').count() == 0, name
            assert page.get_by_role("textbox", name="Second sentence in the same batch").input_value() == HOSTILE[name]
