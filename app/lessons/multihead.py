"""The multi-head attention lesson (§3.2.2).

Instead of one attention over d_model dimensions, the layer runs h smaller
ones side by side. Head i projects the same input three ways,

    Q_i = X W_iᵠ,  K_i = X W_iᴷ,  V_i = X W_iⱽ      (each d_model → d_k = d_model / h)

attends with them, and the h outputs (d_k columns each) are concatenated
back to d_model columns and mixed by W^O:

    MultiHead(X) = Concat(head_1, …, head_h) W^O

"Multi-head attention allows the model to jointly attend to information
from different representation subspaces at different positions" — like
several channels, each tuned to something else. Because each head is h
times narrower, the whole layer costs about as much as one full-width head.

This module turns a ``core.LayerTrace`` (the layer recomputed with the
model's own modules) into what the page draws: each head's habit on the
user's sentence and how much each head contributes to the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core import LayerTrace
from core.analysis import head_statistics

HABITS = ("offset", "reverse", "special", "broad", "focused", "mixed")
OFFSETS = (-2, -1, 0, 1, 2)


@dataclass
class HeadHabit:
    """One head's most visible pattern on this sentence.

    Attributes:
        head: 0-based head index.
        habit: one of ``HABITS``:
            ``offset`` — most weight on the key ``offset`` positions from the
            query's own (−1 previous token, 0 itself, +1 next token; for
            cross-attention the diagonal is stretched to the two lengths, so 0
            means "the aligned source position");
            ``reverse`` — on the anti-diagonal (word order flipped), within
            ``offset`` of the mirrored position;
            ``special`` — on ``<s>``/``</s>`` (a "sink" when nothing else fits);
            ``broad`` — spread nearly evenly; ``focused`` — sharp, but not on
            one fixed position; ``mixed`` — none of these.
        offset: see above (0 for the non-positional habits).
        share: the mean weight that supports the habit (0–1; for ``broad``
            the entropy as a fraction of the uniform entropy).
        entropy: mean row entropy in bits; max_weight: mean largest weight.
    """

    head: int
    habit: str
    offset: int
    share: float
    entropy: float
    max_weight: float


def positional_shares(weights: np.ndarray, rows: np.ndarray) -> dict[tuple[str, int], float]:
    """Mean weight on the key at a fixed offset from the diagonal or the anti-diagonal.

    Args:
        weights: ``(q_len, k_len)`` one head.
        rows: ``(q_len,)`` which query rows count.

    Returns:
        ``{("offset", δ): share, ("reverse", δ): share}`` for δ in ``OFFSETS``;
        the diagonal is the query's own index for self-attention and the line
        from (0, 0) to (q_len−1, k_len−1) when the lengths differ.
    """
    q_len, k_len = weights.shape
    scale = (k_len - 1) / (q_len - 1) if q_len > 1 and q_len != k_len else 1.0
    queries = np.flatnonzero(rows)
    centre = np.round(queries * scale).astype(int)  # (rows,)
    shares: dict[tuple[str, int], float] = {}
    for family, base in (("offset", centre), ("reverse", k_len - 1 - centre)):
        for delta in OFFSETS:
            keys = base + delta
            inside = (keys >= 0) & (keys < k_len)
            picked = np.where(inside, weights[queries, np.clip(keys, 0, k_len - 1)], 0.0)
            shares[(family, delta)] = float(picked.mean()) if len(queries) else 0.0
    return shares


def head_habits(
    weights: np.ndarray,
    key_special: Sequence[bool],
    query_special: Sequence[bool] | None = None,
    threshold: float = 0.5,
) -> list[HeadHabit]:
    """Name each head's habit from its weights ``(heads, q_len, k_len)``.

    A pattern counts when its mean weight reaches ``threshold`` (rows of
    special queries are left out). The strongest of the positional patterns
    (``positional_shares``) and the special-token share wins; otherwise the
    head is ``broad`` (entropy ≥ 85 % of uniform), ``focused`` (mean max
    weight ≥ ``threshold``) or ``mixed``.
    """
    weights = np.asarray(weights, dtype=np.float64)
    heads, q_len, k_len = weights.shape
    rows = np.ones(q_len, dtype=bool) if query_special is None else ~np.asarray(query_special, dtype=bool)
    if not rows.any():
        rows[:] = True
    stats = head_statistics(weights[None], key_special, query_special)
    uniform = np.log2(k_len) if k_len > 1 else 1.0
    habits = []
    for h in range(heads):
        row = stats.iloc[h]
        entropy, max_w = float(row["entropy"]), float(row["max_weight"])
        candidates = positional_shares(weights[h], rows)
        candidates[("special", 0)] = float(row["special_share"])
        (habit, offset), share = max(candidates.items(), key=lambda kv: kv[1])
        if share < threshold:
            if entropy >= 0.85 * uniform:
                habit, offset, share = "broad", 0, entropy / uniform
            elif max_w >= threshold:
                habit, offset, share = "focused", 0, max_w
            else:
                habit, offset, share = "mixed", 0, max_w
        habits.append(HeadHabit(h, habit, offset, share, entropy, max_w))
    return habits


def head_output_norms(trace: LayerTrace) -> np.ndarray:
    """``(heads, q_len)`` ‖head_i · W^O_i‖ for every query: how much each head
    adds to the layer output at each position."""
    return np.linalg.norm(trace.head_contributions, axis=-1)


def head_output_shares(trace: LayerTrace) -> np.ndarray:
    """``(heads, q_len)`` the norms above as fractions of their sum per query."""
    norms = head_output_norms(trace)
    total = norms.sum(0, keepdims=True)
    return np.divide(norms, total, out=np.zeros_like(norms), where=total > 0)


def head_slices(d_model: int, n_heads: int) -> list[tuple[int, int]]:
    """Column range ``[start, end)`` of each head inside Concat(head_1 … head_h)."""
    d_head = d_model // n_heads
    return [(h * d_head, (h + 1) * d_head) for h in range(n_heads)]


def head_similarity(weights: np.ndarray) -> np.ndarray:
    """``(heads, heads)`` cosine similarity of the heads' attention maps.

    Near 1: two heads look at the same places (redundant); low: they
    specialised on different patterns.
    """
    flat = np.asarray(weights, dtype=np.float64).reshape(weights.shape[0], -1)
    norms = np.linalg.norm(flat, axis=1, keepdims=True)
    unit = np.divide(flat, norms, out=np.zeros_like(flat), where=norms > 0)
    return unit @ unit.T
