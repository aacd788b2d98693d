"""The "Export for slides" panel and the attention data downloads (Streamlit UI).

A page hands over what can be exported as ``ExportItem`` s. Each one holds a
*builder* — a function from a ``Style`` to a Plotly figure — so the panel can
re-draw the figure with the export's theme and font scale through the same
``app.figures`` functions the page uses, instead of patching a finished figure::

    from app.ui.export_panel import ExportItem, export_panel

    export_panel(
        [
            ExportItem.current(lambda s: explorer_figures.attention_heatmap(w, q, k, title, s), stem, caption),
            ExportItem.grid(lambda s: explorer_figures.head_grid(panels, q, k, grid_title, names, s), grid_stem, grid_caption),
            ExportItem.overview(lambda s: explorer_figures.layers_heads_overview(...), overview_stem, overview_caption),
            ExportItem.heads(lambda s: [(stem_h, explorer_figures.attention_heatmap(...)) for h in ...], zip_stem, caption),
        ],
        style=ctx.display.style,
    )

A lesson page with a single figure passes ``[ExportItem.current(builder, stem, caption)]``
(or an ``ExportItem`` with its own label). Nothing is rendered until the user
presses "Prepare file", so ordinary reruns stay fast; rendering needs Chromium
(see ``app.export.render``) and the panel says so plainly where there is none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from app.export import data as export_data
from app.export import layout as export_layout
from app.export import names as export_names
from app.export import render as export_render
from app.figures.common import Style
from app.i18n import t
from core import TranslationResult

FigureBuilder = Callable[[Style], go.Figure]
FilesBuilder = Callable[[Style], Sequence[tuple[str, go.Figure]]]
FONT_SCALES = [1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0]
DEFAULT_FONT_SCALE = 1.5


@dataclass(frozen=True)
class ExportItem:
    """One choice under "What" in the export panel.

    Attributes:
        label: what the choice reads (already translated).
        stem: file name without extension (``app.export.names.file_stem``).
        build: ``Style → figure`` for a single-figure export, or
        build_files: ``Style → [(file stem, figure), …]`` for a ZIP with one file each.
        caption: the caption the text box starts with.
    """

    label: str
    stem: str
    build: FigureBuilder | None = None
    build_files: FilesBuilder | None = None
    caption: str = ""

    def __post_init__(self) -> None:
        if (self.build is None) == (self.build_files is None):
            raise ValueError("an ExportItem needs exactly one of build or build_files")

    @property
    def is_zip(self) -> bool:
        return self.build_files is not None

    @classmethod
    def current(cls, build: FigureBuilder, stem: str, caption: str = "") -> ExportItem:
        """The figure the page shows now."""
        return cls(t("export.what.current"), stem, build=build, caption=caption)

    @classmethod
    def grid(cls, build: FigureBuilder, stem: str, caption: str = "") -> ExportItem:
        """All heads of a layer as one grid figure."""
        return cls(t("export.what.grid"), stem, build=build, caption=caption)

    @classmethod
    def overview(cls, build: FigureBuilder, stem: str, caption: str = "") -> ExportItem:
        """The layers × heads overview."""
        return cls(t("export.what.overview"), stem, build=build, caption=caption)

    @classmethod
    def heads(cls, build_files: FilesBuilder, stem: str, caption: str = "") -> ExportItem:
        """Every head of a layer as separate files in one ZIP."""
        return cls(t("export.what.heads"), stem, build_files=build_files, caption=caption)


def signature(item: ExportItem, settings: tuple, style: Style | None) -> str:
    """SHA-256 of exactly what ``render_item`` would render: the figure(s) built
    with the export style, their file stems, and the export settings."""
    fmt, preset, theme, font_scale, caption = settings
    export_style = export_layout.export_style(style or Style(), theme, font_scale)
    if item.build_files is not None:
        parts = [f"{stem}\n{fig.to_json()}" for stem, fig in item.build_files(export_style)]
    else:
        assert item.build is not None
        parts = [item.build(export_style).to_json()]
    digest = hashlib.sha256(repr((item.stem, item.is_zip, settings)).encode("utf-8"))
    for part in parts:
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _human_size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def render_item(
    item: ExportItem,
    fmt: str,
    preset: str,
    font_scale: float,
    theme: str,
    caption: str,
    style: Style,
) -> tuple[str, bytes, str]:
    """``(file name, bytes, mime type)`` of one export (no Streamlit calls).

    Raises:
        export_render.ExportUnavailable: no Chromium.
    """
    export_style = export_layout.export_style(style, theme, font_scale)
    if item.build_files is not None:
        files = list(item.build_files(export_style))
        data = export_render.zip_figures(files, fmt, preset, font_scale, theme, caption)
        return f"{item.stem}_{fmt}.zip", data, export_render.MIME_TYPES["zip"]
    assert item.build is not None
    data = export_render.render_figure(item.build(export_style), fmt, preset, font_scale, theme, caption)
    return f"{item.stem}.{fmt}", data, export_render.MIME_TYPES[fmt]


CHOICES = ("what", "format", "size", "theme", "font_scale", "with_caption")  # the panel's widgets that are remembered


def keep_choices(key: str) -> None:
    """Keep the closed panel's choices (format, size, theme …, an edited caption) for when it opens again.

    Streamlit forgets the value of a widget that a run does not draw; writing it back
    into session state makes it the session's own value, which it keeps.
    """
    widgets = [f"{key}_{name}" for name in CHOICES]
    widgets += [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{key}_caption_")]  # edited captions
    for widget in widgets:
        if widget in st.session_state:
            st.session_state[widget] = st.session_state[widget]


def export_panel(
    items: Sequence[ExportItem],
    *,
    style: Style | None = None,
    key: str = "export",
    expanded: bool = False,
) -> None:
    """Draw the "Export for slides" expander for ``items``.

    Args:
        items: what can be exported; the first is preselected.
        style: the page's display style (its colour scale is kept for the
            light and dark themes).
        key: prefix of every widget key (keep the default ``"export"`` unless
            a page shows two panels at once).
        expanded: open the expander initially.
    """
    items = list(items)
    # Built only while open (a stateful expander reruns on open and close): closed, the
    # panel is one element instead of a dozen widgets on every run and re-draw.
    box = st.expander(t("export.title"), expanded=expanded, icon=":material/slideshow:", key=f"{key}_open", on_change="rerun")
    if not box.open:
        keep_choices(key)
        return
    with box:
        if not items:
            st.caption(t("export.nothing"))
            return
        st.caption(t("export.intro"))
        reason = export_render.chromium_missing_reason()
        if reason:
            st.info(reason)
            return
        labels = [it.label for it in items]
        index = st.radio(t("export.what"), list(range(len(items))), format_func=labels.__getitem__, key=f"{key}_what")
        index = index if index is not None and index < len(items) else 0
        item = items[index]
        col_format, col_size, col_theme = st.columns(3)
        with col_format:
            fmt = st.segmented_control(
                t("export.format"), list(export_render.FORMATS), format_func=str.upper, default="png",
                key=f"{key}_format", required=True, help=t("export.format_help"),
            ) or "png"
        with col_size:
            sizes = {p: t(f"export.size.{p}") for p in export_layout.SIZE_PRESETS}
            preset = st.selectbox(t("export.size"), list(sizes), format_func=sizes.get, key=f"{key}_size")
        with col_theme:
            themes = {x: t(f"export.theme.{x}") for x in export_layout.THEMES}
            theme = st.selectbox(
                t("export.theme"), list(themes), format_func=themes.get, key=f"{key}_theme", help=t("export.theme_help")
            )
        font_scale = st.select_slider(
            t("export.font_scale"), FONT_SCALES, value=DEFAULT_FONT_SCALE, format_func=lambda v: f"{v:g}×",
            key=f"{key}_font_scale", help=t("export.font_scale_help"),
        )
        with_caption = st.checkbox(t("export.add_caption"), value=True, key=f"{key}_with_caption")
        caption = ""
        if with_caption:
            # a new default (other layer, head or sentence) gets a fresh box prefilled with it
            caption = st.text_input(
                t("export.caption"), value=item.caption, key=f"{key}_caption_{_digest(item.caption)}",
                help=t("export.caption_help"),
            )
        store = f"{key}_prepared"
        settings = (fmt, preset, theme, float(font_scale), caption)
        prepared = st.session_state.get(store)
        if st.button(t("export.prepare"), key=f"{key}_prepare", icon=":material/draw:"):
            try:
                with st.spinner(t("export.preparing")):
                    name, data, mime = render_item(item, fmt, preset, float(font_scale), theme, caption, style or Style())
                prepared = {"signature": signature(item, settings, style), "name": name, "data": data, "mime": mime}
                st.session_state[store] = prepared
            except Exception as exc:  # noqa: BLE001 - shown to the user, the app goes on
                st.session_state.pop(store, None)
                prepared = None
                st.error(t("export.failed", error=str(exc) or type(exc).__name__))
        # A prepared file is offered only while it is what would be rendered now:
        # another model, beam, sentence, head or display option changes the figure.
        if prepared and prepared["signature"] == signature(item, settings, style):
            st.caption(t("export.ready", name=prepared["name"], size=_human_size(len(prepared["data"]))))
            st.download_button(
                t("export.download", name=prepared["name"]),
                prepared["data"],
                file_name=prepared["name"],
                mime=prepared["mime"],
                key=f"{key}_download",
                on_click="ignore",
                type="primary",
                icon=":material/download:",
            )


def data_downloads(res: TranslationResult, key: str = "export_data") -> None:
    """CSV (long format) and JSON downloads of every attention weight of ``res``.

    The files are built only when a button is clicked (deferred download).
    """
    stem = export_names.data_file_stem(res)
    col_csv, col_json, _ = st.columns([1, 1, 3])
    with col_csv:
        st.download_button(
            t("export.data_csv"), partial(export_data.attention_csv, res), file_name=f"{stem}.csv",
            mime=export_render.MIME_TYPES["csv"], key=f"{key}_csv", help=t("export.data_csv_help"),
            icon=":material/table:", on_click="ignore",
        )
    with col_json:
        st.download_button(
            t("export.data_json"), partial(export_data.attention_json, res), file_name=f"{stem}.json",
            mime=export_render.MIME_TYPES["json"], key=f"{key}_json", help=t("export.data_json_help"),
            icon=":material/data_object:", on_click="ignore",
        )


class ChartShelf:
    """The charts of a lesson page, drawn for the page and offered again for slides.

    ``shelf.chart(build, key)`` draws ``build(style)`` with the toolbar's
    1920-px PNG download (named after the page, the chart and the sentence)
    and remembers the builder; ``shelf.export_panel()`` at the end of the page
    offers every chart in the export panel (PNG/SVG/PDF, sizes, themes, font
    scale, caption), re-drawn through the same builder with the export style.
    """

    def __init__(self, page: str, style: Style, sentence: str = "", caption: str = "") -> None:
        self.page = page
        self.style = style
        self.sentence = sentence
        self.caption = caption
        self.items: list[ExportItem] = []
        st.session_state[PENDING_SHELF] = self  # main.py draws its panel after the page, even after st.stop()

    def chart(self, build: FigureBuilder, key: str, **plotly_chart_kwargs) -> go.Figure:
        """Draw one chart (``st.plotly_chart`` with ``key``) and keep it for export."""
        fig = build(self.style)
        stem = export_names.file_stem(extra=key, sentence=self.sentence)
        st.plotly_chart(fig, key=key, config=export_names.toolbar_config(extra=key, sentence=self.sentence), **plotly_chart_kwargs)
        title = getattr(fig.layout.title, "text", None) or key
        self.items.append(ExportItem(_plain_title(title), stem, build=build, caption=self.caption))
        return fig

    def export_panel(self) -> None:
        """The export panel for every chart drawn so far (nothing when none was drawn)."""
        if self.items:
            export_panel(self.items, style=self.style, key=f"export_{self.page}")


PENDING_SHELF = "chart_shelf"


def draw_pending_shelf() -> None:
    """Called by ``main.py`` once the page has run (or stopped): the page's export panel."""
    shelf = st.session_state.pop(PENDING_SHELF, None)
    if isinstance(shelf, ChartShelf):
        shelf.export_panel()


def _plain_title(title: str) -> str:
    """A figure title as one line of plain text for the "What" choice (no markup, no subtitle)."""
    first = title.split("<br>", 1)[0]
    return export_layout.visible_text(first)
