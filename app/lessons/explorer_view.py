"""The explorer's view model: from a translation to what one map shows (pure; no Streamlit).

``attention_view`` picks the tokens of each axis from the attention kind's
query and key sides (``core.kinds``: source tokens, or the decoder's input
tokens ``<s> y_1 …``) and applies the display options: merge subword pieces
into words, hide special tokens, and label decoder rows by their input token,
the token they predicted, or both (``<s> → Ein``, the default). A row stays
the same query whatever its label: hiding special tokens hides the rows whose
*input* is special (``<s>``), never the row that predicted ``</s>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core import TranslationResult, attention_kind
from core.analysis import keep_positions, merge_labels, merge_words


@dataclass
class MapView:
    """Weights of one attention kind, ready to draw.

    Attributes:
        weights: ``(layers, heads, q_len, k_len)``.
        query_labels, key_labels: tick labels (rows, columns).
        query_special, key_special: which rows / columns are special tokens.
    """

    kind: str
    weights: np.ndarray
    query_labels: list[str]
    key_labels: list[str]
    query_special: list[bool]
    key_special: list[bool]


ROW_LABELS = ("both", "input", "predicted")  # how decoder rows (queries) are labelled


def _side(res: TranslationResult, side: str) -> tuple[list[str], list[bool], list[tuple[int, int]]]:
    if side == "source":
        return list(res.source_tokens), list(res.source_special), list(res.source_words)
    return list(res.target_tokens), list(res.target_special), list(res.target_words)


def piece_spans(labels: list[str]) -> list[tuple[int, int]]:
    """One span per piece: ``[(0, 1), (1, 2), …]`` (nothing merged)."""
    return [(i, i + 1) for i in range(len(labels))]


def decoder_row_labels(res: TranslationResult, spans: list[tuple[int, int]], mode: str) -> list[str]:
    """Labels of decoder rows ``spans`` (one row per piece, or merged words).

    Row t is the query of decoder *input* token t (``<s>``, y_1, …) and the
    position that *predicts* output token t (y_1, …, ``</s>``): a row read by
    its input alone is off by one from what it produced (the Annotated
    Transformer's issue #104), so by default a row says both, ``<s> → Ein``.
    """
    inputs = merge_labels(res.target_tokens, spans)
    # Rows a … b-1 produced outputs a … b-1 (the next pieces, shifted by one): merging those
    # as a word would glue pieces of two words ("##nd läuft"), so they are listed as they came.
    predicted = [res.output_tokens[a] if b - a == 1 else " ".join(res.output_tokens[a:b]) for a, b in spans]
    return row_labels(inputs, predicted, mode)


def row_labels(inputs: Sequence[str], predicted: Sequence[str], mode: str = "both") -> list[str]:
    """Decoder row labels from each row's input token and the token it predicts:
    ``mode`` ``"input"``, ``"predicted"`` or ``"both"`` (``<s> → Ein``)."""
    if mode == "input":
        return list(inputs)
    if mode == "predicted":
        return list(predicted)
    return [f"{a} → {b}" for a, b in zip(inputs, predicted)]


def attention_view(
    res: TranslationResult,
    kind: str,
    merge: bool = False,
    hide_special: bool = False,
    row_labels: str = "both",
) -> MapView:
    """The weights and labels of ``kind`` after the display options.

    ``row_labels`` (``"both"``, ``"input"``, ``"predicted"``) labels decoder
    rows; source rows and every column are labelled by their token.
    """
    info = attention_kind(kind)  # ValueError for an unknown kind
    if row_labels not in ROW_LABELS:
        raise ValueError(f"row_labels must be one of {ROW_LABELS}, got {row_labels!r}")
    weights = res.attention.get(kind)
    q_labels, q_special, q_spans = _side(res, info.query_side)
    k_labels, k_special, k_spans = _side(res, info.key_side)
    if not merge:
        q_spans, k_spans = piece_spans(q_labels), piece_spans(k_labels)
    else:
        weights = merge_words(weights, q_spans, k_spans)
    q_special = [q_special[a] for a, _ in q_spans]
    k_special = [k_special[a] for a, _ in k_spans]
    k_labels = merge_labels(k_labels, k_spans)
    q_labels = merge_labels(q_labels, q_spans) if info.query_side == "source" else decoder_row_labels(res, q_spans, row_labels)
    if hide_special:  # a row stays the query of its input token: <s>'s row goes, the row that predicted </s> stays
        q_keep = [i for i, s in enumerate(q_special) if not s] or list(range(len(q_special)))
        k_keep = [i for i, s in enumerate(k_special) if not s] or list(range(len(k_special)))
        weights = keep_positions(weights, q_keep, k_keep, renormalize=False)
        q_labels = [q_labels[i] for i in q_keep]
        k_labels = [k_labels[i] for i in k_keep]
        q_special = [q_special[i] for i in q_keep]
        k_special = [k_special[i] for i in k_keep]
    return MapView(kind, weights, q_labels, k_labels, q_special, k_special)


WINDOW = 48  # the most tokens per axis a heatmap draws legibly (cells ≥ ~10 px, labels readable)


@dataclass(frozen=True)
class Window:
    """Which part of a long map is shown: rows ``row_start … row_start+rows-1`` of ``n_rows`` (0-based), the same for columns."""

    row_start: int
    rows: int
    n_rows: int
    col_start: int
    cols: int
    n_cols: int

    @property
    def cropped(self) -> bool:
        return self.rows < self.n_rows or self.cols < self.n_cols


def window_view(view: MapView, row_start: int = 0, col_start: int = 0, size: int = WINDOW) -> tuple[MapView, Window]:
    """At most ``size`` rows and columns of ``view``, starting at the given (clamped) positions.

    A 150-token sentence would otherwise draw 150 × 150 cells of 2–3 px under
    labels that overlap into a blur: the page shows a window and lets the
    student move it. Weights are the same numbers, only fewer of them.
    """
    n_q, n_k = len(view.query_labels), len(view.key_labels)
    r0 = int(np.clip(row_start, 0, max(n_q - size, 0)))
    c0 = int(np.clip(col_start, 0, max(n_k - size, 0)))
    rows, cols = slice(r0, r0 + size), slice(c0, c0 + size)
    cropped = MapView(
        view.kind, view.weights[..., rows, cols], view.query_labels[rows], view.key_labels[cols],
        view.query_special[rows], view.key_special[cols],
    )
    return cropped, Window(r0, len(cropped.query_labels), n_q, c0, len(cropped.key_labels), n_k)


def with_average(layer_weights: np.ndarray) -> np.ndarray:
    """``(heads, q, k)`` → ``(heads + 1, q, k)`` with the head average appended."""
    return np.concatenate([layer_weights, layer_weights.mean(0, keepdims=True)], axis=0)
