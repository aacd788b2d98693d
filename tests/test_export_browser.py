"""Real browser: the app on 127.0.0.1, Debian's Chromium driven by Playwright.

Downloads a PNG from a chart's own toolbar (camera button), an SVG and a ZIP
of every head from the export panel, and the attention CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    stop,
    wait_until_healthy,
)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason=f"real-browser test needs Chromium at {CHROMIUM} (apt-get install chromium)"
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def any_model() -> tuple[str, str, int]:
    """(name, a sentence of its source language, number of heads) of a shipped model."""
    configs = sorted((ROOT / "pretrained").glob("*/config.json"))
    if not configs:
        pytest.skip("no model in pretrained/")
    config = json.loads(configs[0].read_text(encoding="utf-8"))
    examples = config.get("metadata", {}).get("examples") or ["a b c"]
    return configs[0].parent.name, examples[0], int(config["model"]["n_heads"])


@pytest.fixture(scope="module")
def app_url(request):
    """``streamlit run app/main.py`` on a free port, stopped when the module is done."""
    port = free_port()
    nice = ["nice", "-n", "15"] if shutil.which("nice") else []
    cmd = [*nice, sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ))

    request.addfinalizer(lambda: stop(proc, 15))
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(proc, url, timeout=90)
    return url


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="en-US")
        context.set_default_timeout(90_000)
        pg = context.new_page()
        model, sentence, _ = any_model()
        query = urllib.parse.urlencode({"model": model, "text": sentence, "lang": "English"})
        pg.goto(f"{app_url}/?{query}")
        pg.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2")
        pg.locator("[class*='st-key-large_'] .js-plotly-plot").first.wait_for()
        yield pg
        context.close()
        browser.close()


def test_toolbar_downloads_a_slide_sized_png_with_a_descriptive_name(page, tmp_path):
    _, sentence, _ = any_model()
    chart = page.locator("[class*='st-key-large_']").first
    chart.hover()
    button = chart.locator("button.modebar-btn[data-title^='Download plot']")
    with page.expect_download() as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    first_word = sentence.split()[0]
    assert name.endswith(".png") and "_layer1_" in name and "_head" in name, name
    assert first_word.strip(".,!?") in name, name
    path = tmp_path / name
    download.save_as(path)
    width, height = png_size(path.read_bytes())
    assert width >= 1920 and (width, height) == (1920, 1080)


def prepare_and_download(page, tmp_path, extension: str) -> Path:
    page.locator(".st-key-export_prepare button").click()
    page.wait_for_function(
        "ext => { const b = document.querySelector('.st-key-export_download button'); return b && b.innerText.includes(ext); }",
        arg=f".{extension}",
    )
    with page.expect_download() as info:
        page.locator(".st-key-export_download button").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def open_export_panel(page) -> None:
    """Expand "Export for slides" unless it is open already."""
    prepare = page.locator(".st-key-export_prepare button")
    for _ in range(5):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        if prepare.is_visible():
            return
        page.locator("[data-testid='stExpander'] summary").filter(has_text="Export for slides").click()
        page.wait_for_timeout(800)
    prepare.wait_for(state="visible")


def test_export_panel_downloads_an_svg_and_a_zip_of_every_head(page, tmp_path):
    _, _, n_heads = any_model()
    open_export_panel(page)
    page.locator(".st-key-export_format").get_by_role("radio", name="SVG").click()
    page.wait_for_timeout(500)
    open_export_panel(page)
    svg_path = prepare_and_download(page, tmp_path, "svg")
    svg = svg_path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "_layer1_" in svg_path.name
    caption = page.locator("[class*='st-key-export_caption_'] input").input_value()
    assert caption and caption.split(" · ")[0] in svg  # the caption went into the file

    page.locator(".st-key-export_what").get_by_text("Every head").click()
    page.wait_for_timeout(500)
    open_export_panel(page)
    zip_path = prepare_and_download(page, tmp_path, "zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        assert len(names) == n_heads == len(set(names))
        assert all(n.endswith(".svg") and f"_head{i + 1}_" in n for i, n in enumerate(names))


def test_attention_csv_download(page, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("button", name="Attention as CSV").click()
    assert info.value.suggested_filename.endswith(".csv")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["kind", "layer", "head", "query_index", "query_token", "key_index", "key_token", "weight"]
    assert {r[0] for r in rows[1:]} == {"encoder_self", "decoder_self", "cross"}
