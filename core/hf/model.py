"""A Hugging Face encoder–decoder seen through the interface ``core.decoding`` drives.

``core.decoding.greedy_decode`` and ``beam_search`` call ``model.encode``,
``model.start_cache`` and ``model.decode_step`` and read ``model.cfg``.
``HFModel`` provides exactly these on top of a ``transformers``
``…ForConditionalGeneration`` model, so our decoders — with their per-step
recording of cross- and self-attention rows and top-k — run unchanged on
Marian, BART, mBART, T5 and M2M-100/NLLB.

Everything is read from the library's own outputs: ``output_attentions=True``
returns, per layer, ``(batch, heads, query, key)`` weights; the decoder
runs one new position per step with the library's key/value cache
(``EncoderDecoderCache``), so memory stays bounded as in our own decoder.
Nothing is patched and nothing is stored on the model between calls.

The library's generation settings that change *which* token is chosen are
applied too: a forced first token (the target language code of mBART-50,
M2M-100 and NLLB, from the folder's ``generation_config`` or its sidecar) and
banned single tokens (Marian bans ``<pad>``). When nothing ends with ``</s>``
within the length limit the result says it did not finish (the library would
instead force ``</s>`` at the last step for BART).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch

# Which of our components (``app.lessons.architecture.COMPONENTS``) a parameter
# name of each family belongs to; the first matching fragment wins.
_COMPONENT_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "bart": (
        ("encoder_attn_layer_norm", "decoder_layer_norm"),
        ("encoder_attn.", "decoder_cross_attention"),
        ("lm_head", "output_projection"),
        ("embed_", "embeddings"),
        ("shared", "embeddings"),
        ("layernorm_embedding", "embeddings"),
        ("encoder.layer_norm", "encoder_layer_norm"),
        ("decoder.layer_norm", "decoder_layer_norm"),
    ),
    "t5": (
        ("EncDecAttention", "decoder_cross_attention"),
        ("lm_head", "output_projection"),
        ("shared", "embeddings"),
        ("embed_tokens", "embeddings"),
        ("encoder.final_layer_norm", "encoder_layer_norm"),
        ("decoder.final_layer_norm", "decoder_layer_norm"),
    ),
}


@dataclass(frozen=True)
class HFConfigView:
    """A Hugging Face config in the names the app uses for ours (``core.config.TransformerConfig``).

    ``bos_id`` is the decoder's start token (``decoder_start_token_id``: ``<pad>``
    for Marian and T5, ``</s>`` for BART, mBART-50, M2M-100 and NLLB).
    ``positional`` is ``"sinusoidal"`` (Marian, M2M-100: §3.5's sinusoids, stored as
    [sin | cos] halves instead of interleaved),
    ``"learned"`` (BART, mBART) or ``"relative"`` (T5: a learned bias added to
    the scores); ``norm`` is ``"post"`` (the paper's LayerNorm(x + Sublayer(x)))
    or ``"pre"``.
    """

    architecture: str
    model_type: str
    d_model: int
    n_heads: int
    d_head: int
    n_encoder_layers: int
    n_decoder_layers: int
    d_ff: int
    dropout: float
    max_positions: int
    src_vocab_size: int
    tgt_vocab_size: int
    pad_id: int
    bos_id: int
    eos_id: int
    positional: str
    norm: str
    activation: str
    share_embeddings: bool
    tie_output: bool
    scaled: bool  # scores divided by √d_k (T5 does not)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def config_view(hf_config: Any, model_type: str, family: str, vocab: int, max_source: int) -> HFConfigView:
    """Read a ``transformers`` config into ``HFConfigView``."""
    c = hf_config
    if family == "t5":
        return HFConfigView(
            architecture="hf-t5", model_type=model_type, d_model=c.d_model, n_heads=c.num_heads, d_head=c.d_kv,
            n_encoder_layers=c.num_layers, n_decoder_layers=c.num_decoder_layers or c.num_layers, d_ff=c.d_ff,
            dropout=float(c.dropout_rate), max_positions=max_source, src_vocab_size=vocab, tgt_vocab_size=vocab,
            pad_id=c.pad_token_id, bos_id=c.decoder_start_token_id, eos_id=c.eos_token_id, positional="relative",
            norm="pre", activation=str(getattr(c, "feed_forward_proj", "relu")), share_embeddings=True,
            tie_output=bool(getattr(c, "tie_word_embeddings", True)), scaled=False,
        )
    positions = {"marian": "sinusoidal", "m2m_100": "sinusoidal"}.get(model_type, "learned")
    pre_norm = model_type in ("mbart", "m2m_100")
    return HFConfigView(
        architecture=f"hf-{model_type}", model_type=model_type, d_model=c.d_model, n_heads=c.encoder_attention_heads,
        d_head=c.d_model // c.encoder_attention_heads, n_encoder_layers=c.encoder_layers,
        n_decoder_layers=c.decoder_layers, d_ff=c.encoder_ffn_dim, dropout=float(c.dropout),
        max_positions=min(int(c.max_position_embeddings), max_source), src_vocab_size=vocab, tgt_vocab_size=vocab,
        pad_id=c.pad_token_id, bos_id=c.decoder_start_token_id, eos_id=c.eos_token_id, positional=positions,
        norm="pre" if pre_norm else "post", activation=str(c.activation_function),
        share_embeddings=bool(getattr(c, "share_encoder_decoder_embeddings", True)),
        tie_output=bool(getattr(c, "tie_word_embeddings", True)), scaled=True,
    )


@dataclass
class HFEncoded:
    """The encoder's result, as ``core.decoding`` expects it.

    Attributes:
        memory: ``(batch, src_len, d_model)`` the encoder's last hidden state.
        src_mask: ``(batch, src_len)`` 1 = real token, 0 = padding (the library's ``attention_mask``).
        attention: per layer ``(batch, heads, src_len, src_len)``, or ``()`` when not recorded.
    """

    memory: torch.Tensor
    src_mask: torch.Tensor
    attention: tuple[torch.Tensor, ...] = ()


class HFCache:
    """The library's ``EncoderDecoderCache`` plus the encoder output it belongs to.

    ``select`` keeps the rows beam search continues (``index`` may repeat a row).
    """

    def __init__(self, past: Any, memory: torch.Tensor) -> None:
        self.past = past
        self.memory = memory

    def select(self, index: torch.Tensor) -> HFCache:
        if self.past is not None:
            self.past.reorder_cache(index)
        return HFCache(self.past, self.memory.index_select(0, index))


@dataclass
class HFStep:
    """One decoding step (``core.model.DecodeStep``'s fields).

    Attributes:
        logits: ``(batch, vocab)`` after the generation settings above.
        caches: ``[HFCache]``.
        self_rows: ``(batch, layers, heads, t+1)`` or ``None``.
        cross_rows: ``(batch, layers, heads, src_len)`` or ``None``.
    """

    logits: torch.Tensor
    caches: list[HFCache]
    self_rows: torch.Tensor | None
    cross_rows: torch.Tensor | None


class HFModel:
    """Wrap a ``transformers`` encoder–decoder for ``core.decoding`` (see the module docstring).

    Args:
        hf: the library model, loaded with ``attn_implementation="eager"`` (the
            implementation that can return attention weights).
        cfg: its ``HFConfigView``.
        family: ``"bart"`` or ``"t5"``.
        forced_bos_id: the first token to force (a target language code), or ``None``.
    """

    def __init__(self, hf: Any, cfg: HFConfigView, family: str, forced_bos_id: int | None) -> None:
        self.hf = hf
        self.cfg = cfg
        self.family = family
        gen = hf.generation_config
        self.forced_bos_id = forced_bos_id
        bad = getattr(gen, "bad_words_ids", None) or []
        self.banned_ids = sorted({int(w[0]) for w in bad if len(w) == 1})

    # nn.Module-like helpers the app uses
    def eval(self) -> HFModel:
        self.hf.eval()
        return self

    def parameters(self):
        return self.hf.parameters()

    def named_parameters(self):
        return self.hf.named_parameters()

    def component_of(self, name: str) -> str:
        """Which of our components (embeddings, encoder_self_attention, …) parameter ``name`` belongs to."""
        for fragment, component in _COMPONENT_RULES[self.family]:
            if fragment in name:
                return component
        side = "decoder" if "decoder" in name else "encoder"
        if self.family == "t5":
            if "SelfAttention" in name:
                return f"{side}_self_attention"
            if "DenseReluDense" in name:
                return f"{side}_feed_forward"
            return f"{side}_layer_norm"
        if "self_attn_layer_norm" in name or "final_layer_norm" in name:
            return f"{side}_layer_norm"
        if "self_attn." in name:
            return f"{side}_self_attention"
        if ".fc1." in name or ".fc2." in name:
            return f"{side}_feed_forward"
        return "embeddings"  # learned positions (embed_positions) and anything else outside the layers

    # the interface core.decoding drives
    def encode(self, src_ids: torch.Tensor, need_attention: bool = False, ablation: Any = None) -> HFEncoded:
        """Run the encoder; ``src_ids`` ``(batch, src_len)`` padded with ``cfg.pad_id``."""
        if ablation is not None:
            raise ValueError("ablations switch off parts of Attention Lab's own models; a Hugging Face model has no "
                             "such switches: open one of ours to use them")
        mask = (src_ids != self.cfg.pad_id).long()  # (batch, src_len)
        out = self.hf.get_encoder()(input_ids=src_ids, attention_mask=mask, output_attentions=need_attention, return_dict=True)
        return HFEncoded(out.last_hidden_state, mask, tuple(out.attentions) if need_attention else ())

    def start_cache(self, encoded: HFEncoded) -> list[HFCache]:
        return [HFCache(None, encoded.memory)]

    def decode_step(
        self,
        last: torch.Tensor,
        t: int,
        caches: list[HFCache],
        src_mask: torch.Tensor,
        need_attention: bool = False,
        ablation: Any = None,
    ) -> HFStep:
        """Feed the newest token ``last`` ``(batch,)`` at position ``t``; the cache holds positions < t."""
        cache = caches[0]
        out = self.hf(
            encoder_outputs=(cache.memory,),
            attention_mask=src_mask,
            decoder_input_ids=last[:, None],
            past_key_values=cache.past,
            use_cache=True,
            output_attentions=need_attention,
            return_dict=True,
        )
        logits = out.logits[:, -1, :].float().clone()  # (batch, vocab)
        if self.banned_ids:
            logits[:, self.banned_ids] = float("-inf")
        if t == 0 and self.forced_bos_id is not None:
            forced = torch.full_like(logits, float("-inf"))
            forced[:, self.forced_bos_id] = 0.0
            logits = forced
        self_rows = cross_rows = None
        if need_attention:
            self_rows = torch.stack([a[:, :, -1, :] for a in out.decoder_attentions], dim=1)  # (batch, layers, heads, t+1)
            cross_rows = torch.stack([a[:, :, -1, :] for a in out.cross_attentions], dim=1)  # (batch, layers, heads, src)
        return HFStep(logits, [HFCache(out.past_key_values, cache.memory)], self_rows, cross_rows)

    def teacher_forced(self, src_ids: torch.Tensor, tgt_ids: torch.Tensor, tgt_lengths: list[int] | None = None) -> Any:
        """One forward pass over a whole target (the library's output, all attentions recorded).

        Args:
            src_ids: ``(batch, src_len)``; tgt_ids: ``(batch, tgt_len)`` decoder inputs.
            tgt_lengths: real length of each target row (the rest is padding), or ``None`` for no padding.
        """
        tgt_mask = None
        if tgt_lengths is not None:
            positions = torch.arange(tgt_ids.size(1))[None, :]
            tgt_mask = (positions < torch.tensor(tgt_lengths)[:, None]).long()  # (batch, tgt_len)
        return self.hf(
            input_ids=src_ids,
            attention_mask=(src_ids != self.cfg.pad_id).long(),
            decoder_input_ids=tgt_ids,
            decoder_attention_mask=tgt_mask,
            use_cache=False,
            output_attentions=True,
            return_dict=True,
        )
