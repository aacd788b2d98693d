"""Ablations of the trained model (core.ablation, core.ablation_studies, core.head_importance).

Each test would fail if the ablation it names stopped doing what the paper
says (§3.5 positions, §3.2.1 scaling, §3.2.3 look-ahead mask, §3.2.2 heads),
or if an ablation leaked into a normal call.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

from core import Ablation, TransformerConfig, load_translator
from core import ablation_studies as studies
from core import head_importance
from core.ablation import layer_options
from core.model import Transformer

ROOT = Path(__file__).resolve().parent.parent
EN_DE = ROOT / "pretrained" / "multi30k-en-de"
TOY = ROOT / "pretrained" / "toy-reverse"
NO_MASK_TOY = ROOT / "pretrained" / "ablations" / "toy-reverse-no-mask"
SENTENCE = "A man in a blue shirt is riding a bike down the street."
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def en_de():
    return load_translator(EN_DE)


@pytest.fixture(scope="module")
def toy():
    return load_translator(TOY)


@pytest.fixture(scope="module")
def no_mask_toy():
    return load_translator(NO_MASK_TOY)


@pytest.fixture(scope="module")
def tiny() -> Transformer:
    torch.manual_seed(0)
    cfg = TransformerConfig(src_vocab_size=40, tgt_vocab_size=40, d_model=32, n_heads=4, n_encoder_layers=2,
                            n_decoder_layers=2, d_ff=64, max_positions=32, dropout=0.0)
    return Transformer(cfg).eval()


def batch(model: Transformer, seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(4, model.cfg.src_vocab_size, (2, 7), generator=g)
    tgt = torch.randint(4, model.cfg.tgt_vocab_size, (2, 6), generator=g)
    src[1, 5:] = model.cfg.pad_id  # one padded sentence
    tgt[:, 0] = model.cfg.bos_id
    return src, tgt


# ------------------------------------------------------------------ the record
def test_ablation_record_is_hashable_validated_and_named():
    a = Ablation(unscaled=[("cross", 1)], removed_heads=[("encoder_self", 0, 3)])
    assert a == Ablation(unscaled=frozenset({("cross", 1)}), removed_heads=frozenset({("encoder_self", 0, 3)}))
    assert hash(a) == hash(Ablation(unscaled=[("cross", 1)], removed_heads=[("encoder_self", 0, 3)]))
    assert a.key() == "unscaled:cross:1,off:encoder_self:0:3" and Ablation().key() == "none"
    assert Ablation().is_default and not a.is_default
    assert a.options("cross", 1).scaled is False and a.options("encoder_self", 0).removed_heads == (3,)
    assert a.options("decoder_self", 0) is None and layer_options(None, "cross", 1) is None
    with pytest.raises(ValueError, match="unknown attention kind 'self'"):
        Ablation(unscaled=[("self", 0)])


def test_default_path_is_bit_identical(tiny):
    src, tgt = batch(tiny)
    with torch.inference_mode():
        logits, maps = tiny(src, tgt, need_scores=True)
        logits_d, maps_d = tiny(src, tgt, need_scores=True, ablation=Ablation())
    assert torch.equal(logits, logits_d)
    for name in ("encoder_self", "decoder_self", "cross", "encoder_self_scores", "decoder_self_scores", "cross_scores"):
        assert torch.equal(getattr(maps, name), getattr(maps_d, name)), name


def test_translate_with_no_ablation_equals_translate(en_de):
    plain = en_de.translate(SENTENCE)
    default = en_de.translate(SENTENCE, ablation=Ablation())
    assert plain.output_ids == default.output_ids
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert np.array_equal(plain.attention.get(kind), default.attention.get(kind))


def test_one_model_serves_normal_and_ablated_calls_at_once(en_de):
    ablations = [None, Ablation(encoder_positions=False, decoder_positions=False),
                 Ablation(unscaled=[("cross", 2)]), Ablation(removed_heads=[("cross", 2, h) for h in range(8)])]
    expected = [en_de.translate(SENTENCE, ablation=a) for a in ablations]
    assert len({tuple(r.output_ids) for r in expected}) >= 3  # the ablations really change the output
    results: dict[int, list] = {i: [] for i in range(len(ablations))}

    def work(i: int) -> None:
        for _ in range(3):
            results[i].append(en_de.translate(SENTENCE, ablation=ablations[i]))

    threads = [threading.Thread(target=work, args=(i % len(ablations),)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for i, got in results.items():
        for res in got:
            assert res.output_ids == expected[i].output_ids
            assert np.allclose(res.attention.cross, expected[i].attention.cross, atol=1e-6)


# ---------------------------------------------------------- 1. positional encoding
def test_shuffled_order_moves_whole_words_and_keeps_eos_last():
    spans = [(0, 2), (2, 3), (3, 5), (5, 6), (6, 7)]  # the last span is </s>
    for seed in range(20):
        order = studies.shuffled_order(spans, 7, seed)
        assert sorted(order) == list(range(7)) and order[-1] == 6 and order != list(range(7))
        starts = {a for a, _ in spans}
        for a, b in spans[:-1]:
            i = order.index(a)
            assert order[i : i + (b - a)] == list(range(a, b))  # a word's pieces stay together, in order
        assert order[0] in starts
    assert studies.shuffled_order([(0, 1), (1, 2)], 2, 0) == [0, 1]  # one word: nothing to shuffle


def test_encoder_without_positional_encoding_is_permutation_equivariant(en_de):
    check = studies.permutation_check(en_de, SENTENCE, seed=3)
    assert check.order != sorted(check.order)
    assert check.max_diff_no_pe <= 1e-5
    assert check.max_diff_with_pe > 0.1  # with PE the trained model reads order
    assert np.allclose(check.no_pe_shuffled, check.realigned_no_pe, atol=1e-5)
    assert check.shuffled_tokens == [check.tokens[i] for i in check.order]
    # Cross-attention sums over the source: the shuffled sentence translates exactly like the original without PE.
    assert check.translation_no_pe == check.shuffled_translation_no_pe
    assert check.translation != check.translation_no_pe


def test_no_positions_really_removes_the_encoding(tiny):
    ids = torch.tensor([[5, 6, 7]])
    with torch.inference_mode():
        plain = tiny.embed_source(ids)
        bare = tiny.embed_source(ids, positions=False)
    assert torch.allclose(plain - bare, tiny.positional_encoding[:3][None], atol=1e-6)


# --------------------------------------------------------------------- 2. no 1/√d_k
def test_unscaled_weights_equal_a_hand_computation(tiny):
    src, tgt = batch(tiny)
    with torch.inference_mode():
        _, maps = tiny(src, tgt, need_scores=True, ablation=Ablation(unscaled=[("encoder_self", 0)]))
        _, plain = tiny(src, tgt, need_scores=True)
        x = tiny.embed_source(src)
        attn = tiny.encoder_layers[0].self_attn
        q, k = attn.project_query(x), attn.project_key_value(x)[0]
        raw = q @ k.transpose(-2, -1)  # no division by √d_k
        mask = (src != tiny.cfg.pad_id)[:, None, None, :]
        hand = torch.softmax(raw.masked_fill(~mask, float("-inf")), -1).masked_fill(~mask, 0.0)
    assert torch.allclose(maps.encoder_self_scores[:, 0], raw, atol=1e-5)
    assert torch.allclose(maps.encoder_self[:, 0], hand, atol=1e-6)
    assert torch.allclose(plain.encoder_self_scores[:, 0] * math.sqrt(tiny.cfg.d_head), raw, atol=1e-5)
    assert torch.equal(maps.cross, maps.cross) and not torch.allclose(maps.encoder_self[:, 0], plain.encoder_self[:, 0])


def test_without_scaling_the_softmax_saturates(en_de):
    comp = studies.scaling_effect(en_de, SENTENCE, ["encoder_self", "decoder_self", "cross"], [0, 1, 2])
    for kind in ("encoder_self", "decoder_self", "cross"):
        n, a = comp.normal_stats[kind], comp.ablated_stats[kind]
        assert a.entropy_ratio.mean() < 0.6 * n.entropy_ratio.mean(), kind
        assert a.max_weight.mean() > n.max_weight.mean() + 0.1, kind
    assert comp.ablated.attention.cross.sum(-1) == pytest.approx(1.0, abs=1e-5)  # still a softmax per row


# ----------------------------------------------------------------- 3. look-ahead mask
def test_without_the_look_ahead_mask_future_cells_are_not_zero(en_de):
    effect = studies.look_ahead_effect(en_de, SENTENCE)
    T = effect.masked.shape[-1]
    future = np.triu(np.ones((T, T), dtype=bool), 1)
    assert (effect.masked[..., future] == 0).all()
    assert (effect.unmasked[..., future] > 0).any() and effect.future_mass.mean() > 0.05
    assert effect.future_mass[:, -1].max() == 0  # the last position has no future
    # A model trained with the mask is confused, not helped, by the future.
    assert effect.loss_unmasked.mean() > effect.loss_masked.mean()
    assert len(effect.input_tokens) == len(effect.output_tokens) == T and effect.input_tokens[0] == "<s>"


def test_config_without_look_ahead_mask_masks_only_padding(tiny):
    cfg = TransformerConfig(**{**tiny.cfg.to_dict(), "look_ahead_mask": False})
    model = Transformer(cfg).eval()
    model.load_state_dict(tiny.state_dict())
    src, tgt = batch(tiny)
    with torch.inference_mode():
        _, maps = model(src, tgt)
        _, ablated = tiny(src, tgt, ablation=Ablation(look_ahead_mask=False))
    assert torch.allclose(maps.decoder_self, ablated.decoder_self, atol=1e-7)
    assert (maps.decoder_self[0, 0, 0, 0, 1:] > 0).all()  # <s> sees every later token


def test_toy_trained_without_the_mask_copies_the_answer_and_cannot_generate(toy, no_mask_toy):
    assert no_mask_toy.config.look_ahead_mask is False and toy.config.look_ahead_mask is True
    masked, unmasked = studies.mask_training_comparison(toy, no_mask_toy, studies.toy_test_pairs(120))
    assert unmasked.teacher_forced_loss < masked.teacher_forced_loss
    assert unmasked.teacher_forced_accuracy > 0.95
    assert masked.free_running_accuracy > 0.9
    assert unmasked.free_running_accuracy < 0.2 and unmasked.free_running_token_accuracy < 0.5
    view = studies.teacher_forced_view(no_mask_toy, "a b c d e f", "f e d c b a")
    assert view.next_token_mass.max() > 0.3  # it looks at the next decoder input: the answer
    assert view.predicted[:6] == "f e d c b a".split()
    masked_view = studies.teacher_forced_view(toy, "a b c d e f", "f e d c b a")
    assert masked_view.next_token_mass.max() == 0.0


# --------------------------------------------------------------------- 4. heads
def test_a_removed_head_has_zero_weights_and_the_others_are_untouched(tiny):
    src, tgt = batch(tiny)
    with torch.inference_mode():
        _, plain = tiny(src, tgt)
        _, maps = tiny(src, tgt, ablation=Ablation(removed_heads=[("decoder_self", 1, 2)]))
    assert (maps.decoder_self[:, 1, 2] == 0).all()
    assert torch.equal(maps.decoder_self[:, 0], plain.decoder_self[:, 0])  # layer 1 runs before the removed head
    assert torch.equal(maps.encoder_self, plain.encoder_self)


def test_removing_every_head_of_a_layer_equals_zeroing_its_attention(tiny):
    """With all heads of encoder layer 2 off, Concat(head_1 … head_h) is 0, so the
    sub-layer's output is W^O·0 + b^O: the layer computes LayerNorm(x + b^O), then its FFN."""
    src, _ = batch(tiny)
    heads = [("encoder_self", 1, h) for h in range(tiny.cfg.n_heads)]
    with torch.inference_mode():
        got = tiny.encode(src, ablation=Ablation(removed_heads=heads)).memory
        x = tiny.embed_source(src)
        x, _ = tiny.encoder_layers[0](x, (src != 0)[:, None, None, :])
        layer = tiny.encoder_layers[1]
        zero_attention = layer.self_attn.w_o(torch.zeros_like(x))  # = b^O at every position
        x = layer.norm_attn(x + zero_attention)
        want = layer.norm_ff(x + layer.feed_forward(x))
    assert torch.allclose(got, want, atol=1e-6)


def test_removing_heads_changes_the_translation_and_reports_it(en_de):
    comp = studies.remove_heads(en_de, SENTENCE, [("cross", 2, h) for h in range(8)])
    assert (comp.ablated.attention.cross[2] == 0).all()
    assert not comp.same_translation and comp.ablated_probs.shape == (len(comp.ablated.output_ids),)
    assert comp.normal.output_ids == en_de.translate(SENTENCE).output_ids


def test_head_importance_reproduces_and_round_trips(toy, tmp_path):
    pairs = studies.toy_test_pairs(40, seed=7)
    sources, refs = [s for s, _ in pairs], [r for _, r in pairs]
    heads = [("cross", 1, 0), ("encoder_self", 0, 1), ("decoder_self", 1, 3)]
    a = head_importance.measure(toy, sources, refs, "toy sample", heads)
    b = head_importance.measure(toy, sources, refs, "toy sample", heads)
    assert [(r.kind, r.layer, r.head, r.bleu) for r in a.rows] == [(r.kind, r.layer, r.head, r.bleu) for r in b.rows]
    assert a.baseline_bleu > 90 and [(r.kind, r.layer, r.head) for r in a.rows] == heads
    assert all(r.delta == pytest.approx(r.bleu - a.baseline_bleu, abs=1e-3) for r in a.rows)
    path = head_importance.save(a, tmp_path)
    assert head_importance.load(tmp_path).rows == a.rows
    assert head_importance.load(tmp_path, expected_sha256="other weights") is None
    assert json.loads(path.read_text())["indexing"].startswith("layer and head are 0-based")


SHIPPED = sorted(p.parent for p in (ROOT / "pretrained").glob("*/config.json"))


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_model_has_a_current_head_importance_table(folder):
    translator = load_translator(folder)
    table = head_importance.load(folder)
    assert table is not None, f"run python -m core.head_importance --model {folder.relative_to(ROOT)}"
    assert table.weights_sha256 == head_importance.weights_sha256(translator), "measured on other weights: re-run it"
    assert {(r.kind, r.layer, r.head) for r in table.rows} == set(head_importance.every_head(translator))
    assert table.sentences == 200


@pytest.mark.skipif(not (SHARED_DATA / "multi30k").exists(), reason="../shared/data is not next to the project")
def test_shipped_en_de_table_reproduces(en_de):
    table = head_importance.load(EN_DE)
    name, sources, refs = head_importance.test_sample(en_de, table.sentences)
    assert name == table.test
    worst = min(table.rows, key=lambda r: r.delta)
    again = head_importance.measure(en_de, sources, refs, name, [(worst.kind, worst.layer, worst.head)])
    assert again.baseline_bleu == pytest.approx(table.baseline_bleu, abs=0.05)
    assert again.rows[0].bleu == pytest.approx(worst.bleu, abs=0.05)
