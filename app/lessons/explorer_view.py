"""The explorer's view model: from a translation to what one map shows (pure; no Streamlit).

``attention_view`` picks the tokens of each axis from the attention kind's
query and key sides (``core.kinds``: source tokens, or the decoder's input
tokens ``<s> y_1 …``) and applies the display options: merge subword pieces
into words, hide special tokens, or label decoder rows by the token each
position predicted. A row stays the same query whatever its label: hiding
special tokens hides the rows whose *input* is special (``<s>``), never the
row that predicted ``</s>``.
"""

from __future__ import annotations

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


def _side(res: TranslationResult, side: str, predicted: bool) -> tuple[list[str], list[bool], list[tuple[int, int]]]:
    if side == "source":
        return list(res.source_tokens), list(res.source_special), list(res.source_words)
    if predicted:  # row t is still the query of input token t; it produced output token t
        return list(res.output_tokens), list(res.target_special), list(res.output_words)
    return list(res.target_tokens), list(res.target_special), list(res.target_words)


def attention_view(
    res: TranslationResult,
    kind: str,
    merge: bool = False,
    hide_special: bool = False,
    predicted_labels: bool = False,
) -> MapView:
    """The weights and labels of ``kind`` after the display options."""
    info = attention_kind(kind)  # ValueError for an unknown kind
    weights = res.attention.get(kind)
    q_labels, q_special, q_spans = _side(res, info.query_side, predicted_labels)
    k_labels, k_special, k_spans = _side(res, info.key_side, False)
    if merge:
        weights = merge_words(weights, q_spans, k_spans)
        q_special = [q_special[a] for a, _ in q_spans]
        k_special = [k_special[a] for a, _ in k_spans]
        q_labels = merge_labels(q_labels, q_spans)
        k_labels = merge_labels(k_labels, k_spans)
    if hide_special:
        q_keep = [i for i, s in enumerate(q_special) if not s] or list(range(len(q_special)))
        k_keep = [i for i, s in enumerate(k_special) if not s] or list(range(len(k_special)))
        weights = keep_positions(weights, q_keep, k_keep, renormalize=False)
        q_labels = [q_labels[i] for i in q_keep]
        k_labels = [k_labels[i] for i in k_keep]
        q_special = [q_special[i] for i in q_keep]
        k_special = [k_special[i] for i in k_keep]
    return MapView(kind, weights, q_labels, k_labels, q_special, k_special)


def with_average(layer_weights: np.ndarray) -> np.ndarray:
    """``(heads, q, k)`` → ``(heads + 1, q, k)`` with the head average appended."""
    return np.concatenate([layer_weights, layer_weights.mean(0, keepdims=True)], axis=0)
