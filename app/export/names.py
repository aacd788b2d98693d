"""File names, toolbar settings and captions of exported figures (pure).

* ``file_stem`` — ``cross_L2_H3_a-dog-runs`` style names a lecturer can sort.
* ``toolbar_config`` — the ``config`` for ``st.plotly_chart``: the chart's own
  toolbar camera button downloads a PNG at slide resolution (1920 px wide by
  default) under that name. Plotly.js offers one format per toolbar; the
  export panel gives SVG and PDF.
* ``default_caption`` — the caption a slide starts with.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from app.export.layout import DEFAULT_PRESET, SIZE_PRESETS
from app.i18n import current_language, t
from core import TranslationResult

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


# Plotly's own toolbar and hover strings in Korean (plotly.js reads ``config.locales``;
# the bundled plotly.js has English only). Keys are plotly.js's English strings.
PLOTLY_KO = {
    "dictionary": {
        "Download plot as a png": "PNG로 그림 내려받기",
        "Download plot as a PNG": "PNG로 그림 내려받기",
        "Fullscreen": "전체 화면",
        "Download plot": "그림 내려받기",
        "Zoom": "영역 확대",
        "Pan": "이동",
        "Box Select": "상자 선택",
        "Lasso Select": "올가미 선택",
        "Zoom in": "확대",
        "Zoom out": "축소",
        "Autoscale": "자동 크기",
        "Reset axes": "축 초기화",
        "Reset view": "보기 초기화",
        "Toggle Spike Lines": "보조선 켜기/끄기",
        "Show closest data on hover": "가장 가까운 값 보기",
        "Compare data on hover": "값 비교하기",
        "Toggle show closest data on hover": "가장 가까운 값 보기 켜기/끄기",
        "Produced with Plotly.js": "Plotly.js로 만듦",
        "Snapshot succeeded": "그림을 저장했습니다",
        "Taking snapshot - this may take a few seconds": "그림을 만드는 중입니다. 몇 초 걸릴 수 있습니다",
        "Double-click to zoom back out": "두 번 클릭하면 원래 크기로 돌아갑니다",
        "Click to enter Colorscale title": "색상 스케일 제목을 입력하려면 클릭",
    },
    "format": {"decimal": ".", "thousands": ","},
}


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
    locale = {"locale": "ko", "locales": {"ko": PLOTLY_KO}} if current_language() == "ko" else {}
    return {
        **locale,
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_stem(kind, layer, head, sentence, extra=extra),
            "width": size.width,
            "height": size.height,
            "scale": size.scale,
        },
    }


def default_caption(query_axis: str, key_axis: str, source: str = "") -> str:
    """The caption a slide starts with: how to read the figure, not its title again.

    ``"Rows: query: source token · columns: key: source token · Attention Lab, multi30k-en-de, greedy"``
    (the title already names the attention, layer, head, model and sentence).
    """
    parts = [t("export.caption_rows", axis=query_axis), t("export.caption_columns", axis=key_axis)]
    if source:
        parts.append(source)
    return " · ".join(parts)


def data_file_stem(res: TranslationResult) -> str:
    """``attention_toy-reverse_a-b-c-d-e`` for the CSV/JSON downloads."""
    return file_stem("attention", sentence=res.source_text, extra=res.model_name)
