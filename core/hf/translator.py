"""``HFTranslator``: a Hugging Face encoder–decoder behind the same ``Translator`` API.

Every page of the app and every command-line tool talks to a ``Translator``;
this subclass keeps all of its methods and result types
(``TranslationResult``, ``BatchInspection``, ``LayerTrace``) and changes only
where the model differs from ours:

* the source is what the library's tokenizer makes of the text, special
  tokens included (``</s>``; BART's ``<s>``; the source language code of
  mBART, M2M-100 and NLLB; a T5 task prefix from the sidecar or the config);
* the decoder starts with the library's ``decoder_start_token_id``
  (``<pad>`` for Marian and T5, ``</s>`` for BART, mBART-50, M2M-100, NLLB),
  so the first row of decoder attention is labelled with that token;
* attention comes from the library's ``output_attentions`` (see ``model.py``),
  Q/K/V and scores from public forward pre-hooks (``capture.py``).

``unsupported_views`` says which lessons do not apply to this model and why
(a reason code the app turns into a sentence).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import torch

from ..checkpoint import CheckpointInfo
from ..model import AttentionMaps
from ..trace import LayerTrace
from ..kinds import attention_kind
from ..translator import BatchInspection, Translator
from .capture import attention_modules, capture_inputs, open_attention
from .folder import HFFolder
from .model import HFModel
from .tokens import HFTokens


class HFTranslator(Translator):
    """A loaded Hugging Face model with our ``Translator`` methods (see the module docstring)."""

    model: HFModel  # type: ignore[assignment]
    source_tokenizer: HFTokens  # type: ignore[assignment]
    target_tokenizer: HFTokens  # type: ignore[assignment]

    def __init__(
        self, model: HFModel, source: HFTokens, target: HFTokens, info: CheckpointInfo, folder: Path, meta: HFFolder
    ) -> None:
        super().__init__(model, source, target, info, folder)  # type: ignore[arg-type]
        self.meta = meta
        views = {"ablation": "no_switches", "timeline": "not_ours"}
        # Marian and M2M-100 use sinusoids, but as [sin | cos] halves rather than the paper's interleaving
        views["positional"] = "sinusoid_halves" if self.config.positional == "sinusoidal" else "no_table"
        if meta.family == "t5":
            views.update(trace="relative_bias", scores="relative_bias")
        self.unsupported_views = views

    # ------------------------------------------------------------ inputs
    def prepare_source(self, text: str) -> tuple[list[int], list[str], bool]:
        """The library's encoder input for ``text`` (its special tokens included), labels, and whether it was cut."""
        self.check_text(text)
        ids, labels = self.source_tokenizer.encode_labeled_with_specials(text)
        limit = self.config.max_positions
        truncated = len(ids) > limit
        if truncated:  # keep the tokenizer's trailing specials (</s>, a language code)
            tail = 0
            while tail < len(ids) and self.source_tokenizer.is_special(ids[len(ids) - 1 - tail]):
                tail += 1
            keep = list(range(limit - tail)) + list(range(len(ids) - tail, len(ids)))
            ids, labels = [ids[i] for i in keep], [labels[i] for i in keep]
        return ids, labels, truncated

    @cached_property
    def max_source_tokens(self) -> int:
        """Longest source in pieces: the positions left after the tokenizer's own special tokens
        (``</s>``; mBART and NLLB also add a language code). Computed once: every page view asks."""
        added = sum(self.source_tokenizer.is_special(i) for i in self.source_tokenizer.encode_with_specials("a"))
        return self.config.max_positions - added

    @staticmethod
    def _stack_encoder_maps(encoded) -> torch.Tensor:
        return torch.stack(encoded.attention, dim=1)  # (batch, layers, heads, src, src)

    def _target_ids(self, text: str) -> list[int]:
        """A reference translation as the decoder's expected output (language code and ``</s>`` included)."""
        ids = self.target_tokenizer.encode_with_specials(text)
        if self.model.forced_bos_id is not None and (not ids or ids[0] != self.model.forced_bos_id):
            ids = [self.model.forced_bos_id] + ids
        return ids[: self.config.max_positions]

    # ------------------------------------------------------- teacher forcing
    def inspect_batch(self, sources: list[str], targets: list[str] | None = None) -> BatchInspection:
        """As ``Translator.inspect_batch``: the library's weights, the masks it applied, and
        the scaled scores (recomputed from its own projections; ``None`` for T5)."""
        labeled = [self.prepare_source(s) for s in sources]
        if targets is None:
            outputs = [r.output_ids for r in self.translate_batch(sources)]
        else:
            outputs = [self._target_ids(t) for t in targets]
        rows = [[self.config.bos_id] + out[:-1] for out in outputs]
        src = self._pad([ids for ids, _, _ in labeled])  # (batch, src_len)
        tgt = self._pad(rows)  # (batch, tgt_len)
        lengths = [len(r) for r in rows]
        want_scores = "scores" not in self.unsupported_views
        modules = attention_modules(self.model.hf, self.meta.family) if want_scores else {}
        with torch.inference_mode(), capture_inputs(modules) as captured:
            out = self.model.teacher_forced(src, tgt, lengths)
        scores = {}
        if want_scores:
            with torch.inference_mode():
                for kind, mods in modules.items():
                    scores[kind] = torch.stack(
                        [open_attention(m, captured[kind][i])["scores"] for i, m in enumerate(mods)], dim=1
                    )  # (batch, layers, heads, q, k)
        positions = torch.arange(tgt.size(1))
        tgt_real = positions[None, :] < torch.tensor(lengths)[:, None]  # (batch, tgt_len)
        causal = positions[None, :] <= positions[:, None]  # (tgt_len, tgt_len): key ≤ query
        maps = AttentionMaps(
            encoder_self=torch.stack(out.encoder_attentions, dim=1).float(),
            decoder_self=torch.stack(out.decoder_attentions, dim=1).float(),
            cross=torch.stack(out.cross_attentions, dim=1).float(),
            src_mask=(src != self.config.pad_id)[:, None, None, :],
            tgt_mask=(causal[None] & tgt_real[:, None, :])[:, None],
            encoder_self_scores=scores.get("encoder_self"),
            decoder_self_scores=scores.get("decoder_self"),
            cross_scores=scores.get("cross"),
        )
        pad = self.source_tokenizer.label(self.config.pad_id)
        src_labels = [labels + [pad] * (src.size(1) - len(labels)) for _, labels, _ in labeled]
        tgt_labels = [self.target_tokenizer.labels(r) + [pad] * (tgt.size(1) - len(r)) for r in rows]
        return BatchInspection(src_labels, tgt_labels, src, tgt, maps)

    def trace_layer(self, text: str, kind: str, layer: int, target_ids: list[int] | None = None) -> LayerTrace:
        """As ``Translator.trace_layer``, through forward pre-hooks on the library's attention module.

        Raises:
            ValueError: for T5 (its scores carry a relative-position bias, see
                ``capture.py``), an unknown kind, or a layer out of range.
        """
        if "trace" in self.unsupported_views:
            raise ValueError(
                "T5 adds a learned relative-position bias to Q Kᵀ and does not divide by √d_k, "
                "so its layers are not the paper's equation 1 and cannot be traced step by step here"
            )
        info = attention_kind(kind)
        n_layers = self.config.n_encoder_layers if kind == "encoder_self" else self.config.n_decoder_layers
        if not 0 <= layer < n_layers:
            raise ValueError(f"layer {layer} is out of range: this model has {n_layers} layers (0-based)")
        src_ids, src_labels, _ = self.prepare_source(text)
        if kind == "encoder_self":
            target_ids = []
        elif target_ids is None:
            target_ids = self.translate(text).target_ids
        target_ids = list(target_ids)
        module = attention_modules(self.model.hf, self.meta.family)[kind][layer]
        with torch.inference_mode(), capture_inputs({kind: [module]}) as captured:
            if kind == "encoder_self":
                self.model.encode(torch.tensor([src_ids]))
            else:
                self.model.teacher_forced(torch.tensor([src_ids]), torch.tensor([target_ids]))
            inputs = captured[kind][0]
            opened = open_attention(module, inputs)
        tokens = {
            "source": (src_labels, src_ids),
            "target": (self.target_tokenizer.labels(target_ids), target_ids),
        }
        q_labels, q_ids = tokens[info.query_side]
        k_labels, k_ids = tokens[info.key_side]

        def arr(x: torch.Tensor) -> np.ndarray:
            return x.detach().numpy().copy() if x.dtype == torch.bool else x.detach().float().numpy().copy()

        key_value = inputs.key_value if inputs.key_value is not None else inputs.hidden
        return LayerTrace(
            kind=kind, layer=layer, query_tokens=q_labels, key_tokens=k_labels, query_ids=q_ids, key_ids=k_ids,
            query_input=arr(inputs.hidden[0]), key_value_input=arr(key_value[0]),
            **{name: arr(value if name == "output_bias" else value[0]) for name, value in opened.items()},
        )
