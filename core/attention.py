"""Scaled dot-product attention and multi-head attention (§3.2).

Read this file next to Figure 2 of the paper. Attention is a soft dictionary
look-up: every *query* is compared with every *key*; the comparison scores are
turned into weights by a softmax; the output is the weighted sum of the
*values*:

    Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V        (equation 1)

Why divide by √d_k? If the components of q and k are independent with mean 0
and variance 1, the dot product q·k has variance d_k. Large scores push the
softmax into regions where one weight is ~1 and the gradients are tiny
(§3.2.1, footnote 4). Dividing by √d_k brings the variance back to 1.

Nothing computed for a request is stored on a module: the functions return
weights and scores as values, so one model object can serve many users at
the same time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .ablation import AttentionOptions


@dataclass
class AttentionOutput:
    """What one attention call produced.

    Attributes:
        output: ``(batch, q_len, d_model)`` after concatenating heads and W^O.
        weights: ``(batch, heads, q_len, k_len)`` post-softmax; rows are
            queries, columns are keys; blocked cells are exactly 0.
        scores: ``(batch, heads, q_len, k_len)`` scaled scores Q Kᵀ / √d_k
            *before* masking, or ``None`` unless requested.
    """

    output: torch.Tensor
    weights: torch.Tensor
    scores: torch.Tensor | None = None


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    dropout: nn.Module | None = None,
    options: AttentionOptions | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Equation (1) of the paper, one step per line.

    Args:
        q: ``(batch, heads, q_len, d_k)`` queries.
        k: ``(batch, heads, k_len, d_k)`` keys.
        v: ``(batch, heads, k_len, d_v)`` values.
        mask: boolean, broadcastable to ``(batch, heads, q_len, k_len)``;
            ``True`` = may attend (see ``core.masks``).
        dropout: optional dropout applied to the weights while training.
        options: an ablation of this sub-layer (``core.ablation``): scores
            without 1/√d_k, or heads whose weights are set to 0. ``None`` runs
            the paper's attention.

    Returns:
        ``(output, weights, scores)``: output ``(batch, heads, q_len, d_v)``;
        weights and scores ``(batch, heads, q_len, k_len)``.
    """
    d_k = q.size(-1)
    if options is not None and not options.scaled:
        scores = q @ k.transpose(-2, -1)  # ablation: raw dot products, variance ≈ d_k
    else:
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (batch, heads, q_len, k_len)
    if mask is not None:
        # Blocked cells become −∞, so exp(−∞) = 0 in the softmax.
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        # A row whose keys are all blocked would be 0/0 = NaN; it attends to
        # nothing, so it gets all-zero weights. This also makes blocked cells
        # exactly 0.0.
        weights = weights.masked_fill(~mask, 0.0)
    else:
        weights = torch.softmax(scores, dim=-1)
    if options is not None and options.removed_heads:
        keep = torch.ones(weights.size(1), dtype=weights.dtype, device=weights.device)
        keep[list(options.removed_heads)] = 0.0
        weights = weights * keep[None, :, None, None]  # a removed head attends to nothing: its output is 0
    mixed = weights if dropout is None else dropout(weights)
    output = mixed @ v  # (batch, heads, q_len, d_v)
    return output, weights, scores


class MultiHeadAttention(nn.Module):
    """Multi-head attention (§3.2.2).

    MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O,
    head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V).

    The h projections W_i^Q (each d_model × d_k) are stored side by side in
    one ``d_model × d_model`` linear layer ``w_q``; splitting its output into h
    slices of d_k = d_model / h columns gives the h heads.
    """

    def __init__(self, d_model: int, n_heads: int, attention_dropout: float = 0.0) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)
        self.attn_dropout = nn.Dropout(attention_dropout) if attention_dropout > 0 else None

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """``(batch, len, d_model)`` → ``(batch, heads, len, d_head)``."""
        batch, length, _ = x.shape
        return x.view(batch, length, self.n_heads, self.d_head).transpose(1, 2)

    def project_query(self, x: torch.Tensor) -> torch.Tensor:
        """Q = x W^Q, split into heads: ``(batch, heads, len, d_head)``."""
        return self.split_heads(self.w_q(x))

    def project_key_value(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """K = x W^K and V = x W^V, split into heads: each ``(batch, heads, len, d_head)``.

        The decoder calls this once per new token and appends the result to
        its key/value cache instead of re-projecting the whole prefix.
        """
        return self.split_heads(self.w_k(x)), self.split_heads(self.w_v(x))

    def attend(
        self,
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        mask: torch.Tensor | None = None,
        need_scores: bool = False,
        options: AttentionOptions | None = None,
    ) -> AttentionOutput:
        """Attention over already-projected heads, then Concat and W^O."""
        heads_out, weights, scores = scaled_dot_product_attention(q, k, v, mask, self.attn_dropout, options)
        batch, _, q_len, _ = heads_out.shape
        concat = heads_out.transpose(1, 2).reshape(batch, q_len, self.n_heads * self.d_head)
        return AttentionOutput(self.w_o(concat), weights, scores if need_scores else None)

    def forward(
        self,
        query_input: torch.Tensor,
        key_value_input: torch.Tensor,
        mask: torch.Tensor | None = None,
        need_scores: bool = False,
        options: AttentionOptions | None = None,
    ) -> AttentionOutput:
        """Attend from ``query_input`` ``(batch, q_len, d_model)`` to
        ``key_value_input`` ``(batch, k_len, d_model)``.

        Self-attention passes the same tensor twice; encoder–decoder
        attention passes the decoder state as queries and the encoder output
        ("memory") as keys and values (§3.2.3).
        """
        q = self.project_query(query_input)
        k, v = self.project_key_value(key_value_input)
        return self.attend(q, k, v, mask, need_scores, options)


class PositionwiseFeedForward(nn.Module):
    """FFN(x) = max(0, x W1 + b1) W2 + b2, applied to each position alone (§3.3)."""

    def __init__(self, d_model: int, d_ff: int, dropout: float) -> None:
        super().__init__()
        self.w_1 = nn.Linear(d_model, d_ff)
        self.w_2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w_2(self.dropout(F.relu(self.w_1(x))))
