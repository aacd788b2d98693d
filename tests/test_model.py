"""The model's attention maps: shapes, normalisation, masks, paper formulas."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core.attention import MultiHeadAttention, scaled_dot_product_attention
from core.masks import decoder_self_mask, padding_mask, subsequent_mask
from core.positional import sinusoidal_encoding
from tests.conftest import make_model

PAD = 0


def padded_batch(vocab: int):
    """Two sentences of different lengths: the second is padded."""
    torch.manual_seed(1)
    src = torch.randint(4, vocab, (2, 7))
    src[1, 4:] = PAD
    tgt = torch.randint(4, vocab, (2, 6))
    tgt[:, 0] = 2
    tgt[1, 3:] = PAD
    return src, tgt


def test_attention_shapes_and_rows_sum_to_one(tiny_model):
    src, tgt = padded_batch(tiny_model.cfg.src_vocab_size)
    logits, maps = tiny_model(src, tgt)
    cfg = tiny_model.cfg
    assert logits.shape == (2, 6, cfg.tgt_vocab_size)
    assert maps.encoder_self.shape == (2, cfg.n_encoder_layers, cfg.n_heads, 7, 7)
    assert maps.decoder_self.shape == (2, cfg.n_decoder_layers, cfg.n_heads, 6, 6)
    assert maps.cross.shape == (2, cfg.n_decoder_layers, cfg.n_heads, 6, 7)  # tgt_len × src_len
    for weights in (maps.encoder_self, maps.decoder_self, maps.cross):
        assert torch.allclose(weights.sum(-1), torch.ones(weights.shape[:-1]), atol=1e-5)
        assert not torch.isnan(weights).any()


def test_padding_and_future_cells_are_exactly_zero(tiny_model):
    src, tgt = padded_batch(tiny_model.cfg.src_vocab_size)
    _, maps = tiny_model(src, tgt)
    # Sentence 1 has 4 real source tokens: keys 4.. are padding.
    assert (maps.encoder_self[1, ..., 4:] == 0.0).all()
    assert (maps.cross[1, ..., 4:] == 0.0).all()
    assert (maps.encoder_self[0] > 0).all()  # no padding in sentence 0 → all weights positive
    future = ~torch.ones(6, 6, dtype=torch.bool).tril()
    assert (maps.decoder_self[..., future] == 0.0).all()
    assert (maps.decoder_self[1, ..., 3:] == 0.0).all()  # padded target keys


def test_scores_and_masks_are_returned_on_request(tiny_model):
    src, tgt = padded_batch(tiny_model.cfg.src_vocab_size)
    _, plain = tiny_model(src, tgt)
    assert plain.encoder_self_scores is None
    _, maps = tiny_model(src, tgt, need_scores=True)
    assert maps.cross_scores.shape == maps.cross.shape
    assert torch.isfinite(maps.decoder_self_scores).all()  # scores are taken before masking
    assert torch.equal(maps.src_mask, padding_mask(src, PAD))
    assert torch.equal(maps.tgt_mask, decoder_self_mask(tgt, PAD))
    # Softmax of the masked scores reproduces the returned weights.
    masked = maps.decoder_self_scores.masked_fill(~maps.tgt_mask[:, None], float("-inf"))
    rebuilt = torch.softmax(masked, -1).nan_to_num(0.0)
    assert torch.allclose(rebuilt, maps.decoder_self, atol=1e-6)


def test_row_with_nothing_to_attend_to_is_zero_not_nan():
    q = torch.randn(1, 2, 3, 8)
    k = torch.randn(1, 2, 4, 8)
    v = torch.randn(1, 2, 4, 8)
    mask = torch.tensor([[True, True, False, False], [False] * 4, [True] * 4])[None, None]
    out, weights, _ = scaled_dot_product_attention(q, k, v, mask)
    assert not torch.isnan(out).any() and not torch.isnan(weights).any()
    assert (weights[..., 1, :] == 0).all()
    assert (weights[..., 0, 2:] == 0).all()
    assert torch.allclose(weights[..., 0, :].sum(-1), torch.ones(1, 2))


def test_positional_encoding_matches_the_paper_formula():
    pe = sinusoidal_encoding(50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            angle = pos / (10000 ** (2 * i / 16))
            assert pe[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
            assert pe[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)


def test_model_adds_scaled_embedding_and_positional_encoding(tiny_model):
    ids = torch.tensor([[5, 6, 7]])
    x = tiny_model.embed_source(ids)
    expected = tiny_model.src_embed(ids) * math.sqrt(tiny_model.cfg.d_model) + sinusoidal_encoding(48, 32)[:3]
    assert torch.allclose(x, expected, atol=1e-6)


@pytest.mark.parametrize("with_mask", [False, True])
def test_multi_head_attention_equals_torch_sdpa(with_mask):
    torch.manual_seed(0)
    mha = MultiHeadAttention(d_model=32, n_heads=4).eval()
    x_q, x_kv = torch.randn(2, 5, 32), torch.randn(2, 7, 32)
    mask = None
    if with_mask:
        mask = torch.ones(2, 1, 5, 7, dtype=torch.bool)
        mask[1, ..., 4:] = False
    ours = mha(x_q, x_kv, mask)
    q, (k, v) = mha.project_query(x_q), mha.project_key_value(x_kv)
    ref_heads = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    reference = mha.w_o(ref_heads.transpose(1, 2).reshape(2, 5, 32))
    assert torch.allclose(ours.output, reference, atol=1e-5)


def test_subsequent_mask_is_lower_triangular():
    m = subsequent_mask(4)[0, 0]
    assert m.tolist() == [
        [True, False, False, False],
        [True, True, False, False],
        [True, True, True, False],
        [True, True, True, True],
    ]


def test_tied_embeddings_share_one_matrix_and_state_dict_has_no_duplicates():
    model = make_model(50)
    keys = model.state_dict().keys()
    assert "src_embed.weight" in keys
    assert not any(k.startswith(("tgt_embed", "out_proj")) for k in keys)
    logits = model.project(torch.ones(1, 32))
    assert torch.allclose(logits, torch.ones(1, 32) @ model.src_embed.weight.T)
    untied = make_model(50, share_embeddings=False, tie_output=False)
    assert {"tgt_embed.weight", "out_proj.weight"} <= set(untied.state_dict())


def test_forward_stores_nothing_on_modules(tiny_model):
    before = {name: dict(vars(m)) .keys() for name, m in tiny_model.named_modules()}
    src, tgt = padded_batch(tiny_model.cfg.src_vocab_size)
    tiny_model(src, tgt, need_scores=True)
    after = {name: dict(vars(m)).keys() for name, m in tiny_model.named_modules()}
    assert before == after
