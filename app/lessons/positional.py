"""The positional-encoding lesson (§3.5).

Self-attention compares every token with every other token, but nothing in
QKᵀ depends on *where* a token stands: shuffle the words and each one gets
the same attention, just in shuffled rows. The paper therefore adds to each
token embedding a vector that depends only on its position:

    PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))

Dimension pair i is a sine/cosine of wavelength 2π · 10000^(2i/d_model):
from 2π (the first pair changes at every step) to 10000 · 2π (the last
pairs barely change over a sentence). Two consequences the page shows:

* PE(i) · PE(j) depends only on i − j and is largest at i = j, so nearby
  positions get similar vectors;
* PE(pos + k) is a rotation of PE(pos), so "k positions further" is the same
  linear map everywhere — the paper's reason to pick sinusoids.

The table itself comes from ``core.positional.sinusoidal_encoding``, the one
the model adds to its embeddings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import Translator
from core.positional import sinusoidal_encoding

D_MODEL_CHOICES = [16, 32, 64, 128, 256, 512, 768, 1024]
DEFAULT_D_MODEL = 512
MAX_LENGTH = 1024


def encoding_table(length: int, d_model: int) -> np.ndarray:
    """``(length, d_model)`` the paper's sinusoidal table (row = position)."""
    if length < 1:
        raise ValueError(f"length must be ≥ 1, got {length}")
    return sinusoidal_encoding(length, d_model).numpy().astype(np.float64)


def formula(pos: int, dim: int, d_model: int) -> float:
    """One entry written exactly as in §3.5 (used to check the table)."""
    i = dim // 2
    angle = pos / 10000 ** (2 * i / d_model)
    return math.sin(angle) if dim % 2 == 0 else math.cos(angle)


@dataclass(frozen=True)
class Dimension:
    """What one column of the table is.

    Attributes:
        dim: the column (0-based).
        function: ``"sin"`` for even columns, ``"cos"`` for odd ones.
        pair: i, so that ``dim`` is 2i or 2i+1.
        wavelength: 2π · 10000^(2i/d_model) positions.
    """

    dim: int
    function: str
    pair: int
    wavelength: float


def describe_dimension(dim: int, d_model: int) -> Dimension:
    """sin or cos, which pair, and the wavelength of column ``dim``."""
    if not 0 <= dim < d_model:
        raise ValueError(f"dimension {dim} is outside 0…{d_model - 1}")
    pair = dim // 2
    return Dimension(dim, "sin" if dim % 2 == 0 else "cos", pair, 2 * math.pi * 10000 ** (2 * pair / d_model))


def default_dimensions(d_model: int) -> list[int]:
    """A fast sin/cos pair (0, 1) and two slower sines (d_model/8 and d_model/4), so the
    different wavelengths are visible at once."""
    slow = [2 * (d_model // 16), 2 * (d_model // 8)]
    return sorted({0, 1, *[d for d in slow if 1 < d < d_model]})


def continuous(x: np.ndarray, dim: int, d_model: int) -> np.ndarray:
    """The sine/cosine of column ``dim`` evaluated between positions too (for drawing the wave)."""
    angle = np.asarray(x, dtype=np.float64) / 10000 ** (2 * (dim // 2) / d_model)
    return np.sin(angle) if dim % 2 == 0 else np.cos(angle)


def similarity(table: np.ndarray) -> np.ndarray:
    """``(length, length)`` PE(i)·PE(j). The diagonal is d_model/2 (sin² + cos² = 1 per pair)."""
    return table @ table.T


def similarity_profile(table: np.ndarray, reference: int) -> np.ndarray:
    """``(length,)`` PE(reference)·PE(j) for every position j."""
    return table @ table[reference]


def stride(n: int, limit: int) -> int:
    """Keep every ``stride``-th row/column so that at most ``limit`` are drawn."""
    return max(1, math.ceil(n / max(limit, 1)))


def shift_matrix(offset: int, d_model: int) -> np.ndarray:
    """``(d_model, d_model)`` the linear map M with PE(pos + offset) = M · PE(pos).

    Block-diagonal: one 2×2 rotation per sin/cos pair, by the angle
    offset · ω_i — the same matrix for every ``pos`` (§3.5's "linear
    function of PE_pos").
    """
    m = np.zeros((d_model, d_model))
    for pair in range(d_model // 2):
        w = 1.0 / 10000 ** (2 * pair / d_model)
        c, s = math.cos(offset * w), math.sin(offset * w)
        a, b = 2 * pair, 2 * pair + 1
        # sin(x + d) = sin x cos d + cos x sin d ; cos(x + d) = cos x cos d − sin x sin d
        m[a, a], m[a, b] = c, s
        m[b, a], m[b, b] = -s, c
    return m


def sentence_positions(translator: Translator, text: str) -> tuple[list[str], bool]:
    """The labels of the positions ``text`` occupies in the encoder (pieces + ``</s>``,
    cut like ``Translator.translate`` does) and whether it was cut."""
    _, labels = translator.source_tokenizer.encode_labeled(text)
    keep = translator.max_source_tokens
    eos = translator.source_tokenizer.label(translator.config.eos_id)
    return labels[:keep] + [eos], len(labels) > keep
