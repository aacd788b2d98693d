"""The "Before the Transformer" lesson: RNN seq2seq, Bahdanau attention, and the paper's Table 1.

Pure computations (no Streamlit), one per section of ``app/app_pages/seq2seq.py``:

1. **Three models, one sentence.** The Bahdanau model is teacher-forced on
   the Transformer's output, so its alignment and the Transformer's
   encoder–decoder attention share their rows (the same target tokens) and
   columns (the same source pieces: both read one shared tokenizer).
   ``best_matching_head`` finds the Transformer head whose row-wise argmax
   agrees most often with Bahdanau's.
2. **What the decoder can read.** Without attention: one vector of ``hidden``
   numbers, whatever the length. With attention: every annotation, growing
   with the sentence.
3. **Table 1** (§4): cost per layer, sequential operations and maximum path
   length of self-attention, recurrent and convolutional layers, as numbers
   for the n, d, k and r a student picks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import TranslationResult
from core.seq2seq import RNNTranslator

LAYER_TYPES = ("self_attention", "recurrent", "convolutional", "restricted")


# ------------------------------------------------------------ 1. same axes
@dataclass(frozen=True)
class SameAxes:
    """Bahdanau's alignment and the Transformer's cross-attention on one grid.

    Attributes:
        bahdanau: ``(tgt_len, src_len)`` the RNN's weights, teacher-forced on the
            Transformer's output ``output_ids``.
        transformer: ``(layers, heads, tgt_len, src_len)`` the Transformer's cross-attention.
        agreement: ``(layers, heads)`` share of rows whose most-attended source
            piece is the same as Bahdanau's.
        best: ``(layer, head)`` 0-based, the head with the highest agreement.
    """

    source_tokens: list[str]
    target_tokens: list[str]
    output_tokens: list[str]
    bahdanau: np.ndarray
    transformer: np.ndarray
    agreement: np.ndarray
    best: tuple[int, int]

    @property
    def transformer_mean(self) -> np.ndarray:
        """The last decoder layer, mean of its heads: ``(tgt_len, src_len)``."""
        return self.transformer[-1].mean(0)


def argmax_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of rows (queries) where ``a`` and ``b`` ``(q, k)`` put their largest weight on the same key."""
    return float(np.mean(a.argmax(-1) == b.argmax(-1))) if len(a) else 0.0


def best_matching_head(cross: np.ndarray, alignment: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Agreement of every head of ``cross`` ``(layers, heads, q, k)`` with ``alignment`` ``(q, k)``,
    and the best head (ties: the later layer, then the lower head number)."""
    layers, heads = cross.shape[:2]
    agreement = np.array([[argmax_agreement(cross[l, h], alignment) for h in range(heads)] for l in range(layers)])
    order = sorted(((agreement[l, h], l, -h) for l in range(layers) for h in range(heads)), reverse=True)
    _, layer, neg_head = order[0]
    return agreement, (layer, -neg_head)


def same_axes(bahdanau: RNNTranslator, transformer_result: TranslationResult) -> SameAxes:
    """Teacher-force the Bahdanau model on the Transformer's translation and line the maps up."""
    src_ids, _, _ = bahdanau.prepare_source(transformer_result.source_text)
    alignment = bahdanau.teacher_forced_alignment(src_ids, list(transformer_result.output_ids))
    cross = np.asarray(transformer_result.attention.cross)
    if alignment.shape != cross.shape[2:]:
        raise ValueError(f"the two models read the sentence differently: {alignment.shape} vs {cross.shape[2:]}")
    agreement, best = best_matching_head(cross, alignment)
    return SameAxes(list(transformer_result.source_tokens), list(transformer_result.target_tokens),
                    list(transformer_result.output_tokens), alignment, cross, agreement, best)


# ------------------------------------------------------------ 2. what the decoder reads
def readable_numbers(src_len: int, rnn_hidden: int, d_model: int) -> dict[str, int]:
    """How many numbers about the source each decoder can read at every step.

    * bottleneck: the summary ``c`` — ``rnn_hidden``, whatever ``src_len``;
    * Bahdanau: every annotation ``h_j = [→h_j; ←h_j]`` — ``src_len · 2 · rnn_hidden``;
    * Transformer: the encoder's output, one ``d_model`` vector per piece — ``src_len · d_model``.
    """
    return {"rnn": rnn_hidden, "bahdanau": src_len * 2 * rnn_hidden, "transformer": src_len * d_model}


# ------------------------------------------------------------ BLEU by length
MIN_BUCKET_SENTENCES = 20  # fewer sentences give a BLEU that says more about those sentences than the length


def reliable_buckets(buckets: list[dict]) -> tuple[list[dict], list[dict]]:
    """The buckets with at least ``MIN_BUCKET_SENTENCES`` sentences, and those left out."""
    keep = [b for b in buckets if b["sentences"] >= MIN_BUCKET_SENTENCES]
    return keep, [b for b in buckets if b["sentences"] < MIN_BUCKET_SENTENCES]


@dataclass(frozen=True)
class LengthReading:
    """What the BLEU-by-length chart says, as numbers for the page's sentences.

    ``values`` holds, per model key (``rnn``, ``bahdanau``, ``transformer``): its
    BLEU on the shortest bucket (``<key>_a``), the share of it kept in the
    second-longest (``<key>_mid``, %) and in the longest bucket (``<key>_keep``, %).
    """

    values: dict[str, str]
    bottleneck_first: bool  # the one-vector model keeps clearly less than both attention models by the mid bucket
    all_fall_last: bool  # every model loses at least 15 % in the longest bucket


def length_reading(buckets: list[dict], keys: dict[str, str]) -> LengthReading:
    """Read the shortest, second-longest and longest bucket for each model (``keys``: table name → model key)."""
    first, mid, last = buckets[0], buckets[-2], buckets[-1]
    values: dict[str, str] = {"short": first["label"], "mid": mid["label"], "long": last["label"],
                              "n_long": str(last["sentences"])}
    keep_mid, keep_last = {}, {}
    for name, key in keys.items():
        base = max(first["bleu"][name], 1e-9)
        keep_mid[key] = 100 * mid["bleu"][name] / base
        keep_last[key] = 100 * last["bleu"][name] / base
        values[f"{key}_a"] = f"{first['bleu'][name]:.1f}"
        values[f"{key}_mid"] = f"{keep_mid[key]:.0f}"
        values[f"{key}_keep"] = f"{keep_last[key]:.0f}"
    attention = [v for k, v in keep_mid.items() if k != "rnn"]
    bottleneck_first = "rnn" in keep_mid and bool(attention) and keep_mid["rnn"] < min(attention) - 10
    return LengthReading(values, bottleneck_first, all(v <= 85 for v in keep_last.values()))


# ------------------------------------------------------------ 3. Table 1
@dataclass(frozen=True)
class LayerCost:
    """One row of Table 1, as the paper's formulas and as numbers for the chosen n, d, k, r."""

    layer: str  # one of LAYER_TYPES
    complexity: str
    sequential: str
    path: str
    operations: float
    sequential_steps: int
    path_length: int


def table_one(n: int, d: int, k: int, r: int) -> list[LayerCost]:
    """Table 1 of the paper (§4) for sequence length ``n``, width ``d``, kernel ``k``, neighbourhood ``r``.

    The counts are the O(·) expressions with every constant set to 1 (what the
    table compares), e.g. a recurrent layer does n·d² multiply-adds: one d×d
    product per position, n positions one after another.
    """
    if min(n, d, k, r) < 1:
        raise ValueError("n, d, k and r must be at least 1")
    return [
        LayerCost("self_attention", "O(n²·d)", "O(1)", "O(1)", float(n * n * d), 1, 1),
        LayerCost("recurrent", "O(n·d²)", "O(n)", "O(n)", float(n * d * d), n, n),
        LayerCost("convolutional", "O(k·n·d²)", "O(1)", "O(log_k n)", float(k * n * d * d), 1,
                  max(1, math.ceil(math.log(n, k))) if k > 1 else n),
        LayerCost("restricted", "O(r·n·d)", "O(1)", "O(n/r)", float(r * n * d), 1, max(1, math.ceil(n / r))),
    ]


def operations_by_length(lengths: np.ndarray, d: int, k: int, r: int) -> dict[str, np.ndarray]:
    """Operations per layer of each layer type over ``lengths`` (for the chart)."""
    n = np.asarray(lengths, dtype=np.float64)
    return {"self_attention": n * n * d, "recurrent": n * d * d, "convolutional": k * n * d * d,
            "restricted": np.minimum(r, n) * n * d}

