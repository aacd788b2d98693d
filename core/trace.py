"""Look inside one multi-head attention layer (§3.2.2), step by step.

``Translator.translate`` records the attention *weights*; the multi-head
lesson also needs what produced them: the residual-stream vectors entering
the layer, each head's queries, keys and values (d_model → d_k = d_model / h
dimensions), each head's output, the concatenation, and the output
projection W^O:

    head_i      = softmax(Q W_iᵠ (K W_iᴷ)ᵀ / √d_k) · V W_iⱽ        (equation 1)
    MultiHead   = Concat(head_1, …, head_h) W^O                      (§3.2.2)

``trace_layer`` takes the hidden state entering the layer from the model's
own forward pass (``Transformer.encode`` / ``decode`` with ``need_states``),
recomputes that one attention sub-layer with the model's own modules
(``MultiHeadAttention.project_query`` / ``project_key_value``, the core
``scaled_dot_product_attention`` and ``w_o``) and returns every step as a
``LayerTrace`` of numpy arrays, so the lesson can never drift from the model. Nothing is stored on the modules, so the
model can keep serving other requests at the same time.

Since ``Concat(head_1 … head_h) W^O`` multiplies each head's d_k columns by
its own d_k rows of W^O, the output is also the *sum* of per-head
contributions plus the bias; ``LayerTrace.head_contributions`` holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .attention import MultiHeadAttention, scaled_dot_product_attention
from .kinds import attention_kind
from .model import Transformer


@dataclass
class LayerTrace:
    """One multi-head attention layer of one sentence, opened up. Rows = queries.

    Attributes:
        kind: ``"encoder_self"``, ``"decoder_self"`` or ``"cross"``.
        layer: 0-based layer index.
        query_tokens: labels of the query positions (rows).
        key_tokens: labels of the key/value positions (columns).
        query_ids, key_ids: the token ids behind those labels.
        query_input: ``(q_len, d_model)`` the residual-stream vectors the
            queries are projected from (the layer's hidden state).
        key_value_input: ``(k_len, d_model)`` the vectors keys and values are
            projected from (the same as ``query_input`` for self-attention, the
            encoder output "memory" for cross-attention).
        q, k, v: ``(heads, len, d_head)`` each head's projections.
        scores: ``(heads, q_len, k_len)`` scaled scores Q Kᵀ / √d_k before masking.
        mask: ``(q_len, k_len)`` boolean, True = may attend.
        weights: ``(heads, q_len, k_len)`` softmax weights; blocked cells are 0.
        head_outputs: ``(heads, q_len, d_head)`` weights · V of each head.
        concat: ``(q_len, d_model)`` the head outputs side by side.
        output: ``(q_len, d_model)`` Concat · W^O + b, the layer's attention output.
        head_contributions: ``(heads, q_len, d_model)`` head_i · W^O_i; their
            sum plus ``output_bias`` is ``output``.
        output_bias: ``(d_model,)`` the bias of W^O.
    """

    kind: str
    layer: int
    query_tokens: list[str]
    key_tokens: list[str]
    query_ids: list[int]
    key_ids: list[int]
    query_input: np.ndarray
    key_value_input: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    scores: np.ndarray
    mask: np.ndarray
    weights: np.ndarray
    head_outputs: np.ndarray
    concat: np.ndarray
    output: np.ndarray
    head_contributions: np.ndarray
    output_bias: np.ndarray

    @property
    def n_heads(self) -> int:
        return self.q.shape[0]

    @property
    def d_head(self) -> int:
        return self.q.shape[-1]

    @property
    def d_model(self) -> int:
        return self.query_input.shape[-1]


def _open_layer(
    attn: MultiHeadAttention, query_input: torch.Tensor, key_value_input: torch.Tensor, mask: torch.Tensor
) -> dict[str, torch.Tensor]:
    """Run one ``MultiHeadAttention`` the way its ``forward`` does, keeping every step."""
    q = attn.project_query(query_input)  # (1, heads, q_len, d_head)
    k, v = attn.project_key_value(key_value_input)  # (1, heads, k_len, d_head) each
    heads_out, weights, scores = scaled_dot_product_attention(q, k, v, mask)  # (1, heads, q_len, ·)
    _, heads, q_len, d_head = heads_out.shape
    concat = heads_out.transpose(1, 2).reshape(1, q_len, heads * d_head)  # (1, q_len, d_model)
    output = attn.w_o(concat)  # (1, q_len, d_model)
    w_o = attn.w_o.weight  # (d_model_out, d_model_in): output = concat @ w_oᵀ + b
    blocks = w_o.view(w_o.size(0), heads, d_head).permute(1, 2, 0)  # (heads, d_head, d_model_out)
    contributions = torch.einsum("hqd,hdo->hqo", heads_out[0], blocks)  # (heads, q_len, d_model)
    return {
        "q": q[0],
        "k": k[0],
        "v": v[0],
        "scores": scores[0],
        "weights": weights[0],
        "head_outputs": heads_out[0],
        "concat": concat[0],
        "output": output[0],
        "head_contributions": contributions,
        "output_bias": attn.w_o.bias,
        "mask": mask.expand(1, 1, q_len, k.size(2))[0, 0],
    }


def trace_layer(
    model: Transformer,
    kind: str,
    layer: int,
    source: tuple[Sequence[int], Sequence[str]],
    target: tuple[Sequence[int], Sequence[str]] | None = None,
) -> LayerTrace:
    """Recompute layer ``layer`` of attention ``kind`` for one sentence, keeping every step.

    ``Translator.trace_layer`` is the usual entry point (it prepares the
    source text and translates it when no target is given).

    Args:
        model: the Transformer.
        kind: ``"encoder_self"``, ``"decoder_self"`` or ``"cross"``.
        layer: 0-based layer index.
        source: the source ids (with ``</s>``) and their labels.
        target: the decoder input ids (``<s> y_1 … y_{T-1}``) and labels; needed
            for the decoder kinds.

    Returns:
        A ``LayerTrace`` whose ``weights`` equal the model's attention for the
        same layer (teacher forcing on the model's own output gives the same
        maps as step-by-step decoding).

    Raises:
        ValueError: for an unknown kind, a layer out of range, or a decoder kind without target.
    """
    kind_info = attention_kind(kind)  # raises ValueError for an unknown kind
    cfg = model.cfg
    n_layers = cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers
    if not 0 <= layer < n_layers:
        raise ValueError(f"layer {layer} is out of range: this model has {n_layers} layers (0-based)")
    if kind != "encoder_self" and target is None:
        raise ValueError(f"{kind} needs the decoder input (target ids and labels)")
    tokens = {"source": (list(source[1]), [int(i) for i in source[0]])}
    with torch.inference_mode():
        src = torch.tensor([list(source[0])], dtype=torch.long)  # (1, src_len)
        encoded = model.encode(src, need_attention=False, need_states=kind == "encoder_self")
        if kind == "encoder_self":
            x = encoded.layer_inputs[layer]  # (1, src_len, d_model): the state entering this layer
            opened = _open_layer(model.encoder_layers[layer].self_attn, x, x, encoded.src_mask)
            q_in = kv_in = x
        else:
            tokens["target"] = (list(target[1]), [int(i) for i in target[0]])
            tgt = torch.tensor([list(target[0])], dtype=torch.long)  # (1, tgt_len)
            decoded = model.decode(tgt, encoded, need_attention=False, need_states=True)
            block = model.decoder_layers[layer]
            if kind == "decoder_self":
                y = decoded.layer_inputs[layer]  # (1, tgt_len, d_model)
                opened = _open_layer(block.self_attn, y, y, decoded.tgt_mask)
                q_in = kv_in = y
            else:
                # Cross-attention queries come from the decoder state *after* the
                # masked self-attention sub-layer: LayerNorm(y + SelfAttn(y)) (§3.1);
                # keys and values from the encoder output ("memory").
                q_in, kv_in = decoded.cross_query_inputs[layer], encoded.memory
                opened = _open_layer(block.cross_attn, q_in, kv_in, encoded.src_mask)
    q_labels, q_ids = tokens[kind_info.query_side]
    k_labels, k_ids = tokens[kind_info.key_side]

    def arr(x: torch.Tensor) -> np.ndarray:
        return x.detach().float().numpy().copy() if x.dtype != torch.bool else x.detach().numpy().copy()

    return LayerTrace(
        kind=kind,
        layer=layer,
        query_tokens=q_labels,
        key_tokens=k_labels,
        query_ids=q_ids,
        key_ids=k_ids,
        query_input=arr(q_in[0]),
        key_value_input=arr(kv_in[0]),
        **{name: arr(value) for name, value in opened.items()},
    )
