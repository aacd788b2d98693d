"""GRU encoder–decoder, with the context-vector bottleneck or Bahdanau attention.

Notation follows Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by
Jointly Learning to Align and Translate" (arXiv:1409.0473), §3 and appendix A:

* Encoder (§3.2): a bidirectional GRU reads ``x_1 … x_n </s>``; the annotation
  of word j is ``h_j = [→h_j ; ←h_j]`` (2·hidden numbers).
* The fixed-size summary ``c = tanh(W_c [→h_n ; ←h_1])`` (hidden numbers): the
  forward RNN's last state has read the sentence left to right, the backward
  one's first state right to left. It starts the decoder, ``s_0 = c``.
* Decoder step i (§3.1), given ``s_{i-1}`` and the previous word ``y_{i-1}``:

  - bottleneck (Cho et al., 2014): the context is always ``c``;
  - additive attention: ``e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j)``,
    ``α_ij = softmax_j(e_ij)`` (padding → −∞ → exactly 0), ``c_i = Σ_j α_ij h_j``;

  then ``s_i = GRU([E y_{i-1} ; c_i], s_{i-1})`` and
  ``p(y_i) = softmax(E · tanh(L [s_i ; c_i ; E y_{i-1}]))`` — the output layer
  reads the state, the context and the previous word, like Bahdanau's deep
  output (a tanh layer instead of maxout), with the output matrix tied to the
  embeddings (one shared vocabulary, as the Transformer's §3.4).

The bottleneck decoder is *given* only ``c``: its functions take no
annotations, so no information about the sentence reaches it except through
those ``hidden`` numbers (``tests/test_seq2seq.py`` checks it by changing every
annotation and keeping ``c``). Attention weights are returned from ``forward``
as values, never stored on the module.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .config import RNNConfig


@dataclass
class EncoderStates:
    """What the encoder hands the decoder.

    Attributes:
        annotations: ``(batch, src_len, 2·hidden)`` ``h_j``, zero at padding.
        final: ``(batch, hidden)`` the one summary vector ``c`` (also ``s_0``).
        src_mask: ``(batch, src_len)`` True at real tokens (``</s>`` included).
        keys: ``(batch, src_len, attention_dim)`` ``U_a h_j``, computed once per
            sentence (additive attention only, else ``None``).
    """

    annotations: torch.Tensor
    final: torch.Tensor
    src_mask: torch.Tensor
    keys: torch.Tensor | None = None

    def repeat(self, n: int) -> "EncoderStates":
        """The same sentence ``n`` times (a beam of ``n`` hypotheses over one source)."""
        rep = lambda t: None if t is None else t.expand(n, *t.shape[1:]).contiguous()  # noqa: E731
        return EncoderStates(rep(self.annotations), rep(self.final), rep(self.src_mask), rep(self.keys))


class AdditiveAttention(nn.Module):
    """Bahdanau's alignment model ``a(s_{i-1}, h_j) = v_aᵀ tanh(W_a s_{i-1} + U_a h_j)`` (appendix A.1.2)."""

    def __init__(self, state_dim: int, annotation_dim: int, attention_dim: int) -> None:
        super().__init__()
        self.query = nn.Linear(state_dim, attention_dim, bias=False)  # W_a
        self.key = nn.Linear(annotation_dim, attention_dim)  # U_a (its bias plays b_a)
        self.score = nn.Linear(attention_dim, 1, bias=False)  # v_a

    def forward(
        self, state: torch.Tensor, keys: torch.Tensor, annotations: torch.Tensor, src_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One decoder step's weights and context.

        Args:
            state: ``(batch, hidden)`` ``s_{i-1}``.
            keys: ``(batch, src_len, attention_dim)`` ``U_a h_j``.
            annotations: ``(batch, src_len, 2·hidden)``.
            src_mask: ``(batch, src_len)``.

        Returns:
            ``(weights, context)``: ``(batch, src_len)`` rows summing to 1 with
            exact zeros at padding, and ``(batch, 2·hidden)``.
        """
        energy = self.score(torch.tanh(self.query(state)[:, None, :] + keys)).squeeze(-1)  # (batch, src_len)
        energy = energy.masked_fill(~src_mask, float("-inf"))
        weights = torch.softmax(energy, dim=-1)
        context = torch.bmm(weights[:, None, :], annotations).squeeze(1)  # (batch, 2·hidden)
        return weights, context


class RNNSeq2Seq(nn.Module):
    """The two pre-Transformer models of the ``/seq2seq`` page (``cfg.attention`` picks which)."""

    def __init__(self, cfg: RNNConfig) -> None:
        super().__init__()
        if cfg.src_vocab_size != cfg.tgt_vocab_size:
            raise ValueError("the RNN models share one vocabulary: src_vocab_size must equal tgt_vocab_size")
        self.cfg = cfg
        h = cfg.hidden
        self.embed = nn.Embedding(cfg.src_vocab_size, cfg.emb_dim, padding_idx=cfg.pad_id)
        self.drop = nn.Dropout(cfg.dropout)
        self.encoder = nn.GRU(cfg.emb_dim, h, batch_first=True, bidirectional=True)
        self.summary = nn.Linear(2 * h, h)  # W_c: [→h_n ; ←h_1] → c
        context_dim = 2 * h if cfg.attention == "additive" else h
        self.attention = AdditiveAttention(h, 2 * h, cfg.attention_dim) if cfg.attention == "additive" else None
        self.decoder = nn.GRU(cfg.emb_dim + context_dim, h, batch_first=True)
        self.readout = nn.Linear(h + context_dim + cfg.emb_dim, cfg.emb_dim)  # L
        self.out_bias = nn.Parameter(torch.zeros(cfg.tgt_vocab_size))
        # N(0, 1/emb_dim) embeddings: tied to the output layer, unit-variance rows would start
        # the logits at a spread of about sqrt(emb_dim) and the loss far above log(vocab).
        nn.init.normal_(self.embed.weight, std=cfg.emb_dim**-0.5)
        with torch.no_grad():
            self.embed.weight[cfg.pad_id].zero_()

    # ------------------------------------------------------------- encoder
    def encode(self, src: torch.Tensor) -> EncoderStates:
        """``src`` ``(batch, src_len)`` ids (right-padded) → annotations and the summary ``c``."""
        src_mask = src != self.cfg.pad_id  # (batch, src_len)
        lengths = src_mask.sum(1).clamp(min=1)
        packed = pack_padded_sequence(self.drop(self.embed(src)), lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, last = self.encoder(packed)  # last: (2, batch, hidden) = →h_n (read to the last real token), ←h_1
        annotations, _ = pad_packed_sequence(out, batch_first=True, total_length=src.size(1))
        final = torch.tanh(self.summary(torch.cat([last[0], last[1]], dim=-1)))  # (batch, hidden)
        keys = self.attention.key(annotations) if self.attention is not None else None
        return EncoderStates(annotations, final, src_mask, keys)

    # ------------------------------------------------------------- decoder
    def _logits(self, state: torch.Tensor, context: torch.Tensor, embedded: torch.Tensor) -> torch.Tensor:
        """``p(y_i | …)`` before the softmax; any leading shape, last dim features → vocabulary."""
        t = torch.tanh(self.readout(torch.cat([state, context, embedded], dim=-1)))
        return F.linear(self.drop(t), self.embed.weight, self.out_bias)

    def decode_step(
        self, enc: EncoderStates, prev_ids: torch.Tensor, state: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """One output step.

        Args:
            enc: the encoder's states (``repeat``-ed to the beam size if needed).
            prev_ids: ``(batch,)`` ``y_{i-1}`` (``<s>`` at the first step).
            state: ``(batch, hidden)`` ``s_{i-1}`` (``enc.final`` at the first step).

        Returns:
            ``(logits, s_i, weights)``: ``(batch, vocab)``, ``(batch, hidden)`` and
            the attention row ``(batch, src_len)`` (``None`` for the bottleneck).
        """
        embedded = self.drop(self.embed(prev_ids))  # (batch, emb)
        new_state, context, weights = self._recur(enc, embedded, state)
        return self._logits(new_state, context, embedded), new_state, weights

    def _recur(
        self, enc: EncoderStates, embedded: torch.Tensor, state: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """The recurrence of one step: the context ``c_i`` (attention over the annotations
        from ``s_{i-1}``, or the fixed ``c``), then ``s_i = GRU([E y_{i-1}; c_i], s_{i-1})``.

        Returns ``(s_i, c_i, α_i)``: ``(batch, hidden)``, ``(batch, context)``, ``(batch, src_len)`` or ``None``.
        """
        if self.attention is None:
            weights, context = None, enc.final
        else:
            weights, context = self.attention(state, enc.keys, enc.annotations, enc.src_mask)
        _, new = self.decoder(torch.cat([embedded, context], dim=-1)[:, None, :], state[None])
        return new[0], context, weights

    def decode(self, enc: EncoderStates, tgt_in: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Teacher-forced decoder over ``tgt_in`` ``(batch, tgt_len)`` (``<s> y_1 …``).

        Returns ``(logits, alignment)``: ``(batch, tgt_len, vocab)`` and
        ``(batch, tgt_len, src_len)`` (rows = target positions) or ``None``.
        """
        if self.attention is None:
            # Same computation as decode_step, but the context never changes, so one
            # GRU call runs the whole sequence. Only ``enc.final`` is read.
            embedded = self.drop(self.embed(tgt_in))  # (batch, tgt_len, emb)
            context = enc.final[:, None, :].expand(-1, tgt_in.size(1), -1)  # (batch, tgt_len, hidden)
            states, _ = self.decoder(torch.cat([embedded, context], dim=-1), enc.final[None].contiguous())
            return self._logits(states, context, embedded), None
        # The recurrence runs step by step (α_i needs s_{i-1}); the output layer, the costly
        # (…, vocab) product, runs once over all steps afterwards: the same numbers as decode_step.
        embedded = self.drop(self.embed(tgt_in))  # (batch, tgt_len, emb)
        state, states, contexts, rows = enc.final, [], [], []
        for i in range(tgt_in.size(1)):
            state, context, weights = self._recur(enc, embedded[:, i], state)
            states.append(state)
            contexts.append(context)
            rows.append(weights)
        logits = self._logits(torch.stack(states, 1), torch.stack(contexts, 1), embedded)
        return logits, torch.stack(rows, 1)  # (batch, tgt_len, vocab), (batch, tgt_len, src_len)

    def forward(
        self, src: torch.Tensor, tgt_in: torch.Tensor, need_attention: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Teacher-forced pass: ``(logits (batch, tgt_len, vocab), alignment (batch, tgt_len, src_len) | None)``.

        ``need_attention`` is accepted for the shared training step; the
        alignment costs nothing extra here, so it is always returned.
        """
        return self.decode(self.encode(src), tgt_in)
