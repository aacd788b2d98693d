"""The RNN encoder–decoders of core.seq2seq: the bottleneck and Bahdanau attention."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from core import CheckpointError, load_translator
from core.seq2seq import RNNConfig, RNNSeq2Seq, load_rnn_translator
from core.decoding import length_penalty
from core.seq2seq.decoding import beam_search, greedy_decode
from core.train import train

ROOT = Path(__file__).resolve().parent.parent


def tiny(attention: str, seed: int = 0) -> RNNSeq2Seq:
    torch.manual_seed(seed)
    return RNNSeq2Seq(RNNConfig(60, 60, attention=attention, emb_dim=16, hidden=24, attention_dim=12, dropout=0.0)).eval()


SRC = torch.tensor([[5, 6, 7, 8, 3], [9, 10, 3, 0, 0]])  # second row padded
TGT = torch.tensor([[2, 11, 12, 13], [2, 14, 15, 0]])


def test_bahdanau_weights_rows_are_targets_columns_sources_rows_sum_to_one_padding_zero():
    model = tiny("additive")
    logits, alignment = model(SRC, TGT)
    assert logits.shape == (2, 4, 60)
    assert alignment.shape == (2, 4, 5)  # (batch, tgt_len, src_len): rows = target positions
    assert torch.allclose(alignment.sum(-1), torch.ones(2, 4), atol=1e-6)
    assert torch.all(alignment[1, :, 3:] == 0)  # padding keys get exactly 0 (−∞ before the softmax)
    assert torch.all(alignment[0] > 0)


def test_padding_does_not_change_a_sentence():
    for kind in ("none", "additive"):
        model = tiny(kind)
        alone_logits, alone_alignment = model(SRC[1:, :3], TGT[1:])
        batch_logits, batch_alignment = model(SRC, TGT)
        assert torch.allclose(alone_logits, batch_logits[1:], atol=1e-5), kind
        if alone_alignment is not None:
            assert torch.allclose(alone_alignment, batch_alignment[1:, :, :3], atol=1e-6)


def test_bottleneck_decoder_receives_only_the_final_state():
    """Change every annotation h_j and keep the summary c: the bottleneck model's
    output cannot change; the attention model's must."""
    for kind, should_change in (("none", False), ("additive", True)):
        model = tiny(kind)
        with torch.no_grad():
            enc = model.encode(SRC)
            noise = torch.randn_like(enc.annotations) * 5
            keys = model.attention.key(noise) if model.attention is not None else None
            changed = replace(enc, annotations=noise, keys=keys)
            original, _ = model.decode(enc, TGT)
            perturbed, _ = model.decode(changed, TGT)
            assert (not torch.allclose(original, perturbed)) == should_change, kind
            # and the final state does matter
            moved, _ = model.decode(replace(enc, final=enc.final + 1.0), TGT)
            assert not torch.allclose(original, moved)
    assert tiny("none").cfg.context_size == 24


def test_greedy_rows_equal_a_teacher_forced_pass_and_beam_one_is_greedy():
    model = tiny("additive", seed=3)
    with torch.no_grad():
        hyp = greedy_decode(model, SRC[:1], [8])[0]
        tgt = torch.tensor([[2] + hyp.token_ids[:-1]])
        logits, alignment = model(SRC[:1], tgt)
        log_probs = torch.log_softmax(logits[0], -1)
        assert sum(float(log_probs[i, tok]) for i, tok in enumerate(hyp.token_ids)) == pytest.approx(hyp.log_prob, abs=1e-4)
        assert torch.allclose(alignment[0], hyp.alignment, atol=1e-6)
        assert beam_search(model, SRC[:1], 1, 8).token_ids == hyp.token_ids
        wide = beam_search(model, SRC[:1], 4, 8, alpha=0.6)
        assert wide.score == pytest.approx(wide.log_prob / length_penalty(len(wide.token_ids), 0.6))
        assert wide.alignment.shape == (len(wide.token_ids), 5)
        # its rows are those of a teacher-forced pass over its own output too
        _, forced = model(SRC[:1], torch.tensor([[2] + wide.token_ids[:-1]]))
        assert torch.allclose(forced[0], wide.alignment, atol=1e-6)


def test_config_rejects_unknown_settings_and_kinds():
    with pytest.raises(ValueError, match="attention must be one of"):
        RNNConfig(10, 10, attention="dot")
    with pytest.raises(ValueError, match="unknown RNN model settings"):
        RNNConfig.from_dict({"src_vocab_size": 10, "tgt_vocab_size": 10, "n_heads": 8})


TOY_RNN = """
name = "toy-reverse-{kind}"
title = "toy"
source_language = "toy"
target_language = "toy"
seed = 1
[data]
synthetic = "reverse"
train_size = 3000
valid_size = 100
min_len = 3
max_len = 8
[tokenizer]
vocab_size = 40
[model]
architecture = "rnn"
attention = "{kind}"
emb_dim = 32
hidden = 64
attention_dim = 32
dropout = 0.0
max_positions = 32
[timeline]
enabled = false
[train]
batch_tokens = 800
warmup_steps = 100
lr_factor = 1.0
label_smoothing = 0.0
checkpoint_every = 100
eval_every = 100
eval_sentences = 50
average_last = 2
clip_norm = 1.0
threads = 1
[card]
toy = "test"
examples = ["a b c d e"]
"""


@pytest.mark.parametrize("kind", ["additive", "none"])
def test_the_training_cli_trains_exports_and_reloads_an_rnn(tmp_path, kind):
    config = tmp_path / "toy.toml"
    config.write_text(TOY_RNN.format(kind=kind))
    folder = train(config, tmp_path / "run", tmp_path / "exp", max_steps=200, quiet=True)
    tr = load_rnn_translator(folder)
    res = tr.translate("a b c d e")
    assert res.output_tokens[-1] == "</s>" and len(res.target_tokens) == len(res.output_tokens)
    if kind == "additive":
        assert res.alignment.shape == (len(res.output_tokens), len(res.source_tokens))
        assert np.allclose(res.alignment.sum(-1), 1.0, atol=1e-5)
        assert "Bahdanau" in (folder / "MODEL_CARD.md").read_text()
    else:
        assert res.alignment is None and res.context_size == 64
    with pytest.raises(CheckpointError, match="load_rnn_translator"):
        load_translator(folder)


def test_a_transformer_folder_is_refused_by_the_rnn_loader():
    with pytest.raises(CheckpointError, match="core.load_translator"):
        load_rnn_translator(ROOT / "pretrained" / "toy-reverse")
