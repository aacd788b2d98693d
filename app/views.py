"""From a translation to what one view shows (pure; no Streamlit).

``attention_view`` picks the right tokens for each attention kind:

=================  ==========================  ==========================
kind               rows (queries)              columns (keys)
=================  ==========================  ==========================
``encoder_self``   source tokens               source tokens
``decoder_self``   target (decoder input)      target (decoder input)
``cross``          target (decoder input)      source tokens
=================  ==========================  ==========================

and applies the display options: merge subword pieces into words, hide
special tokens, or label decoder rows by the token each position predicted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import TranslationResult
from core.analysis import keep_positions, merge_labels, merge_words

KINDS = ("encoder_self", "decoder_self", "cross")


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
    if predicted:  # row t produced output token t
        return list(res.output_tokens), [tok == "</s>" for tok in res.output_tokens], list(res.output_words)
    return list(res.target_tokens), list(res.target_special), list(res.target_words)


def attention_view(
    res: TranslationResult,
    kind: str,
    merge: bool = False,
    hide_special: bool = False,
    predicted_labels: bool = False,
) -> MapView:
    """The weights and labels of ``kind`` after the display options."""
    if kind not in KINDS:
        raise ValueError(f"unknown attention kind {kind!r}; expected one of {KINDS}")
    weights = res.attention.get(kind)
    q_side, k_side = {"encoder_self": ("source", "source"), "decoder_self": ("target", "target"), "cross": ("target", "source")}[kind]
    q_labels, q_special, q_spans = _side(res, q_side, predicted_labels)
    k_labels, k_special, k_spans = _side(res, k_side, False)
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
