"""core.length_groups: the least-cost grouping of a batch by length, and translations that use it
equal to each sentence translated alone."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from core import load_translator
from core.length_groups import length_groups

ROOT = Path(__file__).resolve().parent.parent


def cost(lengths: list[int], groups: list[list[int]], overhead: int) -> int:
    return sum(len(g) * max(lengths[i] for i in g) + overhead for g in groups)


def every_grouping(n: int):
    """All partitions of range(n) into non-empty groups (Bell(n) of them; n ≤ 7 here)."""
    if n == 0:
        yield []
        return
    for rest in every_grouping(n - 1):
        for k in range(len(rest)):
            yield rest[:k] + [rest[k] + [n - 1]] + rest[k + 1 :]
        yield rest + [[n - 1]]


@pytest.mark.parametrize("lengths,overhead", [
    ([3, 40, 4, 38, 5, 6, 41], 16),
    ([12, 12, 13, 30, 2], 8),
    ([7, 1, 50, 49, 2, 3], 64),
    ([10, 10, 10, 10], 0),
])
def test_the_grouping_costs_least_of_all_partitions(lengths, overhead):
    """Exhaustive check: no partition at all (not only runs of sorted neighbours) costs less."""
    groups = length_groups(lengths, overhead)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    best = min(cost(lengths, p, overhead) for p in every_grouping(len(lengths)))
    assert cost(lengths, groups, overhead) == best


def test_extremes_one_group_or_one_per_length():
    lengths = [5, 9, 5, 30, 9]
    assert length_groups(lengths, overhead=10_000) == [[0, 2, 1, 4, 3]]  # shortest first
    assert [sorted(lengths[i] for i in g) for g in length_groups(lengths, overhead=0)] == [[5, 5], [9, 9], [30]]
    assert length_groups([], 64) == []
    with pytest.raises(ValueError, match="overhead"):
        length_groups(lengths, overhead=-1)


@pytest.fixture(scope="module")
def en_de():
    return load_translator(ROOT / "pretrained" / "multi30k-en-de")


# Eight short sentences and two long ones: encoded as one batch, 80 % of its positions would be padding.
SHORT = ["A dog.", "Two cats.", "A man runs.", "Kids play.", "A red car.", "Birds fly.", "A girl sings.", "Rain."]
LONG = ["A man in a blue shirt and a woman in a red dress are walking down a busy street past many shops.",
        "Three young children are playing with a large brown dog in the green grass next to an old house."]


def test_a_batch_encoded_in_groups_equals_each_sentence_alone(en_de):
    texts = [SHORT[0], LONG[0], *SHORT[1:5], LONG[1], *SHORT[5:]]
    lengths = [len(en_de.prepare_source(t)[0]) for t in texts]
    assert len(length_groups(lengths)) > 1  # the batch really is encoded in groups
    batch = en_de.translate_batch(texts)
    for text, got in zip(texts, batch):
        alone = en_de.translate(text)
        assert got.output_ids == alone.output_ids and got.text == alone.text
        for kind in ("encoder_self", "decoder_self", "cross"):
            a, b = got.attention.get(kind), alone.attention.get(kind)
            assert a.shape == b.shape and np.allclose(a, b, atol=1e-5), kind
        assert np.allclose(got.attention.encoder_self.sum(-1), 1.0, atol=1e-5)  # rows are distributions


def test_translate_texts_keeps_the_input_order_while_batching_by_length(en_de):
    """It decodes sorted by length; each line still gets its own translation, blank lines stay blank."""
    texts = [LONG[0], "", SHORT[2], LONG[1], "   ", SHORT[0], SHORT[7]]
    got = en_de.translate_texts(texts, batch_size=3)
    expected = [en_de.translate(t).text if t.strip() else "" for t in texts]
    assert got == expected
