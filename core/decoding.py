"""Greedy and beam-search decoding with an incremental key/value cache.

At generation step t the decoder has the prefix ``<s> y_1 … y_{t-1}`` and
predicts ``y_t``. Recomputing the whole prefix at every step costs O(t²);
instead each decoder layer keeps the keys and values of earlier positions in
a ``LayerCache`` and only the newest position is pushed through the stack.

While decoding, each step can record what the model "saw": the newest
position's causal self-attention row over the prefix, its cross-attention row
over the source, and the next-token distribution (top-k). These rows are the
very rows a teacher-forced pass over the final output would give (tested in
``tests/test_decoding.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .ablation import Ablation
from .model import LayerCache, Transformer


@dataclass
class Hypothesis:
    """One decoded output and, optionally, what was recorded at every step.

    Attributes:
        token_ids: generated ids ``y_1 … y_T`` (``</s>`` included when finished).
        log_prob: sum of the log-probabilities of ``token_ids``.
        score: ``log_prob`` divided by the length penalty (beam search ranks by it).
        finished: ``True`` if the output ended with ``</s>`` before ``max_len``.
        token_probs: probability the model gave each chosen token.
        top_ids, top_probs: ``(T, k)`` the k most likely next tokens per step.
        self_rows: T tensors, step t shaped ``(layers, heads, t+1)``.
        cross_rows: ``(T, layers, heads, src_len)``.
    """

    token_ids: list[int]
    log_prob: float
    score: float
    finished: bool
    token_probs: list[float] = field(default_factory=list)
    top_ids: torch.Tensor | None = None
    top_probs: torch.Tensor | None = None
    self_rows: list[torch.Tensor] | None = None
    cross_rows: torch.Tensor | None = None


def length_penalty(length: int, alpha: float) -> float:
    """GNMT length penalty ((5 + |Y|) / 6)^α; α = 0 disables it (Wu et al., 2016)."""
    return ((5.0 + length) / 6.0) ** alpha


def greedy_hypothesis(ids: list[int], log_probs: torch.Tensor, max_len: int, eos_id: int) -> Hypothesis:
    """One row of a greedy batch as a ``Hypothesis``, cut after its first ``</s>`` or at ``max_len``.

    Args:
        ids: the token chosen at every step the batch ran (later steps of a finished
            row hold padding predictions and are cut off).
        log_probs: ``(steps,)`` log-probability of each chosen token.
    """
    length = max_len
    if eos_id in ids[:length]:
        length = ids.index(eos_id) + 1
    length = min(length, len(ids))
    ids = ids[:length]
    row = log_probs[:length]
    lp = float(row.sum())
    return Hypothesis(
        token_ids=ids,
        log_prob=lp,
        score=lp,
        finished=bool(ids) and ids[-1] == eos_id,
        token_probs=row.exp().tolist(),
    )


def greedy_decode(
    model: Transformer,
    src_ids: torch.Tensor,
    max_lens: list[int],
    record: bool = True,
    top_k: int = 5,
    ablation: Ablation | None = None,
    encoded=None,
) -> list[Hypothesis]:
    """Pick the most likely token at every step, for a whole batch at once.

    Args:
        src_ids: ``(batch, src_len)`` padded source ids.
        max_lens: per sentence, the most tokens to generate (``</s>`` included).
        record: record attention rows and top-k probabilities per step.
        ablation: parts of the model to switch off (``core.ablation``).
        encoded: the encoder's output for ``src_ids`` when the caller already has it
            (``Translator.translate_batch`` encodes once, recording the encoder's maps,
            instead of a second pass just for them).
    """
    cfg = model.cfg
    batch = src_ids.size(0)
    if encoded is None:
        encoded = model.encode(src_ids, need_attention=False, ablation=ablation)
    caches = model.start_cache(encoded)
    last = torch.full((batch,), cfg.bos_id, dtype=torch.long, device=src_ids.device)
    done = torch.zeros(batch, dtype=torch.bool, device=src_ids.device)
    limit = torch.tensor(max_lens, device=src_ids.device)
    chosen: list[torch.Tensor] = []  # each (batch,)
    log_probs_chosen: list[torch.Tensor] = []
    tops: list[tuple[torch.Tensor, torch.Tensor]] = []
    self_rows: list[torch.Tensor] = []  # each (batch, layers, heads, t+1)
    cross_rows: list[torch.Tensor] = []  # each (batch, layers, heads, src_len)
    for t in range(max(max_lens)):
        step = model.decode_step(last, t, caches, encoded.src_mask, need_attention=record, ablation=ablation)
        caches = step.caches
        log_probs = torch.log_softmax(step.logits.float(), dim=-1)  # (batch, vocab)
        next_ids = log_probs.argmax(-1)
        chosen.append(next_ids)
        log_probs_chosen.append(log_probs.gather(1, next_ids[:, None])[:, 0])
        if record:
            top_vals, top_idx = log_probs.topk(top_k, dim=-1)
            tops.append((top_idx, top_vals.exp()))
            self_rows.append(step.self_rows)
            cross_rows.append(step.cross_rows)
        done = done | (next_ids == cfg.eos_id) | (t + 1 >= limit)
        if bool(done.all()):
            break
        last = torch.where(done, torch.full_like(next_ids, cfg.pad_id), next_ids)

    out_ids = torch.stack(chosen, 1).tolist()  # (batch, steps)
    out_lp = torch.stack(log_probs_chosen, 1)
    hyps = []
    for b in range(batch):
        hyp = greedy_hypothesis(out_ids[b], out_lp[b], max_lens[b], cfg.eos_id)
        length = len(hyp.token_ids)
        if record:
            hyp.top_ids = torch.stack([tops[t][0][b] for t in range(length)])
            hyp.top_probs = torch.stack([tops[t][1][b] for t in range(length)])
            hyp.self_rows = [self_rows[t][b] for t in range(length)]
            hyp.cross_rows = torch.stack([cross_rows[t][b] for t in range(length)])
        hyps.append(hyp)
    return hyps


@dataclass
class _BeamStep:
    """What beam search keeps for one step, for all hypotheses alive at it."""

    inputs: torch.Tensor  # (n,) the token each hypothesis fed in at this step
    parents: torch.Tensor  # (n,) index of each hypothesis at the previous step
    log_probs: torch.Tensor  # (n, vocab) next-token log-probabilities
    self_rows: torch.Tensor | None  # (n, layers, heads, t+1)
    cross_rows: torch.Tensor | None  # (n, layers, heads, src_len)


def beam_search(
    model: Transformer,
    src_ids: torch.Tensor,
    beam_size: int,
    max_len: int,
    alpha: float = 0.6,
    record: bool = True,
    top_k: int = 5,
    ablation: Ablation | None = None,
    encoded=None,
) -> Hypothesis:
    """Beam search for one sentence (§6.1 uses beam 4 and α = 0.6).

    Keeps the ``beam_size`` best prefixes; a prefix that emits ``</s>`` is set
    aside as finished. Stops when ``beam_size`` hypotheses are finished or
    ``max_len`` is reached, and returns the one with the best score
    log P(Y|X) / lp(|Y|). With ``beam_size=1`` this is exactly greedy decoding.

    Args:
        src_ids: ``(1, src_len)``.
        encoded: the encoder's output for ``src_ids`` when the caller already has it
            (``Translator.translate_batch`` keeps its maps).
    """
    cfg = model.cfg
    if encoded is None:
        encoded = model.encode(src_ids, need_attention=False, ablation=ablation)
    caches: list[LayerCache] = model.start_cache(encoded)
    src_mask = encoded.src_mask
    scores = torch.zeros(1, device=src_ids.device)  # (n_alive,) summed log-probs
    inputs = torch.full((1,), cfg.bos_id, dtype=torch.long, device=src_ids.device)
    parents = torch.zeros(1, dtype=torch.long, device=src_ids.device)
    history: list[_BeamStep] = []
    finished: list[tuple[float, float, int, int]] = []  # (score, log_prob, step, beam)
    for t in range(max_len):
        step = model.decode_step(inputs, t, caches, src_mask, need_attention=record, ablation=ablation)
        log_probs = torch.log_softmax(step.logits.float(), dim=-1)  # (n_alive, vocab)
        history.append(_BeamStep(inputs, parents, log_probs, step.self_rows, step.cross_rows))
        vocab = log_probs.size(-1)
        candidates = (scores[:, None] + log_probs).view(-1)
        top_scores, top_flat = candidates.topk(min(2 * beam_size, candidates.numel()))
        next_beams, next_tokens, next_scores = [], [], []
        for cand_score, flat in zip(top_scores.tolist(), top_flat.tolist()):
            if cand_score == float("-inf"):  # a forced or banned token left no other choice
                break
            beam, token = divmod(flat, vocab)
            if token == cfg.eos_id:
                finished.append((cand_score / length_penalty(t + 1, alpha), cand_score, t, beam))
            else:
                next_beams.append(beam)
                next_tokens.append(token)
                next_scores.append(cand_score)
            if len(next_beams) == beam_size:
                break
        if len(finished) >= beam_size or t + 1 == max_len or not next_beams:
            break
        index = torch.tensor(next_beams, device=src_ids.device)
        caches = [c.select(index) for c in step.caches]
        src_mask = src_mask.index_select(0, index)
        inputs = torch.tensor(next_tokens, device=src_ids.device)
        parents = index
        scores = torch.tensor(next_scores, device=src_ids.device)

    if finished:
        best_score, best_lp, last_step, beam = max(finished, key=lambda f: f[0])
        last_token = cfg.eos_id
    else:  # nothing ended with </s> within max_len: take the best unfinished prefix
        last_step = len(history) - 1
        final = (scores[:, None] + history[-1].log_probs).view(-1)
        best_lp, flat = (float(v) for v in final.max(0))
        beam, last_token = divmod(int(flat), history[-1].log_probs.size(-1))
        best_score = best_lp / length_penalty(last_step + 1, alpha)
    return _backtrack(history, last_step, beam, last_token, best_lp, best_score, bool(finished), record, top_k)


def _backtrack(
    history: list[_BeamStep],
    last_step: int,
    beam: int,
    last_token: int,
    log_prob: float,
    score: float,
    finished: bool,
    record: bool,
    top_k: int,
) -> Hypothesis:
    """Follow parent pointers from the final hypothesis back to ``<s>``."""
    tokens = [last_token]
    beams = [beam]
    for t in range(last_step, 0, -1):
        tokens.append(int(history[t].inputs[beams[-1]]))
        beams.append(int(history[t].parents[beams[-1]]))
    tokens.reverse()
    beams.reverse()  # beams[t] = row of the hypothesis at step t
    rows_lp = torch.stack([history[t].log_probs[b] for t, b in enumerate(beams)])  # (T, vocab)
    hyp = Hypothesis(
        token_ids=tokens,
        log_prob=log_prob,
        score=score,
        finished=finished,
        token_probs=rows_lp.gather(1, torch.tensor(tokens)[:, None])[:, 0].exp().tolist(),
    )
    if record:
        top_vals, top_idx = rows_lp.topk(top_k, dim=-1)
        hyp.top_ids, hyp.top_probs = top_idx, top_vals.exp()
        hyp.self_rows = [history[t].self_rows[b] for t, b in enumerate(beams)]
        hyp.cross_rows = torch.stack([history[t].cross_rows[b] for t, b in enumerate(beams)])
    return hyp
