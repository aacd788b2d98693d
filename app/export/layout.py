"""Slide layout of an exported figure (pure Plotly).

``prepare_figure`` adds what an export needs to a figure that was built for
it: the size preset (16:9, 4:3, square at 1920 px), room for the title and
tick labels, the optional caption and, for the print theme, a pure white/black
page. Colours, fonts and the font scale come from rebuilding the figure with
``export_style(...)``.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass, replace

import plotly.graph_objects as go

from app.figures.common import FONT_FAMILY, Style, axis_ref, plain_text


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


THEMES = ("light", "dark", "print")


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


_TAG = re.compile(r"<[^>]*>")


def visible_text(label: str) -> str:
    """What Plotly shows for a label: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", str(label)))


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: wide (CJK) characters ≈ 1 em, others ≈ 0.6 em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in visible_text(text)) * size


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
        ref = axis_ref(name)
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
