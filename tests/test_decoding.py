"""Incremental decoding equals teacher forcing; greedy = beam 1; batch = one by one; threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from tests.conftest import SENTENCES


def teacher_forced(translator, res):
    src = torch.tensor([res.source_ids])
    tgt = torch.tensor([res.target_ids])
    with torch.inference_mode():
        logits, maps = translator.model(src, tgt)
    return logits[0], maps


@pytest.mark.parametrize("beam_size", [1, 3])
def test_per_step_rows_equal_teacher_forced_pass(tiny_translator, beam_size):
    res = tiny_translator.translate(SENTENCES[0], beam_size=beam_size)
    logits, maps = teacher_forced(tiny_translator, res)
    assert np.allclose(res.attention.decoder_self, maps.decoder_self[0].numpy(), atol=1e-5)
    assert np.allclose(res.attention.cross, maps.cross[0].numpy(), atol=1e-5)
    assert np.allclose(res.attention.encoder_self, maps.encoder_self[0].numpy(), atol=1e-5)
    probs = torch.softmax(logits, -1)
    assert len(res.steps) == len(res.output_ids) == len(res.target_ids)
    for t, step in enumerate(res.steps):
        assert step.self_attention.shape == (2, 4, t + 1)
        assert np.allclose(step.self_attention, maps.decoder_self[0, :, :, t, : t + 1].numpy(), atol=1e-5)
        assert np.allclose(step.cross_attention, maps.cross[0, :, :, t, :].numpy(), atol=1e-5)
        top = probs[t].topk(5)
        assert step.top_ids == top.indices.tolist()
        assert np.allclose(step.top_probs, top.values.numpy(), atol=1e-5)
        assert step.probability == pytest.approx(float(probs[t, step.token_id]), abs=1e-5)


def test_beam_size_one_equals_greedy(tiny_translator):
    from core.decoding import beam_search, greedy_decode

    for text in SENTENCES[:4]:
        ids, _ = tiny_translator.prepare_source(text)[::2]
        src = torch.tensor([ids])
        with torch.inference_mode():
            g = greedy_decode(tiny_translator.model, src, [30])[0]
            b = beam_search(tiny_translator.model, src, 1, 30)
        assert g.token_ids == b.token_ids
        assert g.log_prob == pytest.approx(b.log_prob, abs=1e-4)
        assert torch.allclose(g.cross_rows, b.cross_rows, atol=1e-6)


def test_beam_search_finds_a_score_at_least_as_good_as_greedy_for_small_alpha(tiny_translator):
    for text in SENTENCES[:3]:
        g = tiny_translator.translate(text, beam_size=1, length_penalty=0.0)
        b = tiny_translator.translate(text, beam_size=4, length_penalty=0.0)
        if g.finished:
            assert b.log_prob >= g.log_prob - 1e-4


def test_batch_equals_one_by_one(tiny_translator):
    batch = tiny_translator.translate_batch(SENTENCES)
    for text, res in zip(SENTENCES, batch):
        single = tiny_translator.translate(text)
        assert res.output_ids == single.output_ids
        assert res.source_tokens == single.source_tokens
        for kind in ("encoder_self", "decoder_self", "cross"):
            assert res.attention.get(kind).shape == single.attention.get(kind).shape
            assert np.allclose(res.attention.get(kind), single.attention.get(kind), atol=1e-5)


def test_eight_threads_share_one_model(tiny_translator):
    texts = [f"{SENTENCES[i % len(SENTENCES)]} {'number ' * (i % 7)}{i}" for i in range(200)]
    expected = {t: tiny_translator.translate(t, max_len=12) for t in texts}
    failures: list[str] = []

    def worker(offset: int) -> None:
        for k in range(60):  # 480 translations in 8 threads at once, every thread a different order
            text = texts[(k * 3 + offset * 25) % len(texts)]
            res = tiny_translator.translate(text, max_len=12)
            ref = expected[text]
            if res.output_ids != ref.output_ids or not np.array_equal(res.attention.cross, ref.attention.cross):
                failures.append(text)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []


def test_empty_input_raises_clear_value_error(tiny_translator):
    for text in ["", "   ", "\n\t", "\x00\x01"]:
        with pytest.raises(ValueError, match="empty"):
            tiny_translator.translate(text)


def test_long_input_is_truncated_and_flagged(tiny_translator):
    res = tiny_translator.translate("word " * 500)
    assert res.truncated
    assert len(res.source_ids) == tiny_translator.config.max_positions
    assert res.attention.encoder_self.shape[-1] == tiny_translator.config.max_positions
    assert not tiny_translator.translate(SENTENCES[1]).truncated


@pytest.mark.parametrize(
    "text",
    ["😀 👩‍👩‍👧 emoji", "שלום עולם", "مرحبا", "漢字와 한글 mixed", "a\x00b\x07c", "<script>alert(1)</script>", "$x^2$", "{{7*7}}"],
)
def test_any_unicode_is_accepted(tiny_translator, text):
    res = tiny_translator.translate(text)
    assert res.source_tokens[-1] == "</s>"
    assert res.source_special[-1] and not any(res.source_special[:-1])
    assert res.target_tokens[0] == "<s>" and res.target_special[0]
    assert res.attention.cross.shape[-2:] == (len(res.target_tokens), len(res.source_tokens))


def test_max_len_limits_output(tiny_translator):
    res = tiny_translator.translate(SENTENCES[0], max_len=3)
    assert len(res.output_ids) <= 3


def test_to_dict_is_json_ready(tiny_translator):
    import json

    data = tiny_translator.translate(SENTENCES[2]).to_dict()
    text = json.dumps(data)
    back = json.loads(text)
    assert np.array(back["attention"]["cross"]).shape[2:] == (len(back["target_tokens"]), len(back["source_tokens"]))


def test_inspect_batch_pads_and_labels_unknown_characters(tiny_translator):
    batch = tiny_translator.inspect_batch(["Two dogs 😀.", SENTENCES[2]])
    short, long = batch.source_tokens
    assert len(short) == len(long) == batch.source_ids.shape[1]
    assert short[-1] == "<pad>" and "<unk>" not in short and any("😀" in x for x in short)
    assert batch.maps.encoder_self_scores is not None
    assert (batch.maps.cross[0, ..., batch.source_ids[0] == 0] == 0).all()  # padded keys get weight 0


@pytest.mark.parametrize("beam_size", [1, 4])
def test_one_encoder_pass_per_sentence(tiny_translator, monkeypatch, beam_size):
    """The encoder's maps and the memory the decoder reads come from the same pass."""
    model = tiny_translator.model
    calls = []
    real = model.encode
    monkeypatch.setattr(model, "encode", lambda *a, **k: calls.append(a[0].shape) or real(*a, **k))
    tiny_translator.translate_batch(SENTENCES[:3], beam_size=beam_size)
    assert len(calls) == (1 if beam_size == 1 else 3), calls
