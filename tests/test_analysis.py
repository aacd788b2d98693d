"""Merging pieces, hiding specials, head statistics and rollout."""

from __future__ import annotations

import numpy as np
import pytest

from app.lessons.explorer_view import attention_view
from core.analysis import (
    cross_rollout,
    head_statistics,
    keep_positions,
    merge_labels,
    merge_words,
    rollout,
)
from tests.conftest import SENTENCES


def test_merge_words_sums_columns_and_averages_rows():
    w = np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25], [0.0, 1.0, 0.0]])
    merged = merge_words(w, [(0, 2), (2, 3)], [(0, 1), (1, 3)])
    assert merged.shape == (2, 2)
    assert merged[0].tolist() == pytest.approx([(0.1 + 0.5) / 2, (0.9 + 0.5) / 2])
    assert merged[1].tolist() == pytest.approx([0.0, 1.0])
    assert np.allclose(merged.sum(-1), 1.0)


def test_merge_labels_joins_continuations():
    assert merge_labels(["rid", "##ing", "a", "bike", "</s>"], [(0, 2), (2, 3), (3, 4), (4, 5)]) == ["riding", "a", "bike", "</s>"]


def test_keep_positions_can_renormalize():
    w = np.array([[0.5, 0.25, 0.25]])
    assert keep_positions(w, [0], [0, 1], renormalize=False).tolist() == [[0.5, 0.25]]
    assert keep_positions(w, [0], [0, 1])[0].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_views_merge_and_hide(tiny_translator):
    res = tiny_translator.translate("The children are jumping into the swimming pool.")
    merged = attention_view(res, "encoder_self", merge=True)
    assert len(merged.key_labels) == len(res.source_words) < len(res.source_tokens) or len(res.source_words) == len(res.source_tokens)
    assert np.allclose(merged.weights.sum(-1), 1.0, atol=1e-5)
    hidden = attention_view(res, "cross", hide_special=True)
    assert "<s>" not in hidden.query_labels and "</s>" not in hidden.key_labels
    assert hidden.weights.shape[-2:] == (len(res.target_tokens) - 1, len(res.source_tokens) - 1)


def test_head_statistics_find_textbook_heads():
    n = 5
    diagonal = np.eye(n)
    previous = np.eye(n, k=-1)
    previous[0, 0] = 1.0
    sink = np.zeros((n, n))
    sink[:, -1] = 1.0
    uniform = np.full((n, n), 1 / n)
    weights = np.stack([diagonal, previous, sink, uniform])[None]  # (1 layer, 4 heads, n, n)
    stats = head_statistics(weights, key_special=[False] * (n - 1) + [True])
    assert stats["diagonal_distance"][0] == 0.0
    assert stats["previous_token"][1] == pytest.approx(4 / 5)
    assert stats["special_share"][2] == 1.0
    assert stats["entropy"][3] == pytest.approx(np.log2(n))
    assert stats["entropy"][0] == pytest.approx(0.0, abs=1e-6)
    assert stats["max_weight"][0] == 1.0 and stats["max_weight"][3] == pytest.approx(1 / n)


def test_cross_attention_diagonal_is_scaled_to_lengths():
    # a perfect monotone alignment of 3 targets to 5 sources: 0→0, 1→2, 2→4
    w = np.zeros((1, 1, 3, 5))
    for t, s in enumerate([0, 2, 4]):
        w[0, 0, t, s] = 1.0
    assert head_statistics(w, [False] * 5)["diagonal_distance"][0] == 0.0


def test_rollout_rows_sum_to_one_and_identity_attention_is_fixed_point(tiny_translator):
    res = tiny_translator.translate(SENTENCES[1])
    r = rollout(res.attention.encoder_self)
    assert r.shape == (res.attention.encoder_self.shape[0],) + res.attention.encoder_self.shape[-2:]
    assert np.allclose(r.sum(-1), 1.0)
    eye = np.broadcast_to(np.eye(4), (2, 3, 4, 4))
    assert np.allclose(rollout(eye)[-1], np.eye(4))
    composed = cross_rollout(res.attention.cross, r[-1])
    assert np.allclose(composed.sum(-1), 1.0, atol=1e-5)
