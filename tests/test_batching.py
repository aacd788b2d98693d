"""Cross-session micro-batching (core.batching): same results as alone, batches really form,
cancelled and bad requests stay their own."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from core import NothingToTranslate, load_translator
from core.batching import TranslationBatcher

ROOT = Path(__file__).resolve().parent.parent
EN_DE = load_translator(ROOT / "pretrained" / "multi30k-en-de")
TOY = load_translator(ROOT / "pretrained" / "toy-reverse")
SENTENCES = ["A dog runs through the snow.", "Two young girls are playing soccer in a park.",
             "A man in an orange hat is looking at something.", "The men are working on a truck.",
             "A woman is riding a bike down the street.", "A child plays."]
LETTERS = ["a b c d", "t e a c h", "s t r e a m", "f i r s t"]


def same(a, b) -> None:
    assert a.output_ids == b.output_ids and a.text == b.text
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert np.allclose(a.attention.get(kind), b.attention.get(kind), atol=1e-5), kind
    assert [s.top_ids for s in a.steps] == [s.top_ids for s in b.steps]


def test_eight_threads_mixed_models_and_beams_get_their_one_by_one_results():
    batcher = TranslationBatcher()
    jobs = [(EN_DE, s, beam) for s in SENTENCES for beam in (1, 2)] + [(TOY, s, 1) for s in LETTERS]
    expected = [tr.translate(text, beam_size=beam) for tr, text, beam in jobs]
    got: list = [None] * len(jobs)
    barrier = threading.Barrier(8)

    def worker(offset: int) -> None:
        barrier.wait()
        for i in range(offset, len(jobs), 8):
            tr, text, beam = jobs[i]
            got[i] = batcher.translate(tr, text, beam)

    batcher.pause()  # let the eight threads queue up first, as a class does
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    while batcher.pending < 8:
        threading.Event().wait(0.01)
    batcher.resume()
    for th in threads:
        th.join(timeout=120)
    for a, b in zip(got, expected):
        same(a, b)
    assert batcher.stats.largest > 1  # sentences of different sessions really shared a batch
    assert batcher.stats.sentences <= len(jobs)


def test_a_cancelled_request_is_dropped_and_the_others_are_unharmed():
    batcher = TranslationBatcher()
    batcher.pause()
    futures = [batcher.submit(EN_DE, s) for s in SENTENCES]
    assert futures[1].cancel() and futures[4].cancel()
    batcher.resume()
    for i, f in enumerate(futures):
        if i in (1, 4):
            assert f.cancelled()
        else:
            same(f.result(timeout=120), EN_DE.translate(SENTENCES[i]))
    assert batcher.stats.sentences == len(SENTENCES) - 2  # the cancelled ones were never decoded


def test_bad_input_fails_alone_and_identical_requests_are_decoded_once():
    batcher = TranslationBatcher()
    batcher.pause()
    empty = batcher.submit(EN_DE, "   ")
    twins = [batcher.submit(EN_DE, SENTENCES[0]) for _ in range(3)]
    other = batcher.submit(EN_DE, SENTENCES[2])
    batcher.resume()
    with pytest.raises(NothingToTranslate):
        empty.result(timeout=60)
    results = [f.result(timeout=120) for f in twins]
    assert results[0] is results[1] is results[2]
    same(results[0], EN_DE.translate(SENTENCES[0]))
    same(other.result(timeout=120), EN_DE.translate(SENTENCES[2]))
    assert batcher.stats.sentences == 2


def test_batches_are_capped_and_a_lone_request_runs_at_once():
    batcher = TranslationBatcher(max_batch=2)
    batcher.pause()
    futures = [batcher.submit(TOY, s) for s in LETTERS + ["a b", "c d e"]]
    batcher.resume()
    for f in futures:
        f.result(timeout=60)
    assert batcher.stats.largest == 2 and batcher.stats.batches == 3
    alone = TranslationBatcher()
    same(alone.translate(TOY, "a b c"), TOY.translate("a b c"))
    assert alone.stats.sizes == [1]
    with pytest.raises(ValueError):
        TranslationBatcher(max_batch=0)


def test_batches_are_capped_by_their_padded_size_too():
    """A batch stops before sentences × longest source would exceed ``max_tokens``: a long
    input does not share a batch padded to its length with short ones, however few pieces
    they add up to; identical texts stay together and are decoded once."""
    pieces = [len(TOY.source_tokenizer.encode(s)) + 1 for s in LETTERS]  # + </s>
    budget = 2 * max(pieces[:2])
    assert 3 * max(pieces[:3]) > budget
    long_one = " ".join("abcdefghijklmnopq")  # 18 positions with </s>
    assert len(TOY.source_tokenizer.encode(long_one)) + 1 > budget
    assert sum(pieces[2:]) + len(TOY.source_tokenizer.encode(long_one)) + 1 <= 64  # a plain sum would batch them
    for max_tokens, expected in ((budget, [2, 1, 1, 1]), (64, [4, 1])):
        batcher = TranslationBatcher(max_batch=10, max_tokens=max_tokens)
        batcher.pause()
        texts = LETTERS[:2] + [LETTERS[0]] + LETTERS[2:] + [long_one]
        futures = [batcher.submit(TOY, s) for s in texts]
        batcher.resume()
        results = [f.result(timeout=60) for f in futures]
        if max_tokens == budget:
            assert batcher.stats.sizes == expected, batcher.stats.sizes
        else:  # 4 short ones × longest ≤ 64, but 5 × 18 > 64: the long one alone
            assert batcher.stats.sizes == expected, batcher.stats.sizes
        for text, res in zip(texts, results):
            same(res, TOY.translate(text))
        assert results[0] is results[2]  # the repeated text was decoded once
    unbounded = TranslationBatcher(max_batch=10, max_tokens=None)
    unbounded.pause()
    futures = [unbounded.submit(TOY, s) for s in LETTERS + [long_one]]
    unbounded.resume()
    [f.result(timeout=60) for f in futures]
    assert unbounded.stats.sizes == [5]
    with pytest.raises(ValueError):
        TranslationBatcher(max_tokens=0)
