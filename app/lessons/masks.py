"""The masks lesson: what padding and look-ahead masks block, and how (§3.2.3).

A batch holds sentences of different lengths, so the shorter ones are padded
with ``<pad>``. Two masks keep the model honest:

* the **padding mask** blocks ``<pad>`` *keys*: nobody may attend to a
  position that only exists to fill the batch;
* the **look-ahead mask** blocks *future* keys in the decoder's
  self-attention: position i may use positions ≤ i only, because at
  generation time the later tokens do not exist yet (§3.2.3).

The decoder's self-attention uses both at once (their AND). Blocking works
on the scores, before the softmax: blocked cells are set to −∞, and since
exp(−∞) = 0 they get weight exactly 0 while each row still sums to 1.

``mask_stages`` lays out the four stages of one real head for one sentence
of the batch::

    QKᵀ  →  QKᵀ/√d_k  →  masked (blocked = −∞)  →  softmax weights
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core import BatchInspection, attention_kind
from core.masks import subsequent_mask


@dataclass
class SentenceMasks:
    """The three mask diagrams of one sentence of the batch. ``True`` = may attend.

    Attributes:
        source_tokens: labels of the padded source (``<pad>`` included).
        target_tokens: labels of the padded decoder input.
        padding: ``(src_len, src_len)`` the encoder self-attention's padding
            mask, drawn for every query row (the model stores one row,
            ``(batch, 1, 1, src_len)``, and broadcasts it).
        look_ahead: ``(tgt_len, tgt_len)`` lower triangle: key ≤ query.
        decoder: ``(tgt_len, tgt_len)`` padding AND look-ahead — the mask the
            decoder's self-attention really applies.
        source_pads, target_pads: how many ``<pad>`` positions each side has.
    """

    source_tokens: list[str]
    target_tokens: list[str]
    padding: np.ndarray
    look_ahead: np.ndarray
    decoder: np.ndarray
    source_pads: int
    target_pads: int


@dataclass
class MaskStages:
    """One head of one attention kind, stage by stage, for one sentence of the batch.

    Attributes:
        kind: ``"encoder_self"``, ``"decoder_self"`` or ``"cross"``.
        index, layer, head: batch row, layer and head (0-based).
        query_labels, key_labels: row and column labels (padded).
        mask: ``(q_len, k_len)`` boolean, True = may attend.
        raw: ``(q_len, k_len)`` QKᵀ (the scaled scores × √d_k).
        scaled: ``(q_len, k_len)`` QKᵀ / √d_k, as the model computed it.
        masked: ``scaled`` with blocked cells set to −∞.
        weights: ``(q_len, k_len)`` the model's softmax weights; blocked cells
            are exactly 0.
        d_k: dimensions per head.
    """

    kind: str
    index: int
    layer: int
    head: int
    query_labels: list[str]
    key_labels: list[str]
    mask: np.ndarray
    raw: np.ndarray
    scaled: np.ndarray
    masked: np.ndarray
    weights: np.ndarray
    d_k: int

    @property
    def blocked(self) -> np.ndarray:
        """``(q_len, k_len)`` True where the mask blocks the key."""
        return ~self.mask


def masked_softmax(masked_scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of scores that may hold −∞ (blocked cells).

    exp(−∞) = 0, so blocked cells get weight exactly 0 and the remaining
    cells of the row still sum to 1. A row with every key blocked has
    nothing to attend to and gets all zeros (not 0/0 = NaN), as in
    ``core.attention``.

    Args:
        masked_scores: ``(…, k_len)``.
    """
    scores = np.asarray(masked_scores, dtype=np.float64)
    finite = np.isfinite(scores)
    row_max = np.where(finite, scores, -np.inf).max(-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    exp = np.where(finite, np.exp(np.where(finite, scores, 0.0) - row_max), 0.0)
    total = exp.sum(-1, keepdims=True)
    return np.divide(exp, total, out=np.zeros_like(exp), where=total > 0)


def apply_mask(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Scores with blocked cells (``mask == False``) set to −∞ (§3.2.3)."""
    return np.where(mask, scores, -np.inf)


def sentence_masks(batch: BatchInspection, index: int) -> SentenceMasks:
    """The padding, look-ahead and decoder masks of batch row ``index``, from the model's own masks."""
    src_mask = batch.maps.src_mask[index, 0, 0].numpy()  # (src_len,) keys that are real tokens
    tgt_mask = batch.maps.tgt_mask[index, 0].numpy()  # (tgt_len, tgt_len) padding AND look-ahead
    src_len, tgt_len = src_mask.shape[0], tgt_mask.shape[0]
    look_ahead = subsequent_mask(tgt_len)[0, 0].numpy()  # (tgt_len, tgt_len)
    target_pads = int((~tgt_mask[-1]).sum())  # the last query may see every real key: its blocked keys are pads
    return SentenceMasks(
        source_tokens=list(batch.source_tokens[index]),
        target_tokens=list(batch.target_tokens[index]),
        padding=np.broadcast_to(src_mask[None, :], (src_len, src_len)).copy(),
        look_ahead=look_ahead,
        decoder=tgt_mask.copy(),
        source_pads=int((~src_mask).sum()),
        target_pads=target_pads,
    )


def mask_stages(batch: BatchInspection, kind: str, index: int, layer: int, head: int, d_k: int) -> MaskStages:
    """The four stages of one real head (``layer``, ``head``, 0-based) for batch row ``index``.

    The model returns the scaled scores QKᵀ/√d_k before masking
    (``AttentionMaps.*_scores``) and the masks it applied; this function puts
    them side by side with the unscaled QKᵀ, the −∞-masked scores and the
    softmax weights the model produced. ``d_k`` is the model's ``d_head``
    (d_model / h), needed to undo the scaling for the QKᵀ panel.
    """
    info = attention_kind(kind)  # ValueError for an unknown kind
    maps = batch.maps
    scores = getattr(maps, f"{kind}_scores")
    if scores is None:
        raise ValueError("the batch has no scores: use Translator.inspect_batch, which records them")
    scaled = scores[index, layer, head].double().numpy()  # (q_len, k_len)
    weights = getattr(maps, kind)[index, layer, head].double().numpy()  # (q_len, k_len)
    q_len, k_len = scaled.shape
    if info.look_ahead:
        mask = maps.tgt_mask[index, 0].numpy()  # (tgt_len, tgt_len): padding + look-ahead
    else:
        mask = np.broadcast_to(maps.src_mask[index, 0, 0].numpy()[None, :], (q_len, k_len))  # padded keys only
    tokens = {"source": batch.source_tokens[index], "target": batch.target_tokens[index]}
    q_labels, k_labels = tokens[info.query_side], tokens[info.key_side]
    return MaskStages(
        kind=kind,
        index=index,
        layer=layer,
        head=head,
        query_labels=list(q_labels),
        key_labels=list(k_labels),
        mask=mask.copy(),
        raw=scaled * math.sqrt(d_k),
        scaled=scaled,
        masked=apply_mask(scaled, mask),
        weights=weights,
        d_k=d_k,
    )


def second_sentence(first: str, examples: Sequence[str], length: Callable[[str], int]) -> str:
    """A partner for ``first`` of a *different* length, so the batch needs padding.

    Prefers the first example longer than ``first`` (then the user's own
    sentence is the padded one), else the shortest shorter example, else a
    shortened copy of ``first`` (its first half of words or characters).

    Args:
        first: the user's sentence.
        examples: candidate sentences (the model's examples).
        length: tokens of a sentence (e.g. ``len(tokenizer.encode(s))``).
    """
    n = length(first)
    lengths = [(s, length(s)) for s in examples if s.strip() and s.strip() != first.strip()]
    longer = [s for s, m in lengths if m > n]
    if longer:
        return longer[0]
    shorter = sorted((m, s) for s, m in lengths if 0 < m < n)
    if shorter:
        return shorter[0][1]
    words = first.split()
    if len(words) > 1:
        return " ".join(words[: max(1, len(words) // 2)])
    return first[: max(1, len(first) // 2)]


@dataclass
class StageSummary:
    """The facts the page prints under the four stages.

    Attributes:
        blocked: number of blocked cells.
        max_blocked_weight: the largest weight any blocked cell got (0.0).
        max_row_error: max |row sum − 1| over rows that may attend somewhere.
        blocked_are_neg_inf: every blocked cell is −∞ after masking.
    """

    blocked: int
    max_blocked_weight: float
    max_row_error: float
    blocked_are_neg_inf: bool


def stage_summary(stages: MaskStages) -> StageSummary:
    """Check the stages the way the lesson states them: −∞ before, exactly 0 after."""
    blocked = stages.blocked
    live = stages.mask.any(-1)  # rows with at least one allowed key
    row_error = np.abs(stages.weights[live].sum(-1) - 1.0)
    return StageSummary(
        blocked=int(blocked.sum()),
        max_blocked_weight=float(stages.weights[blocked].max()) if blocked.any() else 0.0,
        max_row_error=float(row_error.max()) if row_error.size else 0.0,
        blocked_are_neg_inf=bool(np.all(np.isneginf(stages.masked[blocked]))),
    )
