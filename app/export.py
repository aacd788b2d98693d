"""Export for slides and data export — pure functions, no Streamlit.

Figures
-------
* ``toolbar_config`` — the ``config`` for ``st.plotly_chart``: the chart's own
  toolbar camera button downloads a PNG at slide resolution (1920 px wide by
  default) under a descriptive file name. Plotly.js offers one format per
  toolbar (``toImageButtonOptions.format``); extra buttons need a JavaScript
  ``click`` function, which Streamlit cannot pass (it sends ``config`` as
  JSON). So the toolbar gives PNG and the export panel gives SVG and PDF.
* ``render_figure`` / ``render_figures`` — server-side rendering with
  Plotly's own exporter (kaleido 1.x driving a headless Chromium). The browser
  is ``$BROWSER_PATH`` if set, else ``/usr/bin/chromium``, else the first
  Chrome/Chromium on ``PATH``. ``chromium_available`` / ``chromium_missing_reason``
  tell the page when there is none.
* ``prepare_figure`` — what an export adds to a figure that was built for it:
  the size preset, room for the title and tick labels, the optional caption
  and, for the print theme, a pure white/black page. Colours, fonts and the
  font scale come from rebuilding the figure with ``export_style(...)``.
* ``zip_files`` / ``zip_figures`` — several figures (e.g. every head of a
  layer) as one ZIP, one file per figure.

Data
----
* ``attention_long_dataframe`` — every attention weight of a translation in
  long format (one row per kind × layer × head × query × key).
* ``attention_csv`` / ``attention_json`` — the CSV of that table and the JSON
  of ``TranslationResult.to_dict()`` (what ``python -m core.translate --json``
  prints).
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import logging
import math
import os
import re
import shutil
import threading
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.charts import FONT_FAMILY, Style, plain_text
from app.i18n import t
from core import TranslationResult

FORMATS = ("png", "svg", "pdf")
THEMES = ("light", "dark", "print")
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "csv": "text/csv",
    "json": "application/json",
}
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
RENDER_TIMEOUT_S = 60
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class SizePreset:
    """An export size: layout pixels × ``scale`` = image pixels.

    Fonts are sized in layout pixels, so a 1280-px layout rendered at 1.5×
    gives a 1920-px image whose text is 1.5× larger than at 1920 layout px.
    """

    width: int
    height: int
    scale: float = 1.5

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return round(self.height * self.scale)


SIZE_PRESETS: dict[str, SizePreset] = {
    "16:9": SizePreset(1280, 720),  # 1920 × 1080
    "4:3": SizePreset(1280, 960),  # 1920 × 1440
    "square": SizePreset(1280, 1280),  # 1920 × 1920
}
DEFAULT_PRESET = "16:9"


# --------------------------------------------------------------- file names
_TAG = re.compile(r"<[^>]*>")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SEPARATORS = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\-]+")


def safe_filename(text: str, max_length: int = 60) -> str:
    """``text`` as a file-name part that every OS accepts.

    Drops path separators and the characters Windows forbids (``/ \\ : * ? " < > |``),
    control characters and other punctuation; spaces become ``-``. Letters of
    any script stay (``"고양이가 잡니다"`` → ``"고양이가-잡니다"``). Never empty:
    falls back to ``"figure"``.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = _UNSAFE.sub(" ", text)
    words = [_NOT_WORD.sub("", w) for w in _SEPARATORS.split(text)]
    name = "-".join(w for w in words if w)
    name = re.sub(r"-{2,}", "-", name).strip("-.")[:max_length].rstrip("-")
    return name or "figure"


def first_words(sentence: str, n: int = 5) -> str:
    """The first ``n`` words of a sentence, for a file name."""
    return " ".join(str(sentence).split()[:n])


def file_stem(
    kind: str | None = None,
    layer: int | None = None,
    head: int | str | None = None,
    sentence: str = "",
    *,
    extra: str | None = None,
    words: int = 5,
) -> str:
    """A descriptive, filesystem-safe file name without extension.

    ``file_stem("cross", 2, 3, "A man rides a bike.")`` →
    ``"cross_layer2_head3_A-man-rides-a-bike"``. ``layer`` and ``head`` are
    1-based as shown in the app; ``head`` may also be a word (``"avg"``,
    ``"all-heads"``). ``extra`` is any other part (``"overview"``, ``"rollout"``).
    """
    parts = []
    if kind:
        parts.append(safe_filename(kind, 40))
    if layer is not None:
        parts.append(f"layer{layer}")
    if head is not None:
        parts.append(f"head{head}" if isinstance(head, (int, np.integer)) else safe_filename(str(head), 20))
    if extra:
        parts.append(safe_filename(extra, 40))
    if sentence and sentence.strip():
        part = safe_filename(first_words(sentence, words), 48)
        if part != "figure":
            parts.append(part)
    return "_".join(parts) or "attention-lab"


def toolbar_config(
    kind: str | None = None,
    layer: int | None = None,
    head: int | str | None = None,
    sentence: str = "",
    *,
    extra: str | None = None,
    preset: str = DEFAULT_PRESET,
) -> dict:
    """``config`` for ``st.plotly_chart``: the toolbar's camera button saves a PNG
    of ``SIZE_PRESETS[preset]`` (1920 × 1080 for 16:9) named by ``file_stem``.

    One format per toolbar is all Plotly.js allows through JSON config; SVG
    and PDF come from the export panel.
    """
    size = SIZE_PRESETS[preset]
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_stem(kind, layer, head, sentence, extra=extra),
            "width": size.width,
            "height": size.height,
            "scale": size.scale,
        },
    }


# ------------------------------------------------------------------ styles
def export_style(base: Style, theme: str = "light", font_scale: float = 1.0) -> Style:
    """The ``Style`` to rebuild a figure with for an export.

    ``light`` and ``dark`` keep the user's colour scale; ``print`` is the
    greyscale-safe one: white page, ``Greys`` (white = 0, black = max).
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")
    if theme == "print":
        return replace(base, colorscale="Greys", dark=False, font_scale=font_scale)
    return replace(base, dark=theme == "dark", font_scale=font_scale)


def default_caption(kind_title: str, layer: int | None, head_name: str | None, model: str, sentence: str) -> str:
    """ "Encoder–decoder attention · layer 2 · head 3 · multi30k-en-de · “A man rides a bike.”" in the UI language."""
    parts = [kind_title]
    if layer is not None:
        parts.append(t("explorer.layer_n", n=layer))
    if head_name:
        parts.append(head_name)
    if model:
        parts.append(model)
    if sentence:
        parts.append(f"“{sentence}”")
    return " · ".join(parts)


# ---------------------------------------------------- layout for the export
def _visible_text(label: str) -> str:
    """What Plotly shows for a label: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", str(label)))


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: wide (CJK) characters ≈ 1 em, others ≈ 0.6 em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in _visible_text(text)) * size


def _font_size(font, fallback: float) -> float:
    size = getattr(font, "size", None) if font is not None else None
    return float(size) if size else fallback


def _axis_extent(axis, base_size: float) -> float:
    """Pixels an x axis's tick labels and title take beyond the plot area."""
    if axis.visible is False:
        return 0.0
    extent = 0.0
    if axis.showticklabels is not False:
        labels = list(axis.ticktext) if axis.ticktext is not None else []
        labels = [str(x) for x in labels if str(x).strip()]
        if labels or axis.ticktext is None:
            size = _font_size(axis.tickfont, base_size)
            longest = max((_text_width(x, size) for x in labels), default=4 * 0.6 * size)
            angle = axis.tickangle if isinstance(axis.tickangle, (int, float)) else 0
            a = math.radians(abs(angle))
            extent = longest * math.sin(a) + size * 1.3 * math.cos(a) + 8
    title = axis.title.text if axis.title is not None else None
    if title:
        extent += _font_size(axis.title.font, base_size) * 1.4 + 6
    return extent


def _axis_ref(layout_name: str) -> str:
    """``"xaxis3"`` → ``"x3"``, ``"xaxis"`` → ``"x"``."""
    return layout_name[0] + layout_name[5:]


def label_bottom_panels_only(fig: go.Figure) -> go.Figure:
    """In a grid of subplots, keep the x tick labels only on the lowest panel
    of each column (in place). Every panel of a head grid has the same keys,
    and at slide font sizes a row's rotated labels would run into the
    subplot titles of the row below."""
    used = {getattr(tr, "xaxis", None) or "x" for tr in fig.data}
    panels = []
    for name in fig.layout:
        if not name.startswith("xaxis"):
            continue
        ax = fig.layout[name]
        ref = _axis_ref(name)
        y_name = "yaxis" + (ax.anchor[1:] if ax.anchor and ax.anchor not in ("y", "free") else "")
        yax = fig.layout[y_name] if y_name in fig.layout else None
        if ref not in used or yax is None or ax.domain is None or yax.domain is None:
            continue
        panels.append((ax, tuple(ax.domain), tuple(yax.domain)))
    for ax, x_dom, y_dom in panels:
        if ax.side == "top":
            continue
        if any(x2 == x_dom and y2[1] <= y_dom[0] + 1e-9 for _, x2, y2 in panels):
            ax.showticklabels = False
    return fig


def _outer_extents(fig: go.Figure) -> tuple[float, float]:
    """(top, bottom) pixels taken outside the plot area by tick labels,
    axis titles and subplot titles — generous estimates, so the export can
    reserve room for the title above and the caption below."""
    base = _font_size(fig.layout.font, 12)
    top = bottom = 0.0
    for name in fig.layout:
        if not name.startswith("xaxis"):
            continue
        axis = fig.layout[name]
        extent = _axis_extent(axis, base)
        if axis.side == "top":
            top = max(top, extent)
        else:
            bottom = max(bottom, extent)
    for ann in fig.layout.annotations or ():
        if ann.yref == "paper" and ann.y is not None and ann.y >= 0.999:
            lines = str(ann.text or "").count("<br>") + 1
            top = max(top, _font_size(ann.font, base) * 1.4 * lines + 6)
    return top, bottom


def prepare_figure(
    fig: go.Figure,
    preset: str = DEFAULT_PRESET,
    caption: str = "",
    theme: str = "light",
    font_scale: float = 1.0,
) -> go.Figure:
    """A copy of ``fig`` laid out for an export of ``SIZE_PRESETS[preset]``.

    Reserves the top margin for the title above any top tick labels (long
    titles break at their " · " separators), puts ``caption`` (shown
    literally) in the bottom margin below any bottom tick labels, keeps x
    tick labels only under the lowest panel of each column of a subplot grid,
    centres a single square-celled heatmap with its colour bar, and sets the
    font family that has Hangul. For ``theme="print"``
    the page is forced to white with black text. Build ``fig`` with
    ``export_style(style, theme, font_scale)`` for the colours and font sizes.
    """
    if preset not in SIZE_PRESETS:
        raise ValueError(f"unknown size preset {preset!r}; expected one of {tuple(SIZE_PRESETS)}")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")
    size = SIZE_PRESETS[preset]
    out = go.Figure(fig)
    out.update_layout(width=size.width, height=size.height, font_family=FONT_FAMILY)
    if theme == "print":
        # grey shows only in the 1-px gaps between heatmap cells: a printed grid
        only_heatmaps = bool(out.data) and all(tr.type == "heatmap" for tr in out.data)
        out.update_layout(
            paper_bgcolor="white", plot_bgcolor="#c8c8c8" if only_heatmaps else "white",
            font_color="black", title_font_color="black",
        )

    label_bottom_panels_only(out)
    top, bottom = _outer_extents(out)
    margin = out.layout.margin
    pad = 12
    title = out.layout.title.text if out.layout.title is not None else None
    title_h = 0.0
    if title:
        title_size = _font_size(out.layout.title.font, _font_size(out.layout.font, 12) * 1.25)
        title_x = out.layout.title.x if isinstance(out.layout.title.x, (int, float)) else 0.05
        title, title_size = fit_text(str(title), title_size, size.width * (1 - title_x) - 24)
        lines = title.count("<br>") + 1
        title_h = title_size * 1.35 * lines
        # Plotly drops the first-line offset (dy = 0.7em) of multi-line titles: place the first baseline ourselves
        first = pad if lines == 1 else pad + 0.8 * title_size
        out.update_layout(
            title={"text": title, "font": {"size": title_size}, "yref": "container", "y": 1 - first / size.height,
                   "yanchor": "top", "automargin": False}
        )
    new_top = max(margin.t or 0, pad + title_h + 8 + top)
    left, right = max(margin.l or 0, 20), max(margin.r or 0, 20)

    caption = (caption or "").strip()
    caption_size = max(11.0, 12 * font_scale)

    def bottom_for(lines: int, text_size: float) -> float:
        return bottom + 6 + text_size * 1.4 * lines + pad if caption else max(margin.b or 0, bottom + pad)

    text, text_size = fit_text(plain_text(caption), caption_size, size.width - 2 * left) if caption else ("", caption_size)
    new_bottom = bottom_for(text.count("<br>") + 1, text_size)
    centred = _centre_square_heatmap(out, size, new_top, new_bottom)
    if centred:
        left, right = centred
    if caption:
        # under a centred matrix the caption is centred too; otherwise it starts at the plot's left edge
        if centred:
            x_mid = left + (size.width - left - right) / 2
            room = 2 * min(x_mid, size.width - x_mid) - 24
        else:
            room = size.width - left - 24
        refit, refit_size = fit_text(plain_text(caption), caption_size, room)
        if (refit.count("<br>"), refit_size) != (text.count("<br>"), text_size):
            text, text_size = refit, refit_size
            new_bottom = bottom_for(text.count("<br>") + 1, text_size)
            centred_again = _centre_square_heatmap(out, size, new_top, new_bottom)
            if centred and centred_again:
                left, right = centred_again
        font = {"family": FONT_FAMILY, "size": round(text_size)}
        if theme == "print":
            font["color"] = "black"
        out.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=0.5 if centred else 0,
            y=0,
            xanchor="center" if centred else "left",
            yanchor="top",
            yshift=-(bottom + 6),
            showarrow=False,
            align="center" if centred else "left",
            font=font,
            name="export-caption",
        )
    out.update_layout(margin={"t": round(new_top), "b": round(new_bottom), "l": round(left), "r": round(right)})
    return out


def fit_text(text: str, size: float, max_width: float, max_lines: int = 3) -> tuple[str, float]:
    """Fit a one-line label into ``max_width`` pixels: break it at its " · "
    separators (up to ``max_lines`` lines joined by ``<br>``), then shrink
    the font if a line is still too wide. Returns ``(text, font size)``."""
    max_width = max(max_width, 50.0)
    if "<br>" in text or _text_width(text, size) <= max_width:
        return text, size
    parts = text.split(" · ")
    lines: list[str] = []
    for part in parts:
        if lines and _text_width(f"{lines[-1]} · {part}", size) <= max_width:
            lines[-1] = f"{lines[-1]} · {part}"
        else:
            lines.append(part)
    while len(lines) > max_lines:  # too many short pieces: merge the two shortest neighbours
        i = min(range(len(lines) - 1), key=lambda j: len(lines[j]) + len(lines[j + 1]))
        lines[i : i + 2] = [f"{lines[i]} · {lines[i + 1]}"]
    widest = max(_text_width(line, size) for line in lines)
    if widest > max_width:
        size = max(8.0, size * max_width / widest)
    return "<br>".join(lines), size


def _centre_square_heatmap(fig: go.Figure, size: SizePreset, top: float, bottom: float) -> tuple[float, float] | None:
    """Left/right margins that put a single square-celled heatmap (and its
    colour bar right beside it) in the middle of a wide page, instead of the
    matrix in the middle and the colour bar at the far edge."""
    x, y = fig.layout.xaxis, fig.layout.yaxis
    if y.scaleanchor != "x" or "xaxis2" in fig.layout or x.tickvals is None or y.tickvals is None:
        return None
    n_k, n_q = len(x.tickvals), len(y.tickvals)
    if not n_k or not n_q:
        return None
    base = _font_size(fig.layout.font, 12)
    tick_size = _font_size(y.tickfont, base)
    labels = list(y.ticktext) if y.ticktext is not None else []
    left_ext = max((_text_width(lab, tick_size) for lab in labels), default=0.0) + 14
    if y.title is not None and y.title.text:
        left_ext += _font_size(y.title.font, base) * 1.4 + 8
    right_ext = base * 3.5 + 50  # colour bar: bar, tick labels, padding
    plot_h = size.height - top - bottom
    needed = plot_h * n_k / n_q
    spare = size.width - needed - left_ext - right_ext
    if plot_h <= 0 or spare <= 0:
        return None
    return left_ext + spare / 2, right_ext + spare / 2


# ----------------------------------------------------------------- Chromium
def chromium_path() -> str | None:
    """The browser kaleido will drive: ``$BROWSER_PATH``, else
    ``/usr/bin/chromium``, else the first Chrome/Chromium on ``PATH``."""
    env = os.environ.get("BROWSER_PATH")
    candidates = [env] if env else []
    candidates.append(DEFAULT_CHROMIUM)
    for path in candidates:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    if env:  # set but unusable: do not silently drive another browser
        return None
    for name in CHROME_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    """Whether server-side rendering (PNG/SVG/PDF files, ZIP) can run here."""
    return chromium_path() is not None


def chromium_missing_reason() -> str | None:
    """``None`` if Chromium is there, else a plain sentence saying what is missing,
    in the interface language (the toolbar download still works)."""
    if chromium_available():
        return None
    env = os.environ.get("BROWSER_PATH")
    where = env if env else DEFAULT_CHROMIUM
    return t("export.no_chromium", path=where)


class ExportUnavailable(RuntimeError):
    """Server-side rendering is impossible here (no Chromium); the message says why."""


class _DropJsonNoise(logging.Filter):
    """choreographer logs a traceback for a harmless non-JSON message from Chromium."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith("JSONError decoding message")


_NOISE_FILTER = _DropJsonNoise()


def _quiet_choreographer() -> None:
    """Attach the filter once choreographer has created its (logistro) logger;
    creating that logger first with ``logging.getLogger`` would break it."""
    logger = logging.getLogger("choreographer.channels.pipe")
    if _NOISE_FILTER not in logger.filters:
        logger.addFilter(_NOISE_FILTER)


def _run_async(coro_factory):
    """Run a coroutine on its own event loop in a helper thread (works inside
    Streamlit's script thread and inside running loops alike)."""
    box: dict = {}

    def runner() -> None:
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc

    thread = threading.Thread(target=runner, name="attention-lab-export", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def render_figures(
    figs: Sequence[go.Figure],
    fmt: str = "png",
    preset: str = DEFAULT_PRESET,
    font_scale: float = 1.0,
    theme: str = "light",
    caption: str | Sequence[str] = "",
) -> list[bytes]:
    """Render several figures in ONE Chromium session (its start-up dominates).

    Each figure goes through ``prepare_figure`` first; ``caption`` is one
    caption for all figures or one per figure.

    Raises:
        ExportUnavailable: no Chromium here (see ``chromium_missing_reason``).
        ValueError: unknown format, preset or theme.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")
    size = SIZE_PRESETS.get(preset)
    if size is None:
        raise ValueError(f"unknown size preset {preset!r}; expected one of {tuple(SIZE_PRESETS)}")
    captions = [caption] * len(figs) if isinstance(caption, str) else list(caption)
    if len(captions) != len(figs):
        raise ValueError(f"{len(captions)} captions for {len(figs)} figures")
    prepared = [prepare_figure(f, preset, c, theme, font_scale).to_dict() for f, c in zip(figs, captions)]
    browser = chromium_path()
    if browser is None:
        raise ExportUnavailable(chromium_missing_reason() or "Chromium is not installed")
    opts = {"format": fmt, "width": size.width, "height": size.height, "scale": size.scale}

    import kaleido  # noqa: PLC0415 - only when an export is asked for

    _quiet_choreographer()

    async def run() -> list[bytes]:
        async with kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, path=browser, mathjax=False) as k:
            return [await k.calc_fig(d, opts=dict(opts)) for d in prepared]

    with _RENDER_LOCK:  # one Chromium at a time: a small server is not starved by several exports
        return _run_async(run)


def render_figure(
    fig: go.Figure,
    fmt: str = "png",
    preset: str = DEFAULT_PRESET,
    font_scale: float = 1.0,
    theme: str = "light",
    caption: str = "",
) -> bytes:
    """One figure as PNG, SVG or PDF bytes with Plotly's exporter (kaleido).

    ``theme`` and ``font_scale`` here only style what the export adds (page
    colour for ``print``, the caption); build ``fig`` with
    ``export_style(style, theme, font_scale)`` for the rest.
    """
    return render_figures([fig], fmt, preset, font_scale, theme, caption)[0]


def unique_names(names: Sequence[str]) -> list[str]:
    """``["a", "a", "b"]`` → ``["a", "a-2", "b"]``."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0) + 1
        seen[name] = n
        out.append(name if n == 1 else f"{name}-{n}")
    return out


def zip_files(files: Sequence[tuple[str, bytes]]) -> bytes:
    """``[(file name, bytes), …]`` as a ZIP (deflated; names made unique)."""
    buffer = io.BytesIO()
    names = unique_names([name for name, _ in files])
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, (_, data) in zip(names, files):
            zf.writestr(name, data)
    return buffer.getvalue()


def zip_figures(
    figs: Sequence[tuple[str, go.Figure]],
    fmt: str = "png",
    preset: str = DEFAULT_PRESET,
    font_scale: float = 1.0,
    theme: str = "light",
    caption: str | Sequence[str] = "",
) -> bytes:
    """``[(file stem, figure), …]`` rendered as one ZIP with one ``stem.fmt`` per figure.

    ``caption`` is one caption for all, or one per figure.
    """
    rendered = render_figures([f for _, f in figs], fmt, preset, font_scale, theme, caption)
    return zip_files([(f"{safe_filename(stem, 120)}.{fmt}", data) for (stem, _), data in zip(figs, rendered)])


# --------------------------------------------------------------------- data
KIND_AXES = {"encoder_self": ("source", "source"), "decoder_self": ("target", "target"), "cross": ("target", "source")}
CSV_COLUMNS = ["kind", "layer", "head", "query_index", "query_token", "key_index", "key_token", "weight"]


def attention_long_dataframe(res: TranslationResult) -> pd.DataFrame:
    """Every attention weight of ``res`` in long format, one row per weight.

    Columns: ``kind`` (``encoder_self`` / ``decoder_self`` / ``cross``),
    ``layer`` and ``head`` (**1-based**, as the app shows them),
    ``query_index`` / ``key_index`` (**0-based** positions, the ``#i`` of the
    hover box), ``query_token`` / ``key_token`` (the raw token labels:
    source tokens incl. ``</s>``; decoder input tokens ``<s> y_1 …``) and
    ``weight`` (float32, exactly ``res.attention``). Rows are ordered like
    ``res.attention.get(kind)[layer-1, head-1, query, key]``; masked decoder
    positions are included as exact zeros.
    """
    tokens = {"source": list(res.source_tokens), "target": list(res.target_tokens)}
    frames = []
    for kind, (q_side, k_side) in KIND_AXES.items():
        w = np.asarray(res.attention.get(kind), dtype=np.float32)
        layers, heads, n_q, n_k = w.shape
        layer, head, q, k = (a.ravel() for a in np.indices(w.shape))
        q_tokens = np.asarray(tokens[q_side][:n_q], dtype=object)
        k_tokens = np.asarray(tokens[k_side][:n_k], dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "layer": layer + 1,
                    "head": head + 1,
                    "query_index": q,
                    "query_token": q_tokens[q],
                    "key_index": k,
                    "key_token": k_tokens[k],
                    "weight": w.ravel(),
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    return df[CSV_COLUMNS]


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark so spreadsheet programs read Hangul right)."""
    return df.to_csv(index=False).encode("utf-8-sig")


def attention_csv(res: TranslationResult) -> bytes:
    """``attention_long_dataframe(res)`` as CSV bytes."""
    return to_csv_bytes(attention_long_dataframe(res))


def attention_json(res: TranslationResult) -> bytes:
    """The JSON ``python -m core.translate --json`` prints for this translation."""
    return json.dumps(res.to_dict(), ensure_ascii=False).encode("utf-8")


def data_file_stem(res: TranslationResult) -> str:
    """``attention_toy-reverse_a-b-c-d-e`` for the CSV/JSON downloads."""
    return file_stem("attention", sentence=res.source_text, extra=res.model_name)
