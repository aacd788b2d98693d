"""Pure numpy helpers that turn raw attention maps into what the views show.

Everything here takes arrays whose last two axes are (queries, keys) and
returns new arrays; nothing depends on Streamlit.

* ``merge_words``: subword pieces → words. Following Clark et al. (2019,
  "What Does BERT Look At?"): attention *to* a word is the **sum** over its
  pieces (columns), attention *from* a word is the **mean** over its pieces
  (rows). Every row still sums to 1.
* ``keep_positions``: drop rows/columns (e.g. ``<s>``/``</s>``) and
  renormalise rows so they sum to 1 again over what is shown.
* ``head_statistics``: per layer and head, the numbers that reveal a head's
  habit (diagonal head, previous-token head, end-of-sentence sink …).
* ``rollout``: attention rollout (Abnar & Zuidema, 2020).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def merge_words(
    weights: np.ndarray,
    query_spans: Sequence[tuple[int, int]],
    key_spans: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Merge pieces into words: columns summed, rows averaged.

    Args:
        weights: ``(…, q_len, k_len)``.
        query_spans, key_spans: ``[(start, end), …]`` pieces of each word.

    Returns:
        ``(…, n_query_words, n_key_words)``.
    """
    cols = np.stack([weights[..., a:b].sum(-1) for a, b in key_spans], axis=-1)  # (…, q_len, n_kw)
    return np.stack([cols[..., a:b, :].mean(-2) for a, b in query_spans], axis=-2)


def merge_labels(labels: Sequence[str], spans: Sequence[tuple[int, int]], continuation: str = "##") -> list[str]:
    """Join piece labels into word labels: ``["rid", "##ing"]`` → ``"riding"``."""
    words = []
    for a, b in spans:
        parts = [labels[a]] + [lab[len(continuation):] if lab.startswith(continuation) else lab for lab in labels[a + 1 : b]]
        words.append("".join(parts))
    return words


def keep_positions(
    weights: np.ndarray, query_keep: Sequence[int], key_keep: Sequence[int], renormalize: bool = True
) -> np.ndarray:
    """Keep the given query rows and key columns.

    With ``renormalize`` each row is divided by its remaining sum, so the
    shown weights are "the share of this query's attention among the shown
    keys". Rows whose kept weights are all 0 stay 0.
    """
    sub = weights[..., list(query_keep), :][..., list(key_keep)]
    if not renormalize:
        return sub
    total = sub.sum(-1, keepdims=True)
    return np.divide(sub, total, out=np.zeros_like(sub), where=total > 0)


def _entropy_bits(rows: np.ndarray) -> np.ndarray:
    p = np.clip(rows, 1e-12, 1.0)
    return -(rows * np.log2(p)).sum(-1)


def head_statistics(
    weights: np.ndarray,
    key_special: Sequence[bool],
    query_special: Sequence[bool] | None = None,
) -> pd.DataFrame:
    """One row per (layer, head) with:

    * ``entropy``: mean entropy of the query rows, in bits. 0 = every query
      looks at one key; log2(k_len) = uniform.
    * ``max_weight``: mean of each row's largest weight.
    * ``diagonal_distance``: mean |key position − diagonal| weighted by
      attention. For self-attention the diagonal is the query's own position;
      for cross-attention it is the straight line from the first target/source
      pair to the last (a monotone alignment scores 0).
    * ``previous_token``: mean weight on the key just before the query's
      diagonal position.
    * ``special_share``: mean weight on special keys (``<s>``, ``</s>``).

    Rows of special queries (``query_special``) are left out of the means.

    Args:
        weights: ``(layers, heads, q_len, k_len)``.
    """
    layers, heads, q_len, k_len = weights.shape
    rows = np.ones(q_len, dtype=bool) if query_special is None else ~np.asarray(query_special, dtype=bool)
    if not rows.any():
        rows[:] = True
    w = weights[:, :, rows, :]  # (L, H, q', k)
    q_pos = np.arange(q_len)[rows].astype(float)
    scale = (k_len - 1) / (q_len - 1) if q_len > 1 and q_len != k_len else 1.0
    diag = q_pos * scale  # (q',)
    k_pos = np.arange(k_len, dtype=float)
    distance = np.abs(k_pos[None, :] - diag[:, None])  # (q', k)
    prev = np.clip(np.round(diag).astype(int) - 1, 0, k_len - 1)
    has_prev = np.round(diag) >= 1
    special = np.asarray(key_special, dtype=bool)
    records = []
    for layer in range(layers):
        for head in range(heads):
            m = w[layer, head]
            prev_w = m[np.arange(len(prev)), prev] * has_prev
            records.append(
                {
                    "layer": layer + 1,
                    "head": head + 1,
                    "entropy": float(_entropy_bits(m).mean()),
                    "max_weight": float(m.max(-1).mean()),
                    "diagonal_distance": float((m * distance).sum(-1).mean()),
                    "previous_token": float(prev_w.mean()),
                    "special_share": float(m[:, special].sum(-1).mean()) if special.any() else 0.0,
                }
            )
    return pd.DataFrame.from_records(records)


def rollout(encoder_self: np.ndarray, residual_weight: float = 0.5) -> np.ndarray:
    """Attention rollout through the encoder (Abnar & Zuidema, 2020).

    Each layer's head-averaged attention is mixed with the identity to account
    for the residual connection, A_l = (1−α)·mean_h(W_l) + α·I, and the layers
    are multiplied: R_l = A_l · R_{l−1}. Row i of R_l estimates how much each
    *input token* flows into position i after layer l.

    Args:
        encoder_self: ``(layers, heads, src_len, src_len)``.

    Returns:
        ``(layers, src_len, src_len)``; each row sums to 1.
    """
    layers, _, n, _ = encoder_self.shape
    eye = np.eye(n)
    result = np.empty((layers, n, n))
    current = eye
    for layer in range(layers):
        mixed = (1 - residual_weight) * encoder_self[layer].mean(0) + residual_weight * eye
        mixed = mixed / mixed.sum(-1, keepdims=True)
        current = mixed @ current
        result[layer] = current
    return result


def cross_rollout(cross: np.ndarray, encoder_rollout: np.ndarray) -> np.ndarray:
    """Cross-attention composed with the encoder rollout.

    The encoder output at source position j is itself a mixture of input
    tokens (row j of the last encoder rollout), so a decoder query's
    head-averaged cross-attention times that matrix attributes it to *input
    tokens* instead of encoder positions.

    Args:
        cross: ``(layers, heads, tgt_len, src_len)``.
        encoder_rollout: ``(src_len, src_len)`` (the last layer of ``rollout``).

    Returns:
        ``(layers, tgt_len, src_len)``.
    """
    return cross.mean(1) @ encoder_rollout
