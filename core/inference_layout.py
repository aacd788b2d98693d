"""Weights stored input-major for inference: the same matrices, laid out the way BLAS reads them fastest.

``nn.Linear`` keeps its weight as ``(out_features, in_features)`` and computes
y = x · Wᵀ + b (§3.2.2's projections, §3.3's feed-forward, §3.4's pre-softmax
linear map). With W stored row by row, BLAS multiplies by a *transposed* matrix
(its "NT" case). Storing the very same numbers column by column, as the transpose
of a contiguous ``(in, out)`` matrix, turns that product into the plain "NN" case,
which streams the weights in the order the product reads them. Nothing about the
model changes: shapes, values and the module code are the same; ``W`` is merely a
view with strides ``(1, out)``. When a result differs it is by float rounding (a
gemv sums in another order: about 3e-6 on outputs of size 1).

Measured on a 2-core AMD EPYC (AVX2, PyTorch's MKL, 1 thread, ``F.linear`` on the
same weights): the ``(1, 256) × (256, 8000)`` output projection of one decoding step
284.7 → 192.0 µs, at 8 rows 2357 → 1654 µs; ``(1, 256) × (256, 1024)`` 42.2 → 33.2 µs;
the encoder's ``(1024, 256) × (256, 1024)`` 8.60 → 8.27 ms; one case is slower,
``(1, 1024) × (1024, 256)`` 28.1 → 32.5 µs. ``bench/decode.py`` measures whole decodes.

Only models loaded for inference (``load_transformer_translator``) are re-stored;
a model being trained keeps PyTorch's default layout, and ``save_checkpoint`` writes
contiguous tensors either way. A tied embedding (§3.4: the target embedding is also
the pre-softmax matrix) is re-stored too: the projection by it runs at every step
over the whole vocabulary, while the lookup of a few rows, now strided, costs
microseconds (32 rows: 7.5 → 41 µs; 960 rows for a batch of sources: 0.08 → 1.0 ms).
"""

from __future__ import annotations

import torch
from torch import nn

from .model import Transformer


def input_major(weight: torch.Tensor) -> torch.Tensor:
    """``weight`` (out, in) with the same values, stored as a contiguous (in, out) matrix and viewed back."""
    return weight.t().contiguous().t()


def is_input_major(weight: torch.Tensor) -> bool:
    """Whether ``weight.t()`` is the contiguous matrix (BLAS's "NN" case for ``F.linear``)."""
    return weight.dim() == 2 and weight.t().is_contiguous()


def store_input_major(model: nn.Module) -> int:
    """Re-store every ``nn.Linear`` weight of ``model`` (and a tied output embedding) input-major.

    Returns:
        How many tensors were re-stored. Values, shapes and ``requires_grad`` are kept;
        only the storage changes (``p.data`` is replaced once, at load time).
    """
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    if isinstance(model, Transformer) and model.out_proj is None:
        weights.append(model.target_embedding.weight)  # the pre-softmax matrix (§3.4)
    with torch.no_grad():
        for weight in weights:
            weight.data = input_major(weight.data)
    return len(weights)
