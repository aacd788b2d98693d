"""Look inside one multi-head attention layer (§3.2.2), step by step.

``Translator.translate`` records the attention *weights*; the multi-head
lesson also needs what produced them: the residual-stream vectors entering
the layer, each head's queries, keys and values (d_model → d_k = d_model / h
dimensions), each head's output, the concatenation, and the output
projection W^O:

    head_i      = softmax(Q W_iᵠ (K W_iᴷ)ᵀ / √d_k) · V W_iⱽ        (equation 1)
    MultiHead   = Concat(head_1, …, head_h) W^O                      (§3.2.2)

``trace_layer`` recomputes one layer of one sentence with the model's own
modules (``MultiHeadAttention.project_query`` / ``project_key_value``, the
core ``scaled_dot_product_attention`` and ``w_o``) and returns everything as
a ``LayerTrace`` of numpy arrays. Nothing is stored on the modules, so the
model can keep serving other requests at the same time.

Since ``Concat(head_1 … head_h) W^O`` multiplies each head's d_k columns by
its own d_k rows of W^O, the output is also the *sum* of per-head
contributions plus the bias; ``LayerTrace.head_contributions`` holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from .attention import MultiHeadAttention, scaled_dot_product_attention
from .masks import decoder_self_mask, padding_mask

if TYPE_CHECKING:  # pragma: no cover - import cycle only for type checkers
    from .translator import Translator

TRACE_KINDS = ("encoder_self", "decoder_self", "cross")


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
    translator: "Translator",
    text: str,
    kind: str,
    layer: int,
    target_ids: Sequence[int] | None = None,
) -> LayerTrace:
    """Recompute layer ``layer`` of attention ``kind`` for ``text``, keeping every step.

    Args:
        translator: the loaded model and tokenizers.
        text: the source sentence (cut to the model's length like ``translate``).
        kind: ``"encoder_self"``, ``"decoder_self"`` or ``"cross"``.
        layer: 0-based layer index.
        target_ids: decoder input ids (``<s> y_1 … y_{T-1}``, e.g.
            ``TranslationResult.target_ids``) for the decoder kinds; when
            ``None`` the sentence is translated greedily first.

    Returns:
        A ``LayerTrace`` whose ``weights`` equal ``translate(text).attention``
        for the same layer (teacher forcing on the model's own output gives
        the same maps as step-by-step decoding).

    Raises:
        ValueError: for an unknown kind, a layer out of range, or empty text.
    """
    if kind not in TRACE_KINDS:
        raise ValueError(f"unknown attention kind {kind!r}; expected one of {TRACE_KINDS}")
    model = translator.model
    cfg = model.cfg
    n_layers = cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers
    if not 0 <= layer < n_layers:
        raise ValueError(f"layer {layer} is out of range: this model has {n_layers} layers (0-based)")
    src_ids, src_labels, _ = translator._source_labeled(text)
    if kind != "encoder_self" and target_ids is None:
        target_ids = translator.translate(text).target_ids
    with torch.inference_mode():
        src = torch.tensor([src_ids], dtype=torch.long)  # (1, src_len)
        src_mask = padding_mask(src, cfg.pad_id)  # (1, 1, 1, src_len)
        if kind == "encoder_self":
            x = model._embed(model.src_embed, src)  # (1, src_len, d_model)
            for enc_layer in model.encoder_layers[:layer]:
                x, _ = enc_layer(x, src_mask)
            opened = _open_layer(model.encoder_layers[layer].self_attn, x, x, src_mask)
            q_in, kv_in, q_labels, k_labels = x, x, src_labels, src_labels
            q_ids = k_ids = list(src_ids)
        else:
            tgt = torch.tensor([list(target_ids)], dtype=torch.long)  # (1, tgt_len)
            tgt_labels = translator.target_tokenizer.labels(tgt[0].tolist())
            memory = model.encode(src, need_attention=False).memory  # (1, src_len, d_model)
            tgt_mask = decoder_self_mask(tgt, cfg.pad_id)  # (1, 1, tgt_len, tgt_len)
            y = model._embed(model.target_embedding, tgt)  # (1, tgt_len, d_model)
            for dec_layer in model.decoder_layers[:layer]:
                y, _, _ = dec_layer(y, memory, tgt_mask, src_mask)
            block = model.decoder_layers[layer]
            if kind == "decoder_self":
                opened = _open_layer(block.self_attn, y, y, tgt_mask)
                q_in, kv_in, q_labels, k_labels = y, y, tgt_labels, tgt_labels
                q_ids, k_ids = list(target_ids), list(target_ids)
            else:
                # Cross-attention queries come from the decoder state *after* the
                # masked self-attention sub-layer: LayerNorm(y + SelfAttn(y)) (§3.1).
                self_out = block.self_attn(y, y, tgt_mask)
                y_mid = block.norm_self(y + block.dropout(self_out.output))
                opened = _open_layer(block.cross_attn, y_mid, memory, src_mask)
                q_in, kv_in, q_labels, k_labels = y_mid, memory, tgt_labels, src_labels
                q_ids, k_ids = list(target_ids), list(src_ids)

    def arr(x: torch.Tensor) -> np.ndarray:
        return x.detach().float().numpy().copy() if x.dtype != torch.bool else x.detach().numpy().copy()

    return LayerTrace(
        kind=kind,
        layer=layer,
        query_tokens=list(q_labels),
        key_tokens=list(k_labels),
        query_ids=[int(i) for i in q_ids],
        key_ids=[int(i) for i in k_ids],
        query_input=arr(q_in[0]),
        key_value_input=arr(kv_in[0]),
        **{name: arr(value) for name, value in opened.items()},
    )
