"""Attention masks (§3.2.3).

Convention used everywhere in Attention Lab: a mask is a boolean tensor that
is ``True`` where a query MAY attend to a key and ``False`` where it may not.
Blocked scores are set to −∞ before the softmax, so their weights are exactly 0.

* The **padding mask** hides ``<pad>`` keys, which exist only because sentences
  of different lengths share one batch.
* The **look-ahead (subsequent) mask** hides future target positions from the
  decoder, so that position i can depend only on outputs before i (§3.2.3:
  "masking out (setting to −∞) all values in the input of the softmax which
  correspond to illegal connections").
"""

from __future__ import annotations

import torch


def padding_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Keys that are real tokens.

    Args:
        ids: token ids, shape ``(batch, seq_len)``.
        pad_id: id of the padding piece.

    Returns:
        ``(batch, 1, 1, seq_len)`` boolean; broadcasts over heads and queries.
    """
    return (ids != pad_id)[:, None, None, :]


def subsequent_mask(size: int, device: torch.device | None = None) -> torch.Tensor:
    """Look-ahead mask: query i may see keys 0..i.

    Returns:
        ``(1, 1, size, size)`` boolean, lower-triangular (diagonal included).
    """
    return torch.ones(size, size, dtype=torch.bool, device=device).tril()[None, None]


def decoder_self_mask(tgt_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Padding mask AND look-ahead mask for the decoder's self-attention.

    Returns:
        ``(batch, 1, tgt_len, tgt_len)`` boolean.
    """
    return padding_mask(tgt_ids, pad_id) & subsequent_mask(tgt_ids.size(1), tgt_ids.device)
