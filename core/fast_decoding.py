"""Greedy decoding at the hardware's pace, still recording every attention row.

``core.decoding.greedy_decode`` walks the model's modules step by step, which is
the clearest way to read the algorithm (and the one every ablation goes through).
At generation time most of its cost is not arithmetic but bookkeeping: module
calls, a ``torch.cat`` that copies the whole key/value cache at every step,
dataclasses and lists of rows that are stacked again at the end. This module runs the *same* computation of §3 with that
overhead removed:

* W^Q, W^K, W^V of each masked self-attention stacked into one ``(3·d_model, d_model)``
  matrix, so position t's query, key and value come from one product, and W^K, W^V
  of each cross-attention into one ``(2·d_model, d_model)``: concatenated from the
  model's parameters at every call (2.4 MB for the shipped models), so never stale,
  and stored input-major like the loaded model's own weights
  (``core.inference_layout``: BLAS's faster "NN" product);
* with two or more CPU threads, each product of a step split into one block of
  output columns per thread (``split_linear``): BLAS runs a one-row product on a
  single thread, so without it the second core would idle while the first
  streams the weights;
* the cross-attention keys and values projected from the encoder memory once
  per call (they depend only on the memory, §3.2.3);
* scaling, padding bias and Q Kᵀ in one ``baddbmm`` (bias + Q Kᵀ / √d_k);
* key/value caches allocated once for the longest output and written in
  place at step t (no copy of the prefix);
* the attention rows written straight into preallocated buffers
  ``(batch, steps, layers, heads, keys)``;
* padding as an additive bias of 0 / −∞ on the scores (exp(−∞) = 0, so blocked
  cells are exactly 0, as with ``masked_fill``);
* finished sentences leave the batch (their rows are dropped from the caches
  once half of the batch is done), so a long sentence does not make the
  short ones in its batch pay for every step;
* one top-k per step that also gives the argmax (``argmax`` over the
  vocabulary costs as much as the top-k itself);
* no dropout calls (inference), no per-step Python objects.

The results are those of ``greedy_decode``: the same tokens, and weights equal
up to float rounding (about 1e-6: summing in another order moves the 7th digit;
``tests/test_fast_decoding.py``). It serves the paper's model
as trained; an ablation (``core.ablation``) goes through ``greedy_decode``.

It reads the model's own parameters at every call and keeps nothing between
calls (a kept copy of the stacked matrices could go stale while a model trains),
so it always decodes the weights as they are. Measured against the same loop with
separate products (``bench``-style A/B, 64 test sentences, 8 interleaved rounds):
1.3–3.4 % faster at batch 1 and 32, 1 and 2 threads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .decoding import Hypothesis, greedy_hypothesis
from .model import EncoderOutput, Transformer


@dataclass(frozen=True)
class _LayerWeights:
    """One decoder layer's parameters, laid out for the fast loop."""

    qkv_w: torch.Tensor  # (3·d_model, d_model): W^Q, W^K, W^V of masked self-attention, stacked
    qkv_b: torch.Tensor  # (3·d_model,)
    self_o_w: torch.Tensor  # (d_model, d_model) W^O
    self_o_b: torch.Tensor
    norm_self: tuple[torch.Tensor, torch.Tensor, float]  # LayerNorm weight, bias, eps
    cross_q_w: torch.Tensor  # (d_model, d_model)
    cross_q_b: torch.Tensor
    cross_kv_w: torch.Tensor  # (2·d_model, d_model): W^K, W^V of cross-attention, stacked
    cross_kv_b: torch.Tensor  # (2·d_model,)
    cross_o_w: torch.Tensor
    cross_o_b: torch.Tensor
    norm_cross: tuple[torch.Tensor, torch.Tensor, float]
    ff1_w: torch.Tensor  # (d_ff, d_model)
    ff1_b: torch.Tensor
    ff2_w: torch.Tensor  # (d_model, d_ff)
    ff2_b: torch.Tensor
    norm_ff: tuple[torch.Tensor, torch.Tensor, float]


@dataclass(frozen=True)
class DecoderWeights:
    """Everything the fast loop reads: a ``Transformer``'s parameters, taken at one call.

    Attributes:
        embedding: ``(tgt_vocab, d_model)`` target embedding (also the output
            projection when tied, §3.4).
        output: ``(tgt_vocab, d_model)`` the pre-softmax projection.
        positional: ``(max_positions, d_model)`` sinusoidal table (§3.5).
        layers: per decoder layer, its remaining weights.
    """

    embedding: torch.Tensor
    output: torch.Tensor
    positional: torch.Tensor
    layers: tuple[_LayerWeights, ...]


def _norm(module: torch.nn.LayerNorm) -> tuple[torch.Tensor, torch.Tensor, float]:
    return module.weight.detach(), module.bias.detach(), module.eps


def _stack(weights: list[torch.Tensor]) -> torch.Tensor:
    """``(out, in)`` matrices stacked along ``out``, stored input-major: the transpose of the
    contiguous ``(in, Σ out)`` matrix (``core.inference_layout``), whatever their own layout."""
    return torch.cat([w.detach().t() for w in weights], dim=1).t()


def decoder_weights(model: Transformer) -> DecoderWeights:
    """The weights the fast loop reads, taken from ``model``'s own parameters at each call.

    Views, except the stacked Q/K/V and cross K/V matrices, concatenated here; nothing
    is kept between calls, so a weight changed in any way (an optimizer step,
    ``load_state_dict``, ``model.to(...)``) is what the next call reads.
    """
    layers = []
    for layer in model.decoder_layers:
        sa, ca = layer.self_attn, layer.cross_attn
        layers.append(
            _LayerWeights(
                qkv_w=_stack([sa.w_q.weight, sa.w_k.weight, sa.w_v.weight]),
                qkv_b=torch.cat([sa.w_q.bias.detach(), sa.w_k.bias.detach(), sa.w_v.bias.detach()]),
                self_o_w=sa.w_o.weight.detach(),
                self_o_b=sa.w_o.bias.detach(),
                norm_self=_norm(layer.norm_self),
                cross_q_w=ca.w_q.weight.detach(),
                cross_q_b=ca.w_q.bias.detach(),
                cross_kv_w=_stack([ca.w_k.weight, ca.w_v.weight]),
                cross_kv_b=torch.cat([ca.w_k.bias.detach(), ca.w_v.bias.detach()]),
                cross_o_w=ca.w_o.weight.detach(),
                cross_o_b=ca.w_o.bias.detach(),
                norm_cross=_norm(layer.norm_cross),
                ff1_w=layer.feed_forward.w_1.weight.detach(),
                ff1_b=layer.feed_forward.w_1.bias.detach(),
                ff2_w=layer.feed_forward.w_2.weight.detach(),
                ff2_b=layer.feed_forward.w_2.bias.detach(),
                norm_ff=_norm(layer.norm_ff),
            )
        )
    embedding = model.target_embedding.weight.detach()
    output = model.out_proj.weight.detach() if model.out_proj is not None else embedding
    return DecoderWeights(
        embedding=embedding,
        output=output,
        positional=model.positional_encoding,
        layers=tuple(layers),
    )


# Up to how many threads a step's products are split (measured at 2; tested at 2 and 4).
MAX_SPLIT_THREADS = 4


def split_linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, chunks: int) -> torch.Tensor:
    """``F.linear(x, weight, bias)`` computed as ``chunks`` blocks of output columns in one ``bmm``.

    A decoding step's products are small (one row per sentence times a 256 × 768
    matrix): BLAS runs such a product on one thread however many are allowed, so
    a second core sits idle while the first streams the weights from memory. As a
    batch of ``chunks`` products, one per block of output columns, PyTorch hands
    each block to its own thread. ``weight`` must be input-major
    (``core.inference_layout``), so each block is a strided view, not a copy.

    Args:
        x: ``(rows, in)``.
        weight: ``(out, in)``, ``out`` divisible by ``chunks``.
        bias: ``(out,)`` or ``None``.

    Returns:
        ``(rows, out)``, equal to ``F.linear`` up to float rounding.
    """
    rows, d_in = x.shape
    out = weight.size(0)
    blocks = weight.t().view(d_in, chunks, out // chunks).permute(1, 0, 2)  # (chunks, in, out/chunks)
    inputs = x.unsqueeze(0).expand(chunks, rows, d_in)
    if bias is None:
        y = torch.bmm(inputs, blocks)
    else:
        y = torch.baddbmm(bias.view(chunks, 1, out // chunks), inputs, blocks)  # (chunks, rows, out/chunks)
    return y.transpose(0, 1).reshape(rows, out)


def projection_for(device: torch.device, threads: int) -> Callable[..., torch.Tensor]:
    """The product the loop uses for ``x · Wᵀ + b``: split over the threads on a CPU with several.

    Measured on the 2-core AMD EPYC (the shipped en-de decoder's 19 products of one step,
    weights cycled as in decoding, 2 threads): 1 row 1.58 → 1.47 ms per step, 32 rows
    5.57 → 4.61 ms. At 1 thread (and on CUDA) it is plain ``F.linear``; so it is above
    ``MAX_SPLIT_THREADS`` threads, which were not measured (there BLAS spreads a large
    product over the cores itself, and blocks of 256 ÷ 16 columns would be tiny).
    """
    if device.type != "cpu" or not 2 <= threads <= MAX_SPLIT_THREADS:
        return F.linear

    def project(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
        if weight.size(0) % threads or not weight.t().is_contiguous():
            return F.linear(x, weight, bias)
        return split_linear(x, weight, bias, threads)

    return project


def supports(model: torch.nn.Module) -> bool:
    """The fast loop serves our ``Transformer`` (not a Hugging Face model behind ``core.hf``)."""
    return type(model) is Transformer  # a subclass may change what a step computes


def fast_greedy_decode(
    model: Transformer,
    src_ids: torch.Tensor,
    max_lens: list[int],
    record: bool = True,
    top_k: int = 5,
    encoded: EncoderOutput | None = None,
    compact_below: float = 0.5,
) -> list[Hypothesis]:
    """``core.decoding.greedy_decode`` without module overhead; same arguments and results.

    Args:
        src_ids: ``(batch, src_len)`` padded source ids.
        max_lens: per sentence, the most tokens to generate (``</s>`` included).
        record: record the self- and cross-attention rows and top-k per step.
        encoded: the encoder output for ``src_ids`` if the caller has it.
        compact_below: drop finished rows from the batch once the share of rows
            still decoded falls to this fraction or below (0 never drops them).
    """
    cfg = model.cfg
    w = decoder_weights(model)
    if encoded is None:
        encoded = model.encode(src_ids, need_attention=False)
    memory = encoded.memory  # (batch, src_len, d_model)
    batch, src_len, d_model = memory.shape
    heads, d_head, n_layers = cfg.n_heads, cfg.d_head, len(w.layers)
    steps = max(max_lens)
    device, dtype = memory.device, memory.dtype
    linear = projection_for(device, torch.get_num_threads())  # x · Wᵀ + b
    scale = 1.0 / math.sqrt(d_head)
    emb_scale = math.sqrt(d_model)

    # Cross-attention keys and values depend only on the memory: projected once per call (§3.2.3).
    # per layer (batch, src_len, 2, heads, d_head): K and V of the memory from one product
    cross_kv = [F.linear(memory, lw.cross_kv_w, lw.cross_kv_b).view(batch, src_len, 2, heads, d_head) for lw in w.layers]
    cross_k = torch.stack([kv[:, :, 0].permute(0, 2, 3, 1) for kv in cross_kv])  # (layers, batch, heads, d_head, src_len)
    cross_v = torch.stack([kv[:, :, 1].transpose(1, 2) for kv in cross_kv])  # (layers, batch, heads, src_len, d_head)
    del cross_kv  # stacked above; not needed while decoding
    # Padding as an additive bias: 0 where a key may be attended, −∞ where it is padding; one row
    # per (sentence, head), as baddbmm adds it: (batch, heads, 1, src_len)
    src_bias = torch.zeros(batch, heads, 1, src_len, dtype=dtype, device=device)
    src_bias.masked_fill_(~encoded.src_mask, float("-inf"))

    # Self-attention caches, written in place: (layers, rows, heads, steps, d_head).
    self_k = memory.new_empty(n_layers, batch, heads, steps, d_head)
    self_v = memory.new_empty(n_layers, batch, heads, steps, d_head)
    # What is recorded, by original sentence index. Only the cells a hypothesis
    # reads are ever written (steps up to its length). Self-attention rows grow by
    # one key per step: one buffer per step, (batch, layers, heads, t+1).
    self_rows: list[torch.Tensor] = []
    if record:
        cross_rows = memory.new_empty(batch, steps, n_layers, heads, src_len)
        top_ids = torch.zeros(batch, steps, top_k, dtype=torch.long, device=device)
        top_probs = torch.zeros(batch, steps, top_k, dtype=torch.float32, device=device)
    chosen = torch.zeros(batch, steps, dtype=torch.long, device=device)
    chosen_lp = torch.zeros(batch, steps, dtype=torch.float32, device=device)

    # Finished sentences leave the batch: ``rows`` maps each row still decoded to
    # its sentence. Dropping rows copies the caches, so it happens only once a
    # half of the rows (``compact_below``) are finished.
    rows = torch.arange(batch, device=device)
    compacted = False
    last = torch.full((batch,), cfg.bos_id, dtype=torch.long, device=device)
    done = torch.zeros(batch, dtype=torch.bool, device=device)
    limit = torch.tensor(max_lens, device=device)
    n_steps = 0

    def put(buffer: torch.Tensor, values: torch.Tensor) -> None:
        """Write the rows still decoded into ``buffer`` (indexed by sentence)."""
        if compacted:
            buffer.index_copy_(0, rows, values)
        else:
            buffer.copy_(values)

    zero = memory.new_zeros(1, 1, 1)  # the ignored "bias" of baddbmm with beta = 0
    for t in range(steps):
        n = last.size(0)
        if record:
            self_rows.append(memory.new_empty(batch, n_layers, heads, t + 1))
        # Embedding × √d_model + PE (§3.4, §3.5): (rows, d_model)
        x = torch.add(w.positional[t], F.embedding(last, w.embedding), alpha=emb_scale)
        for i, lw in enumerate(w.layers):
            # Masked self-attention over the prefix 0…t (the cache holds no future positions).
            qkv = linear(x, lw.qkv_w, lw.qkv_b).view(n, 3, heads, d_head)  # Q, K, V of position t
            self_k[i, :, :, t] = qkv[:, 1]
            self_v[i, :, :, t] = qkv[:, 2]
            q = qkv[:, 0].reshape(n * heads, 1, d_head)
            keys = self_k[i, :, :, : t + 1].reshape(n * heads, t + 1, d_head).transpose(1, 2)  # Kᵀ of 0…t
            scores = torch.baddbmm(zero, q, keys, beta=0.0, alpha=scale).view(n, heads, 1, t + 1)  # Q Kᵀ / √d_k
            weights = torch.softmax(scores, dim=-1)
            if record:
                put(self_rows[t][:, i], weights[:, :, 0])
            mixed = torch.matmul(weights, self_v[i, :, :, : t + 1]).view(n, d_model)
            x = F.layer_norm(x + linear(mixed, lw.self_o_w, lw.self_o_b), (d_model,), *lw.norm_self)
            # Encoder–decoder attention (§3.2.3): queries from the decoder, keys/values from the memory.
            q = linear(x, lw.cross_q_w, lw.cross_q_b).view(n * heads, 1, d_head)
            # bias + Q Kᵀ / √d_k in one product: (rows·heads, 1, src_len)
            scores = torch.baddbmm(src_bias.view(n * heads, 1, src_len), q, cross_k[i].view(n * heads, d_head, src_len),
                                   alpha=scale)
            scores = scores.view(n, heads, 1, src_len)
            weights = torch.softmax(scores, dim=-1)
            if record:
                put(cross_rows[:, t, i], weights[:, :, 0])
            mixed = torch.matmul(weights, cross_v[i]).view(n, d_model)
            x = F.layer_norm(x + linear(mixed, lw.cross_o_w, lw.cross_o_b), (d_model,), *lw.norm_cross)
            # Position-wise feed-forward (§3.3).
            hidden = F.relu(linear(x, lw.ff1_w, lw.ff1_b))
            x = F.layer_norm(x + linear(hidden, lw.ff2_w, lw.ff2_b), (d_model,), *lw.norm_ff)
        log_probs = torch.log_softmax(linear(x, w.output).float(), dim=-1)  # (rows, vocab)
        if record:
            top_lp, top_idx = log_probs.topk(top_k, dim=-1)  # sorted: the first is the argmax
            next_ids, next_lp = top_idx[:, 0], top_lp[:, 0]
            put(top_ids[:, t], top_idx)
            put(top_probs[:, t], top_lp.exp())
        else:
            next_lp, next_ids = log_probs.max(dim=-1)
        put(chosen[:, t], next_ids)
        put(chosen_lp[:, t], next_lp)
        n_steps = t + 1
        done = done | (next_ids == cfg.eos_id) | (t + 1 >= limit)
        alive = int((~done).sum())
        if alive == 0:
            break
        last = next_ids.masked_fill(done, cfg.pad_id)
        if alive <= compact_below * n:
            keep = (~done).nonzero()[:, 0]
            rows, last, done, limit = rows[keep], last[keep], done[keep], limit[keep]
            self_k, self_v = self_k.index_select(1, keep), self_v.index_select(1, keep)
            cross_k, cross_v = cross_k.index_select(1, keep), cross_v.index_select(1, keep)
            src_bias = src_bias.index_select(0, keep)
            compacted = True

    out_ids = chosen[:, :n_steps].tolist()
    hyps = []
    for b in range(batch):
        hyp = greedy_hypothesis(out_ids[b], chosen_lp[b, :n_steps], max_lens[b], cfg.eos_id)
        length = len(hyp.token_ids)
        if record:
            hyp.top_ids = top_ids[b, :length]
            hyp.top_probs = top_probs[b, :length]
            hyp.self_rows = [self_rows[t][b] for t in range(length)]
            hyp.cross_rows = cross_rows[b, :length]
        hyps.append(hyp)
    return hyps
