"""core.fast_decoding gives what core.decoding.greedy_decode gives: tokens, log-probs, top-k, every row."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from core import load_translator
from core.ablation import Ablation
from core.config import TransformerConfig
from core.decoding import greedy_decode
from core.fast_decoding import fast_greedy_decode
from core.model import Transformer

ROOT = Path(__file__).resolve().parent.parent
VAL = ROOT / "../shared/data/multi30k/val.en"


def assert_same(walk, fast, atol=5e-6):
    """Equal up to float32 rounding: summing in another order moves the 7th digit (the module walk
    itself differs by 1.6e-6 between a sentence decoded alone and in a batch)."""
    assert len(walk) == len(fast)
    for a, b in zip(walk, fast):
        assert a.token_ids == b.token_ids
        assert a.finished == b.finished
        assert a.log_prob == pytest.approx(b.log_prob, abs=1e-4)
        assert a.token_probs == pytest.approx(b.token_probs, abs=atol)
        assert torch.equal(a.top_ids, b.top_ids)
        assert torch.allclose(a.top_probs, b.top_probs, atol=atol)
        assert len(a.self_rows) == len(b.self_rows) == len(a.token_ids)
        for t, (ra, rb) in enumerate(zip(a.self_rows, b.self_rows)):
            assert ra.shape == rb.shape == (ra.shape[0], ra.shape[1], t + 1)
            assert torch.allclose(ra, rb, atol=atol), f"self row {t}"
        assert a.cross_rows.shape == b.cross_rows.shape
        assert torch.allclose(a.cross_rows, b.cross_rows, atol=atol)


def decode_both(model, src, max_lens, **kwargs):
    with torch.inference_mode():
        walk = greedy_decode(model, src, max_lens, record=True)
        fast = fast_greedy_decode(model, src, max_lens, record=True, **kwargs)
    return walk, fast


@pytest.fixture(scope="module")
def en_de():
    return load_translator(ROOT / "pretrained" / "multi30k-en-de")


@pytest.fixture(scope="module")
def padded_batch(en_de):
    """24 validation sentences of 3–30 words: rows finish at very different steps."""
    lines = [s for s in VAL.read_text(encoding="utf-8").splitlines() if s] if VAL.is_file() else []
    if not lines:
        lines = list(en_de.info.metadata["examples"]) * 4
    lines = sorted(lines[:200], key=len)[::8][:24]
    ids = [en_de.prepare_source(s)[0] for s in lines]
    return en_de._pad(ids), [en_de.default_max_len(len(i)) for i in ids]


@pytest.mark.parametrize("compact_below", [0.0, 0.5, 0.95])
def test_shipped_model_batch_equals_the_module_walk(en_de, padded_batch, compact_below):
    """With and without dropping finished rows from the batch (0 never drops)."""
    src, max_lens = padded_batch
    walk, fast = decode_both(en_de.model, src, max_lens, compact_below=compact_below)
    assert len({len(h.token_ids) for h in walk}) > 5  # rows do finish at different steps
    assert_same(walk, fast)


def test_rows_cut_by_max_len_equal_the_module_walk(en_de, padded_batch):
    """Some rows stop at their budget without </s>; others end earlier."""
    src, _ = padded_batch
    max_lens = [3 + (i % 7) * 4 for i in range(src.size(0))]
    walk, fast = decode_both(en_de.model, src, max_lens)
    assert any(not h.finished for h in walk) and any(h.finished for h in walk)
    assert_same(walk, fast)


def test_plain_decoding_gives_the_same_tokens(en_de, padded_batch):
    src, max_lens = padded_batch
    with torch.inference_mode():
        walk = greedy_decode(en_de.model, src, max_lens, record=False)
        fast = fast_greedy_decode(en_de.model, src, max_lens, record=False)
    assert [h.token_ids for h in walk] == [h.token_ids for h in fast]
    assert all(h.self_rows is None and h.cross_rows is None for h in fast)


@pytest.mark.parametrize("tied", [True, False])
def test_other_shapes_separate_embeddings_untied_output(tied):
    """Different encoder/decoder depths, separate vocabularies, an output layer of its own."""
    torch.manual_seed(3)
    cfg = TransformerConfig(src_vocab_size=50, tgt_vocab_size=37, d_model=24, n_heads=3, n_encoder_layers=1,
                            n_decoder_layers=3, d_ff=40, max_positions=40, dropout=0.0,
                            share_embeddings=False, tie_output=tied)
    model = Transformer(cfg).eval()
    src = torch.randint(4, 50, (5, 9))
    src[1, 6:] = cfg.pad_id
    src[3, 2:] = cfg.pad_id
    walk, fast = decode_both(model, src, [20, 5, 12, 30, 1])
    assert_same(walk, fast)


def test_the_weights_as_they_are_now_are_decoded():
    """However the weights change — in place without a version bump (``p.data``, fused
    optimizers), a new dtype, new tensors (``load_state_dict(assign=True)``) — the next
    call decodes them: nothing derived from them is kept between calls."""
    torch.manual_seed(0)
    cfg = TransformerConfig(src_vocab_size=30, tgt_vocab_size=30, d_model=16, n_heads=2, n_encoder_layers=1,
                            n_decoder_layers=2, d_ff=32, max_positions=32, dropout=0.0)
    model = Transformer(cfg).eval()
    src = torch.randint(4, 30, (2, 7))
    before = decode_both(model, src, [15, 15])[1]
    with torch.no_grad():
        model.decoder_layers[0].self_attn.w_k.weight.data.mul_(3.0)
        model.decoder_layers[1].cross_attn.w_v.bias.data.add_(0.5)
        model.decoder_layers[1].feed_forward.w_1.weight.data.copy_(torch.randn(32, 16))
    walk, fast = decode_both(model, src, [15, 15])
    assert_same(walk, fast)
    assert any(a.token_probs[:1] != pytest.approx(b.token_probs[:1], abs=1e-3) for a, b in zip(before, fast))
    other = Transformer(cfg).eval()
    model.load_state_dict(other.state_dict(), assign=True)
    assert_same(*decode_both(model, src, [15, 15]))
    model.to(torch.float64)
    walk, fast = decode_both(model, src.clone(), [15, 15])
    assert fast[0].cross_rows.dtype == torch.float64
    assert_same(walk, fast)


def test_translator_uses_the_fast_loop_and_the_walk_for_ablations(en_de, monkeypatch):
    """``translate`` runs the fast loop; an ablation walks the modules (the fast loop has no ablations)."""
    import core.translator as translator_module

    calls = []
    real = translator_module.fast_greedy_decode
    monkeypatch.setattr(translator_module, "fast_greedy_decode", lambda *a, **k: calls.append(1) or real(*a, **k))
    text = en_de.info.metadata["examples"][0]
    fast = en_de.translate(text)
    assert calls == [1]
    ablated = en_de.translate(text, ablation=Ablation(removed_heads=[("cross", 0, 0)]))
    assert calls == [1]
    monkeypatch.setattr(en_de, "fast_decoding", False)
    walk = en_de.translate(text)
    assert calls == [1]
    assert walk.output_ids == fast.output_ids
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert abs(walk.attention.get(kind) - fast.attention.get(kind)).max() < 1e-6
    assert ablated.attention.cross[0, 0].max() == 0.0  # the removed head attends to nothing


@pytest.mark.parametrize("name", ["multi30k-en-de", "ko-en", "en-ko"])
def test_every_map_equals_a_teacher_forced_pass_of_the_shipped_weights(name):
    """What the app shows (the fast loop's rows) = one teacher-forced pass over the output it chose.

    Measured: ≤ 8.1e-7 for these models' examples, as the module walk (≤ 1.0e-6)."""
    tr = load_translator(ROOT / "pretrained" / name)
    for text in tr.info.metadata["examples"]:
        res = tr.translate(text)
        with torch.inference_mode():
            _, maps = tr.model(torch.tensor([res.source_ids]), torch.tensor([res.target_ids]))
        for kind in ("encoder_self", "decoder_self", "cross"):
            assert abs(res.attention.get(kind) - getattr(maps, kind)[0].numpy()).max() < 2e-6, (text, kind)


@pytest.mark.parametrize("value,expected", [("0", False), ("1", True)])
def test_server_switch_for_before_after_benchmarks(value, expected):
    """``ATTENTION_LAB_FAST_DECODING=0`` makes the app's translators walk the modules."""
    import os
    import subprocess
    import sys

    code = (
        "from app.services.models import load_cached\n"
        "t = load_cached.__wrapped__('pretrained/toy-reverse', 'x') if hasattr(load_cached, '__wrapped__') "
        "else load_cached('pretrained/toy-reverse', 'x')\n"
        "print(t.fast_decoding)\n"
    )
    env = {**os.environ, "ATTENTION_LAB_FAST_DECODING": value}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == str(expected), out.stderr[-2000:]


@pytest.mark.parametrize("rows,chunks,bias", [(1, 2, True), (7, 2, False), (32, 4, True)])
def test_split_linear_is_the_same_product(rows, chunks, bias):
    """Blocks of output columns as one bmm: F.linear's result up to float rounding, any row count."""
    from core.fast_decoding import split_linear
    from core.inference_layout import input_major

    torch.manual_seed(rows)
    weight = input_major(torch.randn(768, 256))
    b = torch.randn(768) if bias else None
    x = torch.randn(rows, 256)
    expected = torch.nn.functional.linear(x, weight, b)
    assert torch.allclose(split_linear(x, weight, b, chunks), expected, atol=1e-4, rtol=1e-5)


def test_the_product_is_split_only_where_it_can_be():
    from core.fast_decoding import projection_for
    from core.inference_layout import input_major

    assert projection_for(torch.device("cpu"), 1) is torch.nn.functional.linear
    project = projection_for(torch.device("cpu"), 3)
    x = torch.randn(2, 256)
    for weight in (input_major(torch.randn(768, 256)), input_major(torch.randn(256, 256)), torch.randn(768, 256)):
        # 768 = 3 × 256 splits; 256 rows do not divide by 3 and a PyTorch-layout weight is not a
        # strided view of blocks: both fall back to F.linear, with the same result
        assert torch.allclose(project(x, weight), torch.nn.functional.linear(x, weight), atol=1e-4)


@pytest.mark.parametrize("threads", [2, 4])
def test_several_threads_give_the_module_walks_result(en_de, padded_batch, threads):
    """At 2 and 4 threads the step's products run split over the threads: same tokens and rows."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        src, max_lens = padded_batch
        walk, fast = decode_both(en_de.model, src[:6], max_lens[:6])
        one_walk, one_fast = decode_both(en_de.model, src[:1], max_lens[:1])
    finally:
        torch.set_num_threads(previous)
    assert_same(walk, fast)
    assert_same(one_walk, one_fast)


def test_many_threads_keep_the_plain_product():
    from core.fast_decoding import MAX_SPLIT_THREADS, projection_for

    assert projection_for(torch.device("cpu"), MAX_SPLIT_THREADS + 1) is torch.nn.functional.linear
    assert projection_for(torch.device("cpu"), MAX_SPLIT_THREADS) is not torch.nn.functional.linear
