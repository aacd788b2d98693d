"""The encoder–decoder Transformer of "Attention Is All You Need" (§3).

Layout follows Figure 1 of the paper, bottom to top:

* ``Transformer.embed_source`` / ``embed_target``: token embedding × √d_model
  plus the sinusoidal positional encoding, then dropout (§3.4, §3.5, §5.4).
* ``EncoderLayer`` × N: self-attention, then feed-forward; each sub-layer is
  wrapped as LayerNorm(x + Dropout(Sublayer(x))) (§3.1, "post-norm").
* ``DecoderLayer`` × N: masked self-attention, encoder–decoder attention,
  feed-forward, wrapped the same way.
* ``Transformer.project``: the final linear layer to vocabulary logits,
  sharing its matrix with the embeddings (§3.4).

``forward`` returns the logits and an ``AttentionMaps`` record holding every
attention map it computed. Nothing is stashed on the modules, so one model
object can serve many threads at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .ablation import Ablation, AttentionOptions, layer_options
from .attention import AttentionOutput, MultiHeadAttention, PositionwiseFeedForward
from .config import TransformerConfig
from .masks import decoder_self_mask, padding_mask
from .positional import sinusoidal_encoding


@dataclass
class AttentionMaps:
    """Every attention map of one forward pass. Rows are queries, columns keys.

    Attributes:
        encoder_self: ``(batch, layers, heads, src_len, src_len)``.
        decoder_self: ``(batch, layers, heads, tgt_len, tgt_len)``; masked
            (future) cells are exactly 0.
        cross: ``(batch, layers, heads, tgt_len, src_len)``; queries are target
            positions, keys are source positions.
        encoder_self_scores, decoder_self_scores, cross_scores: the scaled
            scores Q Kᵀ / √d_k *before* masking and softmax, same shapes, or
            ``None`` unless requested.
        src_mask: ``(batch, 1, 1, src_len)`` mask applied to encoder self- and
            cross-attention keys (True = may attend).
        tgt_mask: ``(batch, 1, tgt_len, tgt_len)`` padding AND look-ahead mask
            applied to decoder self-attention.
    """

    encoder_self: torch.Tensor
    decoder_self: torch.Tensor
    cross: torch.Tensor
    src_mask: torch.Tensor
    tgt_mask: torch.Tensor
    encoder_self_scores: torch.Tensor | None = None
    decoder_self_scores: torch.Tensor | None = None
    cross_scores: torch.Tensor | None = None


@dataclass
class EncoderOutput:
    """The encoder's result: the "memory" the decoder attends to.

    Attributes:
        memory: ``(batch, src_len, d_model)``.
        src_mask: ``(batch, 1, 1, src_len)``.
        self_attention: one ``AttentionOutput`` per layer (empty when not
            recorded).
        layer_inputs: the hidden state entering each layer, ``(batch, src_len,
            d_model)`` each (layer 0's is the embedded source); empty unless
            ``need_states``.
    """

    memory: torch.Tensor
    src_mask: torch.Tensor
    self_attention: list[AttentionOutput]
    layer_inputs: list[torch.Tensor] = field(default_factory=list)


@dataclass
class DecoderLayerOutput:
    """What one decoder layer computed for a whole target prefix.

    Attributes:
        output: ``(batch, tgt_len, d_model)`` the layer's output.
        self_attention: the masked self-attention sub-layer's record.
        cross_attention: the encoder–decoder attention sub-layer's record.
        cross_query_input: ``(batch, tgt_len, d_model)`` the state the
            cross-attention queries are projected from:
            LayerNorm(y + SelfAttn(y)) (§3.1).
    """

    output: torch.Tensor
    self_attention: AttentionOutput
    cross_attention: AttentionOutput
    cross_query_input: torch.Tensor


@dataclass
class DecoderOutput:
    """The result of a teacher-forced decoder pass.

    Attributes:
        logits: ``(batch, tgt_len, tgt_vocab)``.
        tgt_mask: ``(batch, 1, tgt_len, tgt_len)`` padding + look-ahead mask.
        self_attention, cross_attention: one ``AttentionOutput`` per layer
            (empty when not recorded).
        layer_inputs: the hidden state entering each layer (empty unless ``need_states``).
        cross_query_inputs: each layer's cross-attention query input (empty unless ``need_states``).
    """

    logits: torch.Tensor
    tgt_mask: torch.Tensor
    self_attention: list[AttentionOutput]
    cross_attention: list[AttentionOutput]
    layer_inputs: list[torch.Tensor] = field(default_factory=list)
    cross_query_inputs: list[torch.Tensor] = field(default_factory=list)


@dataclass
class LayerCache:
    """Keys and values one decoder layer has already computed (incremental decoding).

    At generation step t the new token only needs its own query; the keys and
    values of earlier target positions never change (the look-ahead mask means
    they never see later tokens), so they are kept here instead of recomputed.

    Attributes:
        self_k, self_v: ``(batch, heads, t, d_head)`` for the target prefix.
        cross_k, cross_v: ``(batch, heads, src_len, d_head)``, projected once
            from the encoder memory.
    """

    self_k: torch.Tensor
    self_v: torch.Tensor
    cross_k: torch.Tensor
    cross_v: torch.Tensor

    def select(self, index: torch.Tensor) -> "LayerCache":
        """Keep/reorder batch rows (beam search follows surviving hypotheses)."""
        return LayerCache(
            self.self_k.index_select(0, index),
            self.self_v.index_select(0, index),
            self.cross_k.index_select(0, index),
            self.cross_v.index_select(0, index),
        )


@dataclass
class DecoderStep:
    """Result of one incremental decoder step for a batch of prefixes.

    Attributes:
        logits: ``(batch, tgt_vocab)`` scores for the next token.
        caches: updated per-layer caches.
        self_rows: ``(batch, layers, heads, t+1)`` self-attention of the new
            position over the prefix, or ``None`` when not recorded.
        cross_rows: ``(batch, layers, heads, src_len)``, or ``None``.
    """

    logits: torch.Tensor
    caches: list[LayerCache]
    self_rows: torch.Tensor | None
    cross_rows: torch.Tensor | None


class EncoderLayer(nn.Module):
    """Self-attention + feed-forward, each in a residual block with LayerNorm (§3.1)."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, cfg.attention_dropout)
        self.feed_forward = PositionwiseFeedForward(cfg.d_model, cfg.d_ff, cfg.dropout)
        self.norm_attn = nn.LayerNorm(cfg.d_model)
        self.norm_ff = nn.LayerNorm(cfg.d_model)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(
        self,
        x: torch.Tensor,
        src_mask: torch.Tensor,
        need_scores: bool = False,
        options: AttentionOptions | None = None,
    ) -> tuple[torch.Tensor, AttentionOutput]:
        attn = self.self_attn(x, x, src_mask, need_scores, options)
        x = self.norm_attn(x + self.dropout(attn.output))  # LayerNorm(x + Sublayer(x))
        x = self.norm_ff(x + self.dropout(self.feed_forward(x)))
        return x, attn


class DecoderLayer(nn.Module):
    """Masked self-attention, encoder–decoder attention, feed-forward (§3.1)."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, cfg.attention_dropout)
        self.cross_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, cfg.attention_dropout)
        self.feed_forward = PositionwiseFeedForward(cfg.d_model, cfg.d_ff, cfg.dropout)
        self.norm_self = nn.LayerNorm(cfg.d_model)
        self.norm_cross = nn.LayerNorm(cfg.d_model)
        self.norm_ff = nn.LayerNorm(cfg.d_model)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(
        self,
        y: torch.Tensor,
        memory: torch.Tensor,
        tgt_mask: torch.Tensor,
        src_mask: torch.Tensor,
        need_scores: bool = False,
        self_options: AttentionOptions | None = None,
        cross_options: AttentionOptions | None = None,
    ) -> DecoderLayerOutput:
        """Teacher-forced pass over a whole target prefix ``(batch, tgt_len, d_model)``."""
        self_out = self.self_attn(y, y, tgt_mask, need_scores, self_options)
        y_mid = self.norm_self(y + self.dropout(self_out.output))
        cross_out = self.cross_attn(y_mid, memory, src_mask, need_scores, cross_options)
        y = self.norm_cross(y_mid + self.dropout(cross_out.output))
        y = self.norm_ff(y + self.dropout(self.feed_forward(y)))
        return DecoderLayerOutput(y, self_out, cross_out, y_mid)

    def step(
        self,
        y_new: torch.Tensor,
        cache: LayerCache,
        src_mask: torch.Tensor,
        self_options: AttentionOptions | None = None,
        cross_options: AttentionOptions | None = None,
    ) -> tuple[torch.Tensor, LayerCache, AttentionOutput, AttentionOutput]:
        """One incremental step for the newest position ``(batch, 1, d_model)``.

        No look-ahead mask is needed: the cache only holds earlier positions.
        """
        k_new, v_new = self.self_attn.project_key_value(y_new)
        self_k = torch.cat([cache.self_k, k_new], dim=2)  # (batch, heads, t+1, d_head)
        self_v = torch.cat([cache.self_v, v_new], dim=2)
        self_out = self.self_attn.attend(self.self_attn.project_query(y_new), self_k, self_v, options=self_options)
        y = self.norm_self(y_new + self.dropout(self_out.output))
        cross_out = self.cross_attn.attend(
            self.cross_attn.project_query(y), cache.cross_k, cache.cross_v, src_mask, options=cross_options
        )
        y = self.norm_cross(y + self.dropout(cross_out.output))
        y = self.norm_ff(y + self.dropout(self.feed_forward(y)))
        return y, LayerCache(self_k, self_v, cache.cross_k, cache.cross_v), self_out, cross_out


class Transformer(nn.Module):
    """Encoder–decoder Transformer (Figure 1)."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.src_embed = nn.Embedding(cfg.src_vocab_size, cfg.d_model, padding_idx=cfg.pad_id)
        # §3.4: "we share the same weight matrix between the two embedding layers
        # and the pre-softmax linear transformation".
        self.tgt_embed = (
            None
            if cfg.share_embeddings
            else nn.Embedding(cfg.tgt_vocab_size, cfg.d_model, padding_idx=cfg.pad_id)
        )
        self.out_proj = None if cfg.tie_output else nn.Linear(cfg.d_model, cfg.tgt_vocab_size, bias=False)
        self.register_buffer(
            "positional_encoding", sinusoidal_encoding(cfg.max_positions, cfg.d_model), persistent=False
        )
        self.embed_dropout = nn.Dropout(cfg.dropout)
        self.encoder_layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.n_encoder_layers))
        self.decoder_layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.n_decoder_layers))
        self.reset_parameters()

    # ------------------------------------------------------------------ setup
    def reset_parameters(self) -> None:
        """Xavier-uniform for matrices (as the Annotated Transformer); embeddings
        N(0, d_model^-0.5) so that ×√d_model gives unit-variance inputs."""
        for name, p in self.named_parameters():
            if p.dim() > 1 and "embed" not in name:
                nn.init.xavier_uniform_(p)
        for emb in (self.src_embed, self.tgt_embed):
            if emb is not None:
                nn.init.normal_(emb.weight, mean=0.0, std=self.cfg.d_model**-0.5)
                with torch.no_grad():
                    emb.weight[self.cfg.pad_id].zero_()

    @property
    def target_embedding(self) -> nn.Embedding:
        return self.tgt_embed if self.tgt_embed is not None else self.src_embed

    # -------------------------------------------------------------- embedding
    def embed_source(self, ids: torch.Tensor, positions: bool = True) -> torch.Tensor:
        """Source ids ``(batch, src_len)`` → the encoder's input ``(batch, src_len, d_model)``."""
        return self.embed(self.src_embed, ids, positions=positions)

    def embed_target(self, ids: torch.Tensor, offset: int = 0, positions: bool = True) -> torch.Tensor:
        """Decoder input ids ``(batch, len)`` at positions ``offset…`` → ``(batch, len, d_model)``."""
        return self.embed(self.target_embedding, ids, offset, positions)

    def embed(
        self, embedding: nn.Embedding, ids: torch.Tensor, offset: int = 0, positions: bool = True
    ) -> torch.Tensor:
        """Embedding × √d_model + PE, then dropout (§3.4, §3.5). ``ids``: ``(batch, len)``.

        ``positions=False`` leaves the positional encoding out (an ablation,
        ``core.ablation``): every position then looks the same to attention.
        """
        length = ids.size(1)
        if offset + length > self.cfg.max_positions:
            raise ValueError(
                f"sequence of {offset + length} positions is longer than max_positions="
                f"{self.cfg.max_positions}; truncate the input first"
            )
        x = embedding(ids) * math.sqrt(self.cfg.d_model)
        if positions:
            x = x + self.positional_encoding[offset : offset + length]
        return self.embed_dropout(x)  # (batch, len, d_model)

    def project(self, y: torch.Tensor) -> torch.Tensor:
        """Decoder states ``(…, d_model)`` → logits ``(…, tgt_vocab)``."""
        if self.out_proj is not None:
            return self.out_proj(y)
        return F.linear(y, self.target_embedding.weight)

    # ---------------------------------------------------------------- encoder
    def encode(
        self,
        src_ids: torch.Tensor,
        need_attention: bool = True,
        need_scores: bool = False,
        need_states: bool = False,
        ablation: Ablation | None = None,
    ) -> EncoderOutput:
        """Run the encoder stack over ``src_ids`` ``(batch, src_len)``.

        ``need_states`` also keeps the hidden state entering each layer (the
        multi-head lesson opens one layer up from there: ``core.trace``).
        ``ablation`` switches parts off for this call only (``core.ablation``).
        """
        src_mask = padding_mask(src_ids, self.cfg.pad_id)  # (batch, 1, 1, src_len)
        positions = ablation is None or ablation.encoder_positions
        x = self.embed_source(src_ids, positions)  # (batch, src_len, d_model)
        records: list[AttentionOutput] = []
        inputs: list[torch.Tensor] = []
        for i, layer in enumerate(self.encoder_layers):
            if need_states:
                inputs.append(x)
            x, attn = layer(x, src_mask, need_scores, layer_options(ablation, "encoder_self", i))
            if need_attention:
                records.append(attn)
        return EncoderOutput(x, src_mask, records, inputs)

    # ---------------------------------------------------------------- decoder
    def decode(
        self,
        tgt_ids: torch.Tensor,
        encoded: EncoderOutput,
        need_attention: bool = True,
        need_scores: bool = False,
        need_states: bool = False,
        ablation: Ablation | None = None,
    ) -> DecoderOutput:
        """Teacher-forced decoder pass over ``tgt_ids`` ``(batch, tgt_len)``.

        ``need_states`` also keeps each layer's input and its cross-attention
        query input (see ``DecoderOutput``). ``ablation`` switches parts off
        for this call only; without the look-ahead mask (``ablation`` or the
        config's ``look_ahead_mask``) only padding is masked.
        """
        look_ahead = self.cfg.look_ahead_mask and (ablation is None or ablation.look_ahead_mask)
        if look_ahead:
            tgt_mask = decoder_self_mask(tgt_ids, self.cfg.pad_id)  # (batch, 1, tgt_len, tgt_len)
        else:  # padding only, broadcast to the same shape
            tgt_mask = padding_mask(tgt_ids, self.cfg.pad_id).expand(-1, 1, tgt_ids.size(1), -1)
        positions = ablation is None or ablation.decoder_positions
        y = self.embed_target(tgt_ids, positions=positions)  # (batch, tgt_len, d_model)
        out = DecoderOutput(logits=y, tgt_mask=tgt_mask, self_attention=[], cross_attention=[])
        for i, layer in enumerate(self.decoder_layers):
            if need_states:
                out.layer_inputs.append(y)
            step = layer(
                y, encoded.memory, tgt_mask, encoded.src_mask, need_scores,
                layer_options(ablation, "decoder_self", i), layer_options(ablation, "cross", i),
            )
            y = step.output
            if need_states:
                out.cross_query_inputs.append(step.cross_query_input)
            if need_attention:
                out.self_attention.append(step.self_attention)
                out.cross_attention.append(step.cross_attention)
        out.logits = self.project(y)  # (batch, tgt_len, tgt_vocab)
        return out

    def forward(
        self,
        src_ids: torch.Tensor,
        tgt_ids: torch.Tensor,
        need_attention: bool = True,
        need_scores: bool = False,
        ablation: Ablation | None = None,
    ) -> tuple[torch.Tensor, AttentionMaps | None]:
        """Teacher-forced pass: logits for every target position, plus the maps.

        Args:
            src_ids: ``(batch, src_len)`` source ids, padded with ``pad_id``.
            tgt_ids: ``(batch, tgt_len)`` decoder input ids (starting with
                ``<s>``), padded with ``pad_id``.
            need_attention: also return the post-softmax weights.
            need_scores: also return the pre-softmax scaled scores.
            ablation: parts to switch off for this call (``core.ablation``);
                ``None`` is the model as trained.

        Returns:
            ``(logits, maps)``: logits ``(batch, tgt_len, tgt_vocab)``; ``maps``
            is an ``AttentionMaps`` or ``None`` when ``need_attention`` is False.
        """
        need_attention = need_attention or need_scores
        encoded = self.encode(src_ids, need_attention, need_scores, ablation=ablation)
        decoded = self.decode(tgt_ids, encoded, need_attention, need_scores, ablation=ablation)
        logits, tgt_mask = decoded.logits, decoded.tgt_mask
        self_records, cross_records = decoded.self_attention, decoded.cross_attention
        if not need_attention:
            return logits, None

        def stack(records: list[AttentionOutput], field: str) -> torch.Tensor:
            return torch.stack([getattr(r, field) for r in records], dim=1)  # (batch, layers, …)

        maps = AttentionMaps(
            encoder_self=stack(encoded.self_attention, "weights"),
            decoder_self=stack(self_records, "weights"),
            cross=stack(cross_records, "weights"),
            src_mask=encoded.src_mask,
            tgt_mask=tgt_mask,
        )
        if need_scores:
            maps.encoder_self_scores = stack(encoded.self_attention, "scores")
            maps.decoder_self_scores = stack(self_records, "scores")
            maps.cross_scores = stack(cross_records, "scores")
        return logits, maps

    # ---------------------------------------------------- incremental decoding
    def start_cache(self, encoded: EncoderOutput) -> list[LayerCache]:
        """Empty self-attention caches plus the cross-attention keys/values,
        which depend only on the encoder memory and are computed once."""
        batch = encoded.memory.size(0)
        caches = []
        for layer in self.decoder_layers:
            cross_k, cross_v = layer.cross_attn.project_key_value(encoded.memory)
            empty = encoded.memory.new_zeros(batch, self.cfg.n_heads, 0, self.cfg.d_head)
            caches.append(LayerCache(empty, empty, cross_k, cross_v))
        return caches

    def decode_step(
        self,
        last_ids: torch.Tensor,
        position: int,
        caches: list[LayerCache],
        src_mask: torch.Tensor,
        need_attention: bool = True,
        ablation: Ablation | None = None,
    ) -> DecoderStep:
        """Decode one new position given cached keys/values.

        Args:
            last_ids: ``(batch,)`` the newest input token of each prefix.
            position: its position index (0 for ``<s>``).
            caches: per-layer caches from ``start_cache`` or the previous step.
            src_mask: ``(batch, 1, 1, src_len)``.
            ablation: parts to switch off (``core.ablation``); the look-ahead
                mask is irrelevant here: the cache holds no future positions.
        """
        positions = ablation is None or ablation.decoder_positions
        y = self.embed_target(last_ids[:, None], offset=position, positions=positions)  # (batch, 1, d_model)
        new_caches: list[LayerCache] = []
        self_rows: list[torch.Tensor] = []
        cross_rows: list[torch.Tensor] = []
        for i, (layer, cache) in enumerate(zip(self.decoder_layers, caches)):
            y, cache, self_out, cross_out = layer.step(
                y, cache, src_mask, layer_options(ablation, "decoder_self", i), layer_options(ablation, "cross", i)
            )
            new_caches.append(cache)
            if need_attention:
                self_rows.append(self_out.weights[:, :, 0])  # (batch, heads, t+1)
                cross_rows.append(cross_out.weights[:, :, 0])  # (batch, heads, src_len)
        logits = self.project(y[:, 0])  # (batch, vocab)
        if not need_attention:
            return DecoderStep(logits, new_caches, None, None)
        return DecoderStep(logits, new_caches, torch.stack(self_rows, 1), torch.stack(cross_rows, 1))
