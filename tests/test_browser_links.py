"""Links, history and slides in a real browser (Chromium + Playwright).

* a copied link reproduces the view — display options and a lesson page's
  choices included — in a fresh browser;
* Back after two sentences returns to the first;
* switching model loads a fitting sentence; text in the wrong script gets a hint;
* a lesson chart's toolbar PNG is slide-sized; a lesson page's export panel
  writes SVG and PDF that carry the caption;
* the Korean interface has no English words left outside names and symbols.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse

import pytest

from app.i18n import translate
from tests.apptest_support import ROOT, shipped_models
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, requires_chromium, running_app, screenshot, wait_for_app

pytestmark = requires_chromium
MODELS = {name for name, _ in shipped_models()}


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def fresh_page(browser, locale: str = "en-US"):
    context = browser.new_context(viewport={"width": 1500, "height": 1600}, accept_downloads=True, locale=locale)
    context.set_default_timeout(90_000)
    return context, context.new_page()


def sentence_box(page):
    return page.locator("input[aria-label^='Sentence to translate'], input[aria-label^='번역할 문장']").first


def copied_link(page) -> str:
    page.get_by_text(translate("share.copy_link", "en")).click()
    code = page.locator("[data-testid='stPopoverBody'] code, [data-testid='stPopover'] code").first
    code.wait_for()
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


def chart_title(page, index: int) -> str:
    return page.locator(".js-plotly-plot").nth(index).locator(".gtitle").first.text_content() or ""


def ticks(page, index: int, axis: str = "ytick") -> list[str]:
    return page.locator(".js-plotly-plot").nth(index).locator(f".{axis} text").all_text_contents()


def test_a_copied_link_reproduces_the_view_in_a_fresh_browser(app_url, browser):
    model, sentence = shipped_models()[0]
    context, page = fresh_page(browser)
    page.goto(f"{app_url}/?" + urllib.parse.urlencode({"model": model, "text": sentence}))
    wait_for_app(page)
    page.locator("[data-testid=stSidebar] summary").filter(has_text="Display options").click()
    page.get_by_role("radio", name="predicted token").click()
    wait_for_app(page)
    # the last clicks re-run only the explorer's view (a fragment): the link must still have them
    page.get_by_role("radio", name="Encoder–decoder attention").click()
    wait_for_app(page)
    page.locator("[data-testid=stMain] [role=radio]").filter(has_text="2").first.click()  # layer 2
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer")
    title, rows = chart_title(page, 1), ticks(page, 1)
    link = copied_link(page)
    assert "row_labels_en=predicted" in urllib.parse.unquote_plus(link) and "layer=2" in link
    assert "section_en=Encoder–decoder attention" in urllib.parse.unquote_plus(link)
    context.close()

    context, page = fresh_page(browser)
    page.goto(link)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer")
    assert chart_title(page, 1) == title and ticks(page, 1) == rows
    assert not any("→" in r for r in rows)  # the display option came with the link
    # a lesson page's choices travel too
    page.goto(f"{app_url}/masks?" + urllib.parse.urlencode({"model": model, "text": sentence}))
    wait_for_app(page)
    page.locator(".st-key-masks_head [role=radio]").filter(has_text="3").click()
    wait_for_app(page)
    lesson_link = copied_link(page)
    assert "masks_head=3" in lesson_link and "/masks" in lesson_link
    context.close()
    context, page = fresh_page(browser)
    page.goto(lesson_link)
    wait_for_app(page)
    assert page.locator(".st-key-masks_head [aria-checked=true]").inner_text() == "3"
    context.close()


def test_back_after_two_sentences_returns_to_the_first(app_url, browser):
    """Back returns to the first sentence as it was last seen (its layer too); a layer
    switch is not a step of its own."""
    context, page = fresh_page(browser)
    page.goto(app_url)
    wait_for_app(page)
    for text in ("A dog runs through the snow.", "Two cats sleep on a sofa."):
        sentence_box(page).fill(text)
        sentence_box(page).press("Enter")
        wait_for_app(page)
        page.wait_for_function("t => decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes(t)", arg=text)
        if "dog" in text:
            page.locator("[data-testid=stMain] [role=radio]").filter(has_text="2").first.click()  # layer 2
            wait_for_app(page)
            page.wait_for_function("() => location.search.includes('layer=2')")
    page.go_back()
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('dog')")
    assert sentence_box(page).input_value() == "A dog runs through the snow."
    assert "layer=2" in page.url  # the view it had, not the address from before the layer click
    context.close()


@pytest.mark.skipif(not {"multi30k-en-de", "toy-reverse"} <= MODELS, reason="needs the en-de and toy models")
def test_switching_model_loads_a_fitting_sentence_and_a_wrong_script_gets_a_hint(app_url, browser):
    context, page = fresh_page(browser)
    page.goto(f"{app_url}/?" + urllib.parse.urlencode({"model": "multi30k-en-de", "text": "A dog runs."}))
    wait_for_app(page)
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="toy-reverse").click()
    wait_for_app(page)
    assert re.fullmatch(r"[a-t ]+", sentence_box(page).input_value())  # the toy's own example
    page.wait_for_function("() => !location.search.includes('text=')", timeout=30_000)
    assert "model=toy-reverse" in page.url  # the address bar shows the new model's example: no stale text=
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="multi30k-en-de").click()
    wait_for_app(page)
    # The toy's example is Latin script but no English sentence: the English model's example replaces it.
    # multi30k-en-de is the default model and its example the default sentence: both leave the address bar.
    page.wait_for_function("() => !location.search.includes('model=')", timeout=30_000)
    assert not re.fullmatch(r"[a-t ]+", sentence_box(page).input_value()) and "text=" not in page.url
    sentence_box(page).fill("나는 어제 친구와 영화를 봤다.")
    sentence_box(page).press("Enter")
    wait_for_app(page)
    hint = translate("input.wrong_script", "en", lang="English")
    page.get_by_text(hint).wait_for()
    screenshot(page, "wrong-script-hint")
    page.get_by_role("button", name=translate("input.load_example", "en")).click()
    wait_for_app(page)
    assert re.search("[A-Za-z]", sentence_box(page).input_value())
    assert page.get_by_text(hint).count() == 0
    context.close()


def png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")


def test_lesson_chart_toolbar_png_is_slide_sized(app_url, browser, tmp_path):
    context, page = fresh_page(browser)
    page.goto(f"{app_url}/scaled-attention")
    wait_for_app(page)
    chart = page.locator(".stPlotlyChart").first
    chart.hover()
    with page.expect_download() as info:
        chart.locator("button.modebar-btn[data-title^='Download plot']").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("scaled_") and png_width(path.read_bytes()) >= 1920
    context.close()


def prepare_and_download(page, key: str, tmp_path, extension: str):
    page.locator(f".st-key-{key}_format").get_by_role("radio", name=extension.upper()).click()
    wait_for_app(page)
    page.locator(f".st-key-{key}_prepare button").click()
    page.wait_for_function(
        "([k, ext]) => { const b = document.querySelector(`.st-key-${k}_download button`); return b && b.innerText.includes(ext); }",
        arg=[key, f".{extension}"],
    )
    with page.expect_download() as info:
        page.locator(f".st-key-{key}_download button").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (Debian poppler-utils) reads the PDF's text")
def test_lesson_export_panel_writes_svg_and_pdf_with_the_caption(app_url, browser, tmp_path):
    model, sentence = shipped_models()[0]
    context, page = fresh_page(browser)
    page.goto(f"{app_url}/masks?" + urllib.parse.urlencode({"model": model, "text": sentence}))
    wait_for_app(page)
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Export for slides").click()
    key = "export_masks"
    caption_box = page.locator(f"[class*='st-key-{key}_caption_'] input")
    caption_box.fill("Masks lecture for the study group")
    caption_box.press("Enter")
    wait_for_app(page)
    svg = prepare_and_download(page, key, tmp_path, "svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Masks lecture for the study group" in svg
    pdf = prepare_and_download(page, key, tmp_path, "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Masks lecture for the study group" in text
    context.close()


# Names and symbols that stay Latin in the Korean interface.
ALLOWED = {
    "Attention", "Lab", "English", "PNG", "SVG", "PDF", "CSV", "JSON", "ZIP", "BLEU", "sacreBLEU", "chrF", "Plotly",
    "Multi30k", "Tatoeba", "Vaswani", "Transformer", "Softmax", "softmax", "LayerNorm", "ReLU", "GELU", "Adam", "BPE",
    "Chromium", "Enter", "Concat", "MultiHead", "Attention", "Q", "K", "V", "W", "O", "d", "k", "v", "q", "h", "PE", "pos",
    "sin", "cos", "max", "min", "model", "ff", "i", "j", "n", "x", "y", "s", "toy", "Toy", "en", "de", "fr", "ko",
    "Language",  # the language switch reads "Language · 언어" in both languages
    "Bahdanau", "Luong", "Shaw", "ALiBi", "RoPE", "Michel", "Voita", "Kaleido",
    "base", "big",  # the paper's model names (Table 3)
    "Sublayer", "dict", "diag", "exp", "log", "softmax", "argmax", "tanh", "scores", "head",  # formulas in the text
}


@pytest.mark.parametrize("path", ["", "masks", "scaled-attention", "positional-encoding", "multi-head", "architecture", "ablations", "training"])
def test_korean_interface_has_no_english_words_left(app_url, browser, path):
    model, sentence = shipped_models()[0]
    context, page = fresh_page(browser, locale="ko-KR")
    page.goto(f"{app_url}/{path}?" + urllib.parse.urlencode({"model": model, "text": sentence}))
    wait_for_app(page)
    page.wait_for_timeout(500)
    # icon ligatures, typeset formulas and code are symbols, not interface text
    page.evaluate("() => document.querySelectorAll('[data-testid=stIconMaterial], [data-testid=stExpanderIcon], .katex, code')"
                  ".forEach(e => e.remove())")
    chrome = page.locator("[data-testid=stSidebar]").inner_text() + "\n" + "\n".join(
        page.locator("[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3, [data-testid=stMain] label, "
                     "[data-testid=stMain] [data-testid=stCaptionContainer], [data-testid=stMain] [role=radio], "
                     "[data-testid=stMain] summary, [data-testid=stMain] button, [data-testid=stMain] [data-testid=stMarkdownContainer]").all_inner_texts()
    )
    examples = json.loads((ROOT / "pretrained" / model / "config.json").read_text(encoding="utf-8"))["metadata"]["examples"]
    shown_data = {w for text in [sentence, *examples] for w in re.findall(r"[A-Za-z]+", text)}  # the user's language, not the UI's
    shown_data |= MODELS | {p for m in MODELS for p in m.split("-")}
    # the English term beside a Korean one, "(Masking)", is the study notes' convention: allowed
    without_glossed = re.sub(r"\([^()가-힣]*\)", " ", chrome)
    without_glossed = re.sub(r"\S*[_^#]\S*", " ", without_glossed)  # identifiers and symbols: d_model, P_drop, W^O, ##ing
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", without_glossed))
    left = sorted(w for w in words if w not in ALLOWED and w not in shown_data and not w.isupper() and len(w) > 2)
    screenshot(page, f"korean-{path or 'explorer'}")
    assert left == [], (left, [line for line in chrome.splitlines() if any(w in line for w in left)][:12])
    context.close()
