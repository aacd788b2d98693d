"""Read what enters a Hugging Face attention module, through its public forward pre-hooks.

``output_attentions`` gives the softmax weights only. The multi-head lesson
(``trace_layer``) and the mask lesson (pre-softmax scores) also need the
queries, keys and values, which the library does not return. A forward
pre-hook (``register_forward_pre_hook(..., with_kwargs=True)``) sees the
module's inputs — the hidden state, the encoder states for cross-attention,
the attention mask — and from them the module's own projections
(``q_proj``, ``k_proj``, ``v_proj``, ``out_proj``) recompute every step.

This works for the "bart" family (Marian, BART, mBART, M2M-100, NLLB), whose
attention is exactly the paper's equation 1. T5 adds a learned
relative-position bias to the scores and does not divide by √d_k, so its
scores are not Q Kᵀ / √d_k and are not reconstructed here.

A hook is a module-level object shared by every thread using the model, so
each capture only records calls made by the thread that opened it, and the
hooks are removed when it closes: another session's translation running at
the same moment is not recorded, and a hook only reads, so its results do
not change (a hook removed while another thread's forward pass is running
is called without keyword arguments and does nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class AttentionInputs:
    """One call's inputs: ``hidden`` ``(batch, q_len, d_model)``, ``key_value`` (cross-attention only)
    and ``allowed`` ``(batch, q_len, k_len)`` bool (True = may attend)."""

    hidden: torch.Tensor
    key_value: torch.Tensor | None
    allowed: torch.Tensor


def attention_modules(hf: Any, family: str) -> dict[str, list[nn.Module]]:
    """The attention modules of each kind, layer by layer."""
    encoder, decoder = hf.get_encoder(), hf.get_decoder()
    if family == "t5":
        return {
            "encoder_self": [b.layer[0].SelfAttention for b in encoder.block],
            "decoder_self": [b.layer[0].SelfAttention for b in decoder.block],
            "cross": [b.layer[1].EncDecAttention for b in decoder.block],
        }
    return {
        "encoder_self": [layer.self_attn for layer in encoder.layers],
        "decoder_self": [layer.self_attn for layer in decoder.layers],
        "cross": [layer.encoder_attn for layer in decoder.layers],
    }


def _allowed(mask: torch.Tensor | None, batch: int, q_len: int, k_len: int) -> torch.Tensor:
    """The library's mask (None, boolean, or additive 0 / very negative) as a boolean ``(batch, q_len, k_len)``."""
    if mask is None:
        return torch.ones(batch, q_len, k_len, dtype=torch.bool)
    allowed = mask if mask.dtype == torch.bool else mask > -1.0
    return allowed[:, 0, -q_len:, :k_len].expand(batch, q_len, k_len)


@contextmanager
def capture_inputs(modules: dict[str, list[nn.Module]]) -> Iterator[dict[str, list[AttentionInputs | None]]]:
    """Record the inputs of every module in ``modules`` during the ``with`` block (this thread only)."""
    owner = threading.get_ident()
    captured: dict[str, list[AttentionInputs | None]] = {kind: [None] * len(mods) for kind, mods in modules.items()}
    handles = []

    def make_hook(kind: str, layer: int):
        def hook(module: nn.Module, args: tuple, kwargs: dict | None = None) -> None:
            # kwargs=None: torch called this hook as a plain one because it was removed while
            # another thread's forward pass had already listed it; nothing to record then
            if threading.get_ident() != owner or kwargs is None:
                return
            hidden = args[0] if args else kwargs["hidden_states"]
            key_value = kwargs.get("key_value_states")
            k_len = (key_value if key_value is not None else hidden).size(1)
            mask = kwargs.get("attention_mask", kwargs.get("mask"))
            captured[kind][layer] = AttentionInputs(
                hidden.detach(), None if key_value is None else key_value.detach(),
                _allowed(mask, hidden.size(0), hidden.size(1), k_len),
            )

        return hook

    try:
        for kind, mods in modules.items():
            for layer, module in enumerate(mods):
                handles.append(module.register_forward_pre_hook(make_hook(kind, layer), with_kwargs=True))
        yield captured
    finally:
        for handle in handles:
            handle.remove()


def open_attention(module: nn.Module, inputs: AttentionInputs) -> dict[str, torch.Tensor]:
    """Recompute a "bart"-family attention call step by step with the module's own projections.

    Returns batched tensors: ``q``/``k``/``v`` ``(batch, heads, len, d_head)``,
    ``scores`` (scaled, before masking), ``weights``, ``head_outputs``,
    ``concat`` ``(batch, q_len, d_model)``, ``output`` (after ``out_proj``),
    ``head_contributions`` ``(batch, heads, q_len, d_model)``, ``output_bias``, ``mask``.
    """
    hidden = inputs.hidden
    source = inputs.key_value if inputs.key_value is not None else hidden
    batch, q_len, _ = hidden.shape
    heads, d_head = module.num_heads, module.head_dim

    def split(x: torch.Tensor) -> torch.Tensor:  # (batch, len, d_model) → (batch, heads, len, d_head)
        return x.view(batch, x.size(1), heads, d_head).transpose(1, 2)

    q, k, v = split(module.q_proj(hidden)), split(module.k_proj(source)), split(module.v_proj(source))
    scores = torch.matmul(q, k.transpose(-1, -2)) * module.scaling  # (batch, heads, q_len, k_len) = Q Kᵀ / √d_k
    allowed = inputs.allowed[:, None]  # (batch, 1, q_len, k_len)
    weights = F.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    weights = torch.nan_to_num(weights, nan=0.0)  # a fully blocked row (padding query) attends nowhere
    head_outputs = torch.matmul(weights, v)  # (batch, heads, q_len, d_head)
    concat = head_outputs.transpose(1, 2).reshape(batch, q_len, heads * d_head)
    output = module.out_proj(concat)
    w_o = module.out_proj.weight  # (d_model_out, d_model_in)
    blocks = w_o.view(w_o.size(0), heads, d_head).permute(1, 2, 0)  # (heads, d_head, d_model_out)
    bias = module.out_proj.bias if module.out_proj.bias is not None else torch.zeros(w_o.size(0))
    return {
        "q": q, "k": k, "v": v, "scores": scores, "weights": weights, "head_outputs": head_outputs,
        "concat": concat, "output": output,
        "head_contributions": torch.einsum("bhqd,hdo->bhqo", head_outputs, blocks),
        "output_bias": bias, "mask": inputs.allowed,
    }
