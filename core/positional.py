"""Sinusoidal positional encoding (§3.5).

Self-attention treats its input as a set: shuffling the tokens shuffles the
output the same way. To give the model word order, the paper adds to each
embedding a vector that depends only on the position ``pos``:

    PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))

Each pair of dimensions is a sine/cosine of one frequency; wavelengths grow
geometrically from 2π to 10000·2π, so nearby positions get similar vectors and
PE(pos + k) is a linear function (a rotation) of PE(pos).
"""

from __future__ import annotations

import math

import torch


def sinusoidal_encoding(max_positions: int, d_model: int) -> torch.Tensor:
    """The paper's table of positional encodings.

    Returns:
        ``(max_positions, d_model)`` float32; row ``pos`` is PE(pos).
    """
    if d_model % 2 != 0:
        raise ValueError(f"d_model must be even for sin/cos pairs, got {d_model}")
    position = torch.arange(max_positions, dtype=torch.float64)[:, None]  # (pos, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)  # (d_model/2,)
    inv_freq = torch.exp(-math.log(10000.0) * two_i / d_model)  # 1 / 10000^(2i/d)
    angles = position * inv_freq  # (pos, d_model/2)
    table = torch.empty(max_positions, d_model, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angles)
    table[:, 1::2] = torch.cos(angles)
    return table.float()
