"""Rendering figures to PNG/SVG/PDF on the server with Plotly's own exporter
(kaleido 1.x driving a headless Chromium), one file or a ZIP of many.

The browser is ``$BROWSER_PATH`` if set, else ``/usr/bin/chromium``, else the
first Chrome/Chromium on ``PATH``; ``chromium_missing_reason`` tells the page
when there is none (the chart toolbar's PNG still works then).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go

from app.export.data import zip_files
from app.export.layout import DEFAULT_PRESET, SIZE_PRESETS, prepare_figure, visible_text
from app.export.names import safe_filename
from app.i18n import t

FORMATS = ("png", "svg", "pdf")


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
        files = _run_async(run)
    if fmt == "pdf":  # Chromium names every PDF "Kaleido-fier": give each its figure's title
        files = [with_pdf_title(data, figure_title(f)) for data, f in zip(files, figs)]
    return files


def figure_title(fig: go.Figure) -> str:
    """A figure's title as plain text (first line, markup removed)."""
    text = getattr(fig.layout.title, "text", None) or ""
    return visible_text(text.split("<br>", 1)[0]).strip()


def with_pdf_title(data: bytes, title: str) -> bytes:
    """The PDF ``data`` with its document title (what a PDF viewer's title bar shows) set to ``title``."""
    if not title:
        return data
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 - only for PDF exports

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": title, "/Creator": "Attention Lab"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
