"""Greedy and beam-search decoding for the RNN models, recording the attention rows.

The decoder carries one state vector ``s_i`` from step to step, so there is no
cache to grow as in the Transformer's decoder (``core.decoding``): each step is
one GRU update. What a step can record is Bahdanau's alignment row ``α_i·``
over the source, the same row a teacher-forced pass over the final output gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..decoding import length_penalty
from .model import RNNSeq2Seq


@dataclass
class RNNHypothesis:
    """One output: ids ``y_1 … y_T`` (``</s>`` included when finished) and its alignment rows.

    Attributes:
        alignment: ``(T, src_len)`` row i = the weights that produced ``y_i``
            (``None`` for the bottleneck model, which has no attention).
    """

    token_ids: list[int]
    log_prob: float
    score: float
    finished: bool
    token_probs: list[float] = field(default_factory=list)
    alignment: torch.Tensor | None = None


def greedy_decode(model: RNNSeq2Seq, src: torch.Tensor, max_lens: list[int]) -> list[RNNHypothesis]:
    """Most likely next word at every step, for a padded batch ``src`` ``(batch, src_len)``."""
    cfg = model.cfg
    batch = src.size(0)
    enc = model.encode(src)
    state = enc.final
    prev = torch.full((batch,), cfg.bos_id, dtype=torch.long)
    done = torch.zeros(batch, dtype=torch.bool)
    ids: list[list[int]] = [[] for _ in range(batch)]
    probs: list[list[float]] = [[] for _ in range(batch)]
    logp = [0.0] * batch
    rows: list[list[torch.Tensor]] = [[] for _ in range(batch)]
    for step in range(max(max_lens)):
        logits, state, weights = model.decode_step(enc, prev, state)
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        best = log_probs.argmax(-1)
        for b in range(batch):
            if done[b]:
                continue
            token = int(best[b])
            ids[b].append(token)
            logp[b] += float(log_probs[b, token])
            probs[b].append(float(log_probs[b, token].exp()))
            if weights is not None:
                rows[b].append(weights[b])
            if token == cfg.eos_id or len(ids[b]) >= max_lens[b]:
                done[b] = True
        if bool(done.all()):
            break
        prev = best
    out = []
    for b in range(batch):
        finished = bool(ids[b]) and ids[b][-1] == cfg.eos_id
        alignment = torch.stack(rows[b]) if rows[b] else None
        out.append(RNNHypothesis(ids[b], logp[b], logp[b], finished, probs[b], alignment))
    return out


def beam_search(
    model: RNNSeq2Seq, src: torch.Tensor, beam_size: int, max_len: int, alpha: float = 0.6
) -> RNNHypothesis:
    """Beam search over one sentence ``src`` ``(1, src_len)``, with the Transformer's rules
    (``core.decoding.beam_search``): keep the ``beam_size`` best prefixes, set aside those
    that emit ``</s>``, stop once ``beam_size`` are finished, rank by log P / GNMT penalty."""
    cfg = model.cfg
    enc1 = model.encode(src)
    # A live hypothesis: (ids, log_prob, token_probs, alignment rows, decoder state)
    live: list[tuple] = [([], 0.0, [], [], enc1.final[0])]
    finished: list[RNNHypothesis] = []
    for step in range(max_len):
        enc = enc1.repeat(len(live))
        prev = torch.tensor([h[0][-1] if h[0] else cfg.bos_id for h in live], dtype=torch.long)
        logits, new_state, weights = model.decode_step(enc, prev, torch.stack([h[4] for h in live]))
        log_probs = torch.log_softmax(logits.float(), dim=-1)  # (n_alive, vocab)
        total = log_probs + torch.tensor([h[1] for h in live])[:, None]
        top = total.view(-1).topk(min(2 * beam_size, total.numel()))
        candidates = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            b, token = divmod(flat, log_probs.size(1))
            ids, _, probs, rows, _ = live[b]
            new_rows = rows + ([weights[b]] if weights is not None else [])
            entry = (ids + [token], value, probs + [float(log_probs[b, token].exp())], new_rows, new_state[b])
            if token == cfg.eos_id:
                finished.append(_hypothesis(entry, True, alpha))
            else:
                candidates.append(entry)
            if len(candidates) == beam_size:
                break
        live = candidates
        if len(finished) >= beam_size or not live:
            break
    if not finished:  # nothing ended with </s> within max_len: take the best unfinished prefix
        finished = [_hypothesis(h, False, alpha) for h in live]
    return max(finished, key=lambda h: h.score)


def _hypothesis(entry: tuple, finished: bool, alpha: float) -> RNNHypothesis:
    ids, log_prob, probs, rows, _ = entry
    alignment = torch.stack(rows) if rows else None
    return RNNHypothesis(ids, log_prob, log_prob / length_penalty(len(ids), alpha), finished, probs, alignment)
