"""Cross-attention entropy ratio and max weight (core.attention_quality, bench/attention_quality.py)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from core import load_translator
from core.attention_quality import format_table, measure, row_statistics
from core.config import TransformerConfig
from core.data import EncodedPair, encode_pairs, synthetic_pairs
from core.model import Transformer

ROOT = Path(__file__).resolve().parent.parent


def test_row_statistics_uniform_one_hot_and_padding():
    # batch 2, 1 layer, 2 heads, 3 target rows, 4 source keys.
    cross = torch.zeros(2, 1, 2, 3, 4)
    cross[0, 0, 0, :, :4] = 0.25  # sentence 0, head 0: uniform over its 4 keys
    cross[0, 0, 1, :, 1] = 1.0  # head 1: one-hot
    cross[1, 0, 0, :, :2] = 0.5  # sentence 1 has 2 keys: uniform over them
    cross[1, 0, 1, :, 0] = 1.0
    cross[1, 0, :, 2] = 0.0  # sentence 1 has 2 target rows: row 2 is padding (all zero)
    ratio, max_w, inv, rows = row_statistics(cross, torch.tensor([4, 2]), torch.tensor([3, 2]))
    assert rows == 5
    assert (ratio / rows)[0].tolist() == pytest.approx([1.0, 0.0])  # uniform = 1 at any length, one-hot = 0
    assert (max_w / rows)[0].tolist() == pytest.approx([(3 * 0.25 + 2 * 0.5) / 5, 1.0])
    assert float(inv) / rows == pytest.approx((3 / 4 + 2 / 2) / 5)


def test_one_key_sources_are_skipped():
    cross = torch.ones(1, 1, 1, 2, 1)
    _, _, _, rows = row_statistics(cross, torch.tensor([1]), torch.tensor([2]))
    assert rows == 0  # log 1 = 0: no ratio defined


def _tiny_model() -> Transformer:
    torch.manual_seed(0)
    cfg = TransformerConfig(src_vocab_size=20, tgt_vocab_size=20, d_model=16, n_heads=2, n_encoder_layers=1,
                            n_decoder_layers=2, d_ff=32, max_positions=32, dropout=0.0)
    return Transformer(cfg).eval()


def test_tiny_model_with_constant_scores_is_exactly_uniform():
    """Zero query and key projections: every score is equal, so every row is 1/S."""
    model = _tiny_model()
    with torch.no_grad():
        for layer in model.decoder_layers:
            for lin in (layer.cross_attn.w_q, layer.cross_attn.w_k):
                lin.weight.zero_()
                lin.bias.zero_()
    pairs = [EncodedPair(list(range(4, 4 + n)) + [3], [5, 6, 7, 3]) for n in (2, 5, 9)]
    q = measure(model, pairs)
    assert q.rows == 3 * 4 and q.sentences == 3
    for layer in q.entropy_ratio:
        assert layer == pytest.approx([1.0, 1.0], abs=1e-6)
    expected_max = (4 / 3 + 4 / 6 + 4 / 10) / 12 * 1  # mean of 1/S over the rows
    assert q.max_weight[0] == pytest.approx([expected_max] * 2, abs=1e-6)
    assert q.uniform_max_weight == pytest.approx(expected_max)
    assert model.training is False
    assert "decoder layer 2" in format_table(q)


def test_tiny_model_with_a_random_init_is_near_uniform_but_not_exactly():
    model = _tiny_model()
    pairs = [EncodedPair([4, 5, 6, 7, 3], [8, 9, 3])]
    q = measure(model, pairs)
    assert all(0.8 < v <= 1.0 for v in q.layer_entropy_ratio)
    assert not math.isclose(q.layer_entropy_ratio[0], 1.0, abs_tol=1e-6)


def test_reverse_toy_has_sharp_last_layer_attention():
    """The shipped toy (0.2 M parameters) looks at source position n-1-t: far from uniform."""
    tr = load_translator(ROOT / "pretrained" / "toy-reverse")
    pairs = encode_pairs(synthetic_pairs("reverse", 50, 4, 9, seed=7), tr.source_tokenizer, tr.target_tokenizer, 60)
    q = measure(tr.model, pairs)
    assert q.layer_entropy_ratio[-1] < 0.5, format_table(q)
    assert q.layer_max_weight[-1] > 2 * q.uniform_max_weight


def test_bench_prints_every_layer_and_head(tmp_path):
    src, ref = tmp_path / "t.src", tmp_path / "t.ref"
    pairs = synthetic_pairs("reverse", 20, 3, 8, seed=3)
    src.write_text("\n".join(s for s, _ in pairs) + "\n")
    ref.write_text("\n".join(t for _, t in pairs) + "\n")
    out = subprocess.run(
        [sys.executable, "bench/attention_quality.py", "--model", "pretrained/toy-reverse", "--src", str(src),
         "--ref", str(ref), "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "entropy ratio" in out.stdout and "max weight" in out.stdout
    assert "decoder layer 2" in out.stdout and "h4" in out.stdout  # 2 layers x 4 heads
