"""How sharp is the encoder–decoder attention? Entropy ratio and max weight per layer and head.

For one decoder query row ``a`` over the ``S`` real source keys (source pieces
+ ``</s>``), the entropy ratio is

    H(a) / log S,   H(a) = −Σ_j a_j log a_j,

1.0 for a uniform row (the decoder averages the source) and 0.0 for a row that
puts all its weight on one key. ``max weight`` is max_j a_j (1/S if uniform).
Both are averaged over every real target row of a set of sentence pairs,
teacher-forced on the references, per decoder layer and head. Sources of one
key (log 1 = 0) are skipped.

Used by ``core.train`` (logged at every evaluation step) and by
``bench/attention_quality.py`` (any shipped model). ``entropy_ratio`` /
``head_statistics`` give the same numbers for any kind of map already in
hand as numpy arrays (the ablation experiments, the training timeline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .data import EncodedPair, collate, make_batches


@dataclass
class AttentionQuality:
    """Means over target rows; lists are ``[layer][head]``."""

    entropy_ratio: list[list[float]]
    max_weight: list[list[float]]
    uniform_max_weight: float  # mean of 1/S over the same rows (what a uniform row would give)
    rows: int
    sentences: int

    @property
    def layer_entropy_ratio(self) -> list[float]:
        """Per decoder layer, averaged over heads."""
        return [sum(h) / len(h) for h in self.entropy_ratio]

    @property
    def layer_max_weight(self) -> list[float]:
        return [sum(h) / len(h) for h in self.max_weight]


def keys_per_row(kind: str, n_queries: int, n_keys: int, causal: bool = True) -> np.ndarray:
    """Keys each query may see: all of them, or 1 … T under the look-ahead mask."""
    if kind == "decoder_self" and causal:
        return np.arange(1, n_queries + 1)
    return np.full(n_queries, n_keys)


def entropy_ratio(weights: np.ndarray, keys_per_row: np.ndarray | int) -> np.ndarray:
    """Row entropy ÷ log(number of keys the row may see): 1 = uniform, 0 = one key.

    Args:
        weights: ``(…, q_len, k_len)`` attention weights (blocked cells 0).
        keys_per_row: how many keys each row may attend to, broadcastable to
            ``(…, q_len)``; rows with a single key get ratio 0.

    Returns:
        ``(…, q_len)``.
    """
    w = np.asarray(weights, dtype=np.float64)
    ent = -(w * np.log(np.clip(w, 1e-300, 1.0))).sum(-1)
    n = np.broadcast_to(np.asarray(keys_per_row, dtype=np.float64), ent.shape)
    return np.where(n > 1, ent / np.log(np.maximum(n, 2)), 0.0)


@dataclass
class HeadStatistics:
    """Per layer and head, averaged over the rows (queries) of one map.

    Attributes:
        entropy_ratio: ``(layers, heads)`` mean row entropy ÷ log(keys seen).
        max_weight: ``(layers, heads)`` mean of each row's largest weight.
    """

    entropy_ratio: np.ndarray
    max_weight: np.ndarray


def head_statistics(maps: Sequence[np.ndarray], kind: str, causal: bool = True) -> HeadStatistics:
    """Statistics of one kind's maps, each ``(layers, heads, q_len, k_len)``, averaged over
    every row of every map (one sentence, or several of different lengths)."""
    ratios, maxima = [], []
    for m in maps:
        w = np.asarray(m, dtype=np.float64)
        ratios.append(entropy_ratio(w, keys_per_row(kind, *w.shape[-2:], causal)))  # (layers, heads, q_len)
        maxima.append(w.max(-1))
    return HeadStatistics(np.concatenate(ratios, axis=-1).mean(-1), np.concatenate(maxima, axis=-1).mean(-1))


def row_statistics(cross: torch.Tensor, src_lengths: torch.Tensor, tgt_lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]:
    """Sums over the real rows of one batch of cross-attention maps.

    Args:
        cross: ``(batch, layers, heads, tgt_len, src_len)`` post-softmax weights.
        src_lengths: ``(batch,)`` real source keys per sentence (pieces + ``</s>``).
        tgt_lengths: ``(batch,)`` real target rows per sentence.

    Returns:
        ``(entropy_ratio_sum, max_weight_sum, inverse_length_sum, rows)``: the
        first two ``(layers, heads)``, summed over the rows that count.
    """
    b, _, _, t, s = cross.shape
    w = cross.double()
    ent = -(w * torch.log(w.clamp_min(1e-30))).sum(-1)  # (b, L, H, t)
    log_s = torch.log(src_lengths.double().clamp_min(1))  # (b,)
    row_ok = (torch.arange(t)[None, :] < tgt_lengths[:, None]) & (src_lengths[:, None] > 1)  # (b, t)
    ratio = ent / log_s.clamp_min(1e-12)[:, None, None, None]
    mask = row_ok[:, None, None, :].double()
    ratio_sum = (ratio * mask).sum((0, 3))
    max_sum = (w.amax(-1) * mask).sum((0, 3))
    inv = (row_ok.double() / src_lengths.double().clamp_min(1)[:, None]).sum()
    return ratio_sum, max_sum, inv, int(row_ok.sum())


def measure(model: torch.nn.Module, pairs: list[EncodedPair], batch_tokens: int = 2000) -> AttentionQuality:
    """Teacher-forced cross-attention statistics of ``model`` on encoded pairs.

    ``model`` is a ``Transformer`` (every decoder layer and head) or an RNN of
    ``core.seq2seq`` (its one Bahdanau alignment counts as layer 1, head 1; the
    bottleneck model has no attention and gives empty lists).
    """
    was_training = model.training
    model.eval()
    cfg = model.cfg
    ratio_sum = max_sum = None
    inv_sum, rows = 0.0, 0
    with torch.inference_mode():
        for indices in make_batches(pairs, batch_tokens):
            batch = collate(pairs, indices, cfg.pad_id, cfg.bos_id)
            _, maps = model(batch.src, batch.tgt_in, need_attention=True)
            if maps is None:  # an RNN without attention
                break
            # (batch, layers, heads, tgt_len, src_len); an RNN alignment (batch, tgt, src) is one layer and head
            cross = maps[:, None, None] if isinstance(maps, torch.Tensor) else maps.cross
            src_len = (batch.src != cfg.pad_id).sum(1)
            tgt_len = (batch.tgt_out != cfg.pad_id).sum(1)
            r, m, inv, n = row_statistics(cross, src_len, tgt_len)
            ratio_sum = r if ratio_sum is None else ratio_sum + r
            max_sum = m if max_sum is None else max_sum + m
            inv_sum += float(inv)
            rows += n
    if was_training:
        model.train()
    n = max(rows, 1)
    return AttentionQuality(
        entropy_ratio=[] if ratio_sum is None else (ratio_sum / n).tolist(),
        max_weight=[] if max_sum is None else (max_sum / n).tolist(),
        uniform_max_weight=inv_sum / n,
        rows=rows,
        sentences=len(pairs),
    )


def format_table(q: AttentionQuality) -> str:
    """Plain-text table: one line per layer, heads across, then the layer mean."""
    heads = len(q.entropy_ratio[0]) if q.entropy_ratio else 0
    head_cols = " ".join(f"{'h' + str(h + 1):>6}" for h in range(heads))
    lines = [f"cross-attention over {q.sentences} sentences ({q.rows} target rows); "
             f"uniform rows would give entropy ratio 1.000 and max weight {q.uniform_max_weight:.3f}",
             "", f"entropy ratio (H / log S)   {head_cols}   mean"]
    for i, row in enumerate(q.entropy_ratio):
        lines.append(f"  decoder layer {i + 1:<12} " + " ".join(f"{v:6.3f}" for v in row) + f"   {q.layer_entropy_ratio[i]:.3f}")
    lines += ["", f"max weight                  {head_cols}   mean"]
    for i, row in enumerate(q.max_weight):
        lines.append(f"  decoder layer {i + 1:<12} " + " ".join(f"{v:6.3f}" for v in row) + f"   {q.layer_max_weight[i]:.3f}")
    return "\n".join(lines)

