"""Export for slides and data export (``app.export``): file names, toolbar config,
PNG/SVG/PDF bytes rendered by kaleido + Chromium, ZIP of heads, CSV/JSON round trips."""

from __future__ import annotations

import re

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.export import data as export_data
from app.export import layout as export_layout
from app.export import names as export_names
from app.export import render as export_render
from app.figures import common as common_figures
from app.figures import explorer as explorer_figures
from app.i18n import STRINGS
from app.i18n import TABLES

EXPORT_STRINGS = TABLES["export"]
from app.lessons.explorer_view import attention_view, with_average
from core import KIND_NAMES as KINDS
from tests.conftest import SENTENCES

HAS_CHROMIUM = Path(export_render.DEFAULT_CHROMIUM).is_file()
needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM, reason=f"server-side export needs Chromium at {export_render.DEFAULT_CHROMIUM} (CI installs Debian's chromium)"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, the first chunk of every PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def result(tiny_translator):
    return tiny_translator.translate(SENTENCES[0])


@pytest.fixture(scope="module")
def korean_result(tiny_translator):
    return tiny_translator.translate(SENTENCES[8])


def heatmap(res, kind="cross", layer=1, head=2, title="Encoder–decoder attention · layer 2 · head 3", style=common_figures.Style()):
    view = attention_view(res, kind)
    return explorer_figures.attention_heatmap(view.weights[layer, head], view.query_labels, view.key_labels, title, style, "query", "key")


# ------------------------------------------------------------- file names
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A man rides a bike.", "A-man-rides-a-bike"),
        ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
        ("../../etc/passwd", "etc-passwd"),
        ("고양이가 책상 위에서", "고양이가-책상-위에서"),
        ("<b>bold</b>", "b-bold-b"),
        ("   ", "figure"),
        ("tab\tand\nnewline\x00nul", "tab-and-newline-nul"),
    ],
)
def test_safe_filename_strips_unsafe_characters_and_keeps_hangul(text, expected):
    name = export_names.safe_filename(text)
    assert name == expected
    assert not set(name) & set('/\\:*?"<>|\x00\n\t ')


def test_file_stem_is_descriptive():
    assert export_names.file_stem("cross", 2, 3, "A man rides a bike through the busy city.") == "cross_layer2_head3_A-man-rides-a-bike"
    assert export_names.file_stem("encoder_self", 1, "avg", "a b") == "encoder_self_layer1_avg_a-b"
    assert export_names.file_stem("cross", extra="overview", sentence="안녕하세요 저는 학생입니다.") == "cross_overview_안녕하세요-저는-학생입니다"
    assert export_names.file_stem() == "attention-lab"


def test_toolbar_config_downloads_a_slide_sized_png_with_a_descriptive_name():
    config = export_names.toolbar_config("cross", 2, 3, "A man rides: a <bike>?")
    options = config["toImageButtonOptions"]
    assert options["format"] == "png"
    assert options["width"] * options["scale"] >= 1920
    assert options["width"] * options["scale"] == 1920 and options["height"] * options["scale"] == 1080
    assert options["filename"] == "cross_layer2_head3_A-man-rides-a-bike"
    json.dumps(config)  # Streamlit sends config as JSON: no functions allowed
    square = export_names.toolbar_config("cross", preset="square")["toImageButtonOptions"]
    assert square["width"] == square["height"]


def test_every_export_string_has_english_and_korean():
    for key, entry in EXPORT_STRINGS.items():
        assert entry.get("en") and entry.get("ko"), key
        assert key in STRINGS  # registered in app.i18n


# --------------------------------------------------------------- layout
def test_export_style_themes():
    base = common_figures.Style(colorscale="Viridis", show_values=True)
    assert export_layout.export_style(base, "light", 2.0) == common_figures.Style("Viridis", False, True, 2.0)
    assert export_layout.export_style(base, "dark", 1.5).dark
    printed = export_layout.export_style(base, "print", 1.5)
    assert printed.colorscale == "Greys" and not printed.dark
    with pytest.raises(ValueError):
        export_layout.export_style(base, "neon")


def test_prepare_figure_sizes_captions_and_leaves_the_original(result):
    fig = heatmap(result)
    before = fig.to_json()
    out = export_layout.prepare_figure(fig, "4:3", caption="Caption <b>literal</b>", theme="print", font_scale=2)
    assert fig.to_json() == before  # the page's figure is untouched
    assert (out.layout.width, out.layout.height) == (1280, 960)
    captions = [a for a in out.layout.annotations if a.name == "export-caption"]
    assert len(captions) == 1 and captions[0].text == "Caption &lt;b&gt;literal&lt;/b&gt;"
    assert out.layout.paper_bgcolor == "white"
    assert out.layout.margin.t > 40 and out.layout.margin.b > 30
    assert not [a for a in export_layout.prepare_figure(fig).layout.annotations if a.name == "export-caption"]
    with pytest.raises(ValueError):
        export_layout.prepare_figure(fig, "21:9")


def test_long_titles_break_at_separators_and_fit():
    title = "Encoder–decoder attention · layer 2 · head 3 · multi30k-en-de · “A man in a blue shirt is riding a bike.”"
    text, size = export_layout.fit_text(title, 30, 900)
    lines = text.split("<br>")
    assert len(lines) >= 2 and " · ".join(lines) == title
    assert all(export_layout._text_width(line, size) <= 900 for line in lines)
    assert export_layout.fit_text("short", 30, 900) == ("short", 30)
    _, shrunk = export_layout.fit_text("x" * 400, 30, 900)  # no separator: the font shrinks instead
    assert shrunk < 30


def test_grid_keeps_x_labels_only_under_the_lowest_panel_of_each_column(result):
    view = attention_view(result, "encoder_self")
    panels = with_average(view.weights[0])  # 4 heads + average = 5 panels
    grid = explorer_figures.head_grid(panels, view.query_labels, view.key_labels, "grid", [f"h{i}" for i in range(5)], columns=4, show_ticks=True)
    grid.for_each_xaxis(lambda axis: axis.update(showticklabels=True))  # as a figure from elsewhere might come
    out = export_layout.prepare_figure(grid)
    shown = {name: out.layout[name].showticklabels for name in out.layout if name.startswith("xaxis")}
    # row 1: columns 2-4 have no panel below → keep labels; column 1 has panel 5 below → hidden
    assert shown["xaxis"] is False
    assert shown["xaxis2"] is not False and shown["xaxis4"] is not False
    assert shown["xaxis5"] is not False  # the bottom-row panel
    assert all(grid.layout[name].showticklabels is not False for name in shown)  # original untouched


def test_default_caption_says_how_to_read_the_figure_not_its_title_again():
    caption = export_names.default_caption("query: source token", "key: source token", "Attention Lab, model multi30k-en-de, greedy decoding")
    assert caption == "Rows = query: source token · columns = key: source token · Attention Lab, model multi30k-en-de, greedy decoding"
    title = "Encoder self-attention · layer 2 · head 3 · multi30k-en-de · “A man rides a bike.”"
    assert "layer 2" not in caption and "A man rides" not in caption and title not in caption


# --------------------------------------------------------- no Chromium
def test_missing_chromium_gives_a_plain_message(monkeypatch, result):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(export_render, "DEFAULT_CHROMIUM", "/nonexistent/usr-bin-chromium")
    assert not export_render.chromium_available()
    reason = export_render.chromium_missing_reason()
    assert reason and "Chromium" in reason and "/nonexistent/chromium" in reason
    assert "toolbar" in reason  # says the camera button still works
    with pytest.raises(export_render.ExportUnavailable, match="Chromium"):
        export_render.render_figure(heatmap(result), "png")


def test_chromium_found_from_browser_path(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert export_render.chromium_path() == str(fake)
    assert export_render.chromium_missing_reason() is None


# ------------------------------------------------------------- rendering
@pytest.fixture(scope="module")
def rendered(result):
    """One Chromium session for the format checks (its start-up dominates)."""
    if not HAS_CHROMIUM:
        pytest.skip(f"server-side export needs Chromium at {export_render.DEFAULT_CHROMIUM}")
    title = "Encoder–decoder attention · layer 2 · head 3 · tiny"
    fig = heatmap(result, title=title, style=export_layout.export_style(common_figures.Style(), "light", 1.5))
    out = {}
    for fmt in export_render.FORMATS:
        out[fmt] = export_render.render_figures([fig], fmt, "16:9", 1.5, "light", caption="A caption line")[0]
    out["square"] = export_render.render_figure(fig, "png", "square", 1.5, "dark")
    return title, out


@needs_chromium
def test_png_has_the_signature_and_slide_size(rendered):
    _, out = rendered
    assert png_size(out["png"]) == (1920, 1080)
    assert png_size(out["square"]) == (1920, 1920)
    assert len(out["png"]) > 10_000


@needs_chromium
def test_svg_contains_the_title_text(rendered):
    title, out = rendered
    svg = out["svg"].decode("utf-8")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert title in svg
    assert "A caption line" in svg


@needs_chromium
def test_pdf_starts_with_the_pdf_header_and_is_titled_by_its_figure(rendered):
    import io

    from pypdf import PdfReader

    title, out = rendered
    assert out["pdf"].startswith(b"%PDF-")
    assert b"%%EOF" in out["pdf"][-1024:]
    reader = PdfReader(io.BytesIO(out["pdf"]))
    assert reader.metadata.title == export_layout.visible_text(title) != "Kaleido-fier"  # the viewer's title bar
    assert len(reader.pages) == 1


@needs_chromium
def test_korean_export_keeps_hangul(korean_result):
    title = "인코더–디코더 어텐션 · 레이어 2 · 헤드 3"
    caption = "크로스 어텐션 · “고양이가 책상 위에서 잠을 잡니다.”"
    fig = heatmap(korean_result, "encoder_self", title=title, style=export_layout.export_style(common_figures.Style(), "print", 2.0))
    text = export_render.render_figure(fig, "svg", "16:9", 2.0, "print", caption=caption).decode("utf-8")
    assert title in text and "고양이가 책상 위에서 잠을 잡니다." in text
    assert any("\uac00" <= c <= "\ud7a3" for c in text)  # Hangul syllables in the file
    assert common_figures.FONT_FAMILY.split(",")[0] in text  # the CJK font family is asked for


@needs_chromium
def test_zip_holds_one_file_per_head(result):
    view = attention_view(result, "decoder_self")
    layer = 1
    n_heads = view.weights.shape[1]
    style = export_layout.export_style(common_figures.Style(), "light", 1.5)
    files = [
        (
            export_names.file_stem("decoder_self", layer + 1, h + 1, result.source_text),
            explorer_figures.attention_heatmap(view.weights[layer, h], view.query_labels, view.key_labels, f"head {h + 1}", style),
        )
        for h in range(n_heads)
    ]
    data = export_render.zip_figures(files, "png", "16:9", 1.5, "light", caption="decoder self-attention")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == n_heads == len(set(names))
        assert names == [f"decoder_self_layer2_head{h + 1}_A-man-in-a-blue.png" for h in range(n_heads)]
        for name in names:
            assert png_size(zf.read(name)) == (1920, 1080)


@needs_chromium
def test_grid_and_overview_render(result):
    view = attention_view(result, "encoder_self")
    style = export_layout.export_style(common_figures.Style(), "dark", 1.5)
    panels = with_average(view.weights[0])
    grid = explorer_figures.head_grid(panels, view.query_labels, view.key_labels, "grid", [f"h{i}" for i in range(len(panels))], style)
    overview = explorer_figures.layers_heads_overview(view.weights, "overview", ["l1", "l2"], ["h1", "h2", "h3", "h4"], view.query_labels, view.key_labels, style)
    pngs = export_render.render_figures([grid, overview], "png", "4:3", 1.5, "dark")
    assert [png_size(p) for p in pngs] == [(1920, 1440), (1920, 1440)]


def test_zip_files_makes_names_unique():
    data = export_data.zip_files([("a.png", b"1"), ("a.png", b"2"), ("b.png", b"3")])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["a.png", "a.png-2", "b.png"]


# --------------------------------------------------------------------- data
def test_long_dataframe_has_every_weight(result):
    df = export_data.attention_long_dataframe(result)
    assert list(df.columns) == export_data.CSV_COLUMNS
    assert len(df) == sum(result.attention.get(k).size for k in KINDS)
    cross = df[df.kind == "cross"]
    row = cross[(cross["layer"] == 2) & (cross["head"] == 3) & (cross["query_index"] == 1) & (cross["key_index"] == 0)].iloc[0]
    assert row.weight == result.attention.cross[1, 2, 1, 0]  # layer/head 1-based, positions 0-based
    assert row.query_token == result.target_tokens[1] and row.key_token == result.source_tokens[0]
    enc = df[df.kind == "encoder_self"]
    assert set(enc.query_token) <= set(result.source_tokens)


@pytest.mark.parametrize("fixture", ["result", "korean_result"])
def test_csv_round_trips_through_pandas_to_the_same_weights(request, fixture):
    res = request.getfixturevalue(fixture)
    data = export_data.attention_csv(res)
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False, encoding="utf-8-sig")
    assert list(back.columns) == export_data.CSV_COLUMNS
    for kind in KINDS:
        w = res.attention.get(kind)
        part = back[back.kind == kind].sort_values(["layer", "head", "query_index", "key_index"])
        restored = part.weight.to_numpy(dtype=np.float32).reshape(w.shape)
        np.testing.assert_array_equal(restored, w)  # float32 written at full precision
        tokens = res.source_tokens if kind == "encoder_self" else res.target_tokens
        assert list(part.query_token[: w.shape[-1] * w.shape[-2] : w.shape[-1]]) == tokens[: w.shape[-2]]


def test_json_is_what_the_cli_prints(result):
    data = json.loads(export_data.attention_json(result).decode("utf-8"))
    assert data == json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert np.allclose(np.asarray(data["attention"]["cross"]), result.attention.cross, atol=1e-6)


def test_data_file_stem(result):
    assert export_names.data_file_stem(result) == "attention_tiny_A-man-in-a-blue"


def test_plotly_toolbar_speaks_korean_in_the_korean_interface(monkeypatch):
    import app.i18n

    assert "locale" not in export_names.toolbar_config("cross", 1, 1, "A dog.")
    monkeypatch.setattr(app.i18n, "current_language", lambda: "ko")
    monkeypatch.setattr(export_names, "current_language", lambda: "ko")
    config = export_names.toolbar_config("cross", 1, 1, "A dog.")
    assert config["locale"] == "ko"
    dictionary = config["locales"]["ko"]["dictionary"]
    assert dictionary["Download plot as a png"] == "PNG로 그림 내려받기" and dictionary["Zoom"] == "영역 확대"
    assert all(re.search("[\uac00-\ud7a3]", v) for v in dictionary.values())
