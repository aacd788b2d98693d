"""The public API: load a checkpoint, translate, get every attention map.

    >>> from core import load_translator
    >>> tr = load_translator("pretrained/multi30k-en-de")
    >>> res = tr.translate("A man rides a bike.")
    >>> res.text, res.attention.cross.shape   # (layers, heads, tgt_len, src_len)

Token sequences and axes
------------------------
* Source: ``x_1 … x_n </s>`` — ``res.source_tokens`` labels the rows and
  columns of encoder self-attention and the columns of cross-attention.
* Decoder input: ``<s> y_1 … y_{T-1}`` — ``res.target_tokens`` labels the
  rows and columns of decoder self-attention and the rows of cross-attention.
  Row t is the query of decoder position t, which *produced* ``res.output_tokens[t]``
  (``y_{t+1}``; the last one is ``</s>``).

A ``Translator`` keeps no per-request state: every call builds its own
tensors, so one instance can serve many threads (the Streamlit app shares one
per process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .ablation import Ablation
from .checkpoint import CheckpointInfo, load_checkpoint
from .decoding import Hypothesis, beam_search, greedy_decode
from .fast_decoding import fast_greedy_decode, supports as fast_supports
from .inference_layout import store_input_major
from .length_groups import length_groups
from .masks import padding_mask
from .model import AttentionMaps, EncoderOutput, Transformer
from .tokenizer import Tokenizer, clean_text
from .trace import LayerTrace, trace_layer


class NothingToTranslate(ValueError):
    """The text is empty, or nothing is left of it after removing control characters."""


@dataclass
class AttentionArrays:
    """All attention weights of one translation, float32, rows = queries.

    Attributes:
        encoder_self: ``(layers, heads, src_len, src_len)``.
        decoder_self: ``(layers, heads, tgt_len, tgt_len)``.
        cross: ``(layers, heads, tgt_len, src_len)``.
    """

    encoder_self: np.ndarray
    decoder_self: np.ndarray
    cross: np.ndarray

    def get(self, kind: str) -> np.ndarray:
        """``kind`` is ``"encoder_self"``, ``"decoder_self"`` or ``"cross"``."""
        return getattr(self, kind)


@dataclass
class DecodingStep:
    """What the decoder saw and chose at generation step ``index``.

    Attributes:
        index: step t (0-based); the decoder input was ``target_tokens[:t+1]``.
        token: display label of the token chosen at this step.
        token_id: its id.
        probability: the probability the model gave it.
        top_tokens, top_ids, top_probs: the k most likely next tokens.
        cross_attention: ``(layers, heads, src_len)`` this step's cross-attention row.
        self_attention: ``(layers, heads, index+1)`` this step's causal
            self-attention row over the prefix.
    """

    index: int
    token: str
    token_id: int
    probability: float
    top_tokens: list[str]
    top_ids: list[int]
    top_probs: list[float]
    cross_attention: np.ndarray
    self_attention: np.ndarray


@dataclass
class TranslationResult:
    """A translation with its tokens, attention maps and per-step record."""

    text: str
    source_text: str
    model_name: str
    beam_size: int
    source_ids: list[int]
    target_ids: list[int]
    output_ids: list[int]
    source_tokens: list[str]
    target_tokens: list[str]
    output_tokens: list[str]
    source_special: list[bool]
    target_special: list[bool]
    output_special: list[bool]
    source_words: list[tuple[int, int]]
    target_words: list[tuple[int, int]]
    output_words: list[tuple[int, int]]
    truncated: bool
    finished: bool
    log_prob: float
    score: float
    attention: AttentionArrays
    steps: list[DecodingStep] = field(default_factory=list)

    def to_dict(self, decimals: int = 6) -> dict:
        """JSON-ready record: tokens, the three attention tensors (nested lists,
        rows = queries) and the per-step top-k. ``python -m core.translate --json``
        prints exactly this."""

        def arr(a: np.ndarray) -> list:
            return np.round(a.astype(np.float64), decimals).tolist()

        return {
            "model": self.model_name,
            "source_text": self.source_text,
            "translation": self.text,
            "beam_size": self.beam_size,
            "truncated": self.truncated,
            "finished": self.finished,
            "source_tokens": self.source_tokens,
            "target_tokens": self.target_tokens,
            "output_tokens": self.output_tokens,
            "attention": {
                "layout": "[layer][head][query][key]",
                "encoder_self": arr(self.attention.encoder_self),
                "decoder_self": arr(self.attention.decoder_self),
                "cross": arr(self.attention.cross),
            },
            "steps": [
                {
                    "index": s.index,
                    "token": s.token,
                    "probability": round(s.probability, decimals),
                    "top": [{"token": t, "probability": round(p, decimals)} for t, p in zip(s.top_tokens, s.top_probs)],
                }
                for s in self.steps
            ],
        }


@dataclass
class BatchInspection:
    """A teacher-forced pass over a padded batch, with scores and masks (mask lesson).

    Attributes:
        source_tokens, target_tokens: per sentence, labels padded with ``<pad>``
            to the batch's lengths.
        source_ids, target_ids: ``(batch, src_len)`` / ``(batch, tgt_len)``.
        maps: the model's ``AttentionMaps`` with scores and masks, as tensors.
    """

    source_tokens: list[list[str]]
    target_tokens: list[list[str]]
    source_ids: torch.Tensor
    target_ids: torch.Tensor
    maps: AttentionMaps


class SourceReader:
    """What every translator here shares: the model and its tokenizers, and how a text
    becomes encoder input. ``Translator`` (the Transformer) and
    ``core.seq2seq.RNNTranslator`` build on it; nothing is stored per call.

    ``unsupported_views`` maps a view that does not apply to this model
    (``"ablation"``, ``"trace"``, ``"scores"``, ``"timeline"``, ``"positional"``)
    to a reason code the app explains (``view.unsupported.<reason>``); our own
    models support every view.
    """

    unsupported_views: dict[str, str] = {}

    def __init__(
        self,
        model: torch.nn.Module,
        source_tokenizer: Tokenizer,
        target_tokenizer: Tokenizer,
        info: CheckpointInfo,
        folder: Path | None = None,
    ) -> None:
        self.model = model.eval()
        self.source_tokenizer = source_tokenizer
        self.target_tokenizer = target_tokenizer
        self.info = info
        self.folder = folder

    @property
    def config(self):
        return self.model.cfg

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def max_source_tokens(self) -> int:
        """Longest source in pieces, ``</s>`` excluded."""
        return self.model.cfg.max_positions - 1

    # ------------------------------------------------------------ inputs
    def _source_ids(self, text: str) -> tuple[list[int], bool]:
        ids, _, truncated = self.prepare_source(text)
        return ids, truncated

    @staticmethod
    def check_text(text: str) -> None:
        """Raise ``TypeError`` for a non-string, ``NothingToTranslate`` when nothing is left after cleaning."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not clean_text(text):
            raise NothingToTranslate("the text is empty: type a sentence to translate")

    def prepare_source(self, text: str) -> tuple[list[int], list[str], bool]:
        """What the encoder reads for ``text``: ids + ``</s>``, their labels, and whether the text was cut.

        Raises:
            TypeError: ``text`` is not a string.
            NothingToTranslate: nothing is left after cleaning (empty, control characters only).
        """
        self.check_text(text)
        ids, labels = self.source_tokenizer.encode_labeled(text)
        truncated = len(ids) > self.max_source_tokens
        keep = self.max_source_tokens
        eos = self.config.eos_id
        return ids[:keep] + [eos], labels[:keep] + [self.source_tokenizer.label(eos)], truncated

    def default_max_len(self, src_len: int) -> int:
        """Output budget: 1.5 × source + 10 tokens, within the positional table."""
        return min(self.config.max_positions, int(1.5 * src_len) + 10)

    def _pad(self, rows: list[list[int]]) -> torch.Tensor:
        width = max(len(r) for r in rows)
        out = torch.full((len(rows), width), self.config.pad_id, dtype=torch.long)
        for i, r in enumerate(rows):
            out[i, : len(r)] = torch.tensor(r, dtype=torch.long)
        return out


class Translator(SourceReader):
    """A loaded Transformer plus its tokenizers; thread-safe and stateless per call.

    ``fast_decoding`` (default on) runs greedy decoding of the model as trained
    through ``core.fast_decoding`` (same tokens and maps, less overhead); an
    ablation that switches something off, or ``fast_decoding = False``, walks the modules
    (``core.decoding.greedy_decode``). Benchmarks switch it to compare the two.
    """

    model: Transformer
    fast_decoding: bool = True

    def _greedy(self, src, max_lens, record=True, top_k=5, ablation=None, encoded=None) -> list[Hypothesis]:
        """Greedy decoding of a padded batch ``src`` ``(batch, src_len)``."""
        model = self.model
        as_trained = ablation is None or ablation.is_default
        if self.fast_decoding and as_trained and fast_supports(model) and not model.training:
            return fast_greedy_decode(model, src, max_lens, record=record, top_k=top_k, encoded=encoded)
        return greedy_decode(model, src, max_lens, record=record, top_k=top_k, ablation=ablation, encoded=encoded)

    # ------------------------------------------------------------ translate
    def translate(
        self,
        text: str,
        beam_size: int = 1,
        max_len: int | None = None,
        length_penalty: float = 0.6,
        top_k: int = 5,
        ablation: Ablation | None = None,
    ) -> TranslationResult:
        """Translate one sentence and record all attention.

        ``ablation`` switches parts of the model off for this call only
        (``core.ablation``); the maps are then those of the ablated model.

        Raises:
            NothingToTranslate: if ``text`` is empty, whitespace or control characters only.
        """
        return self.translate_batch([text], beam_size, max_len, length_penalty, top_k, ablation)[0]

    def translate_batch(
        self,
        texts: list[str],
        beam_size: int = 1,
        max_len: int | None = None,
        length_penalty: float = 0.6,
        top_k: int = 5,
        ablation: Ablation | None = None,
    ) -> list[TranslationResult]:
        """Translate many sentences; greedy runs them as one padded batch.

        Results equal one-by-one ``translate`` calls. Beam search runs the
        sentences one after another.
        """
        if beam_size < 1:
            raise ValueError(f"beam_size must be ≥ 1, got {beam_size}")
        labeled = [self.prepare_source(t) for t in texts]
        prepared = [(ids, trunc) for ids, _, trunc in labeled]
        if not prepared:
            return []
        max_lens = [
            min(max_len, self.config.max_positions) if max_len else self.default_max_len(len(ids))
            for ids, _ in prepared
        ]
        with torch.inference_mode():
            src = self._pad([ids for ids, _ in prepared])  # (batch, src_len)
            if beam_size == 1:
                # one encoder pass serves both: its maps and the memory the decoder reads
                encoded, encoder_maps = self._encode_by_length(src, [len(ids) for ids, _ in prepared], ablation)
                hyps = self._greedy(src, max_lens, record=True, top_k=top_k, ablation=ablation,
                                     encoded=encoded)
            else:
                # Beam search runs sentence by sentence; each one's encoder pass gives
                # both the memory its beams read and the encoder maps shown.
                hyps, encoder_maps = [], []
                for i, (ids, _) in enumerate(prepared):
                    one = src[i : i + 1, : len(ids)]
                    encoded = self.model.encode(one, need_attention=True, ablation=ablation)
                    hyps.append(beam_search(self.model, one, beam_size, max_lens[i], length_penalty, True, top_k,
                                            ablation, encoded=encoded))
                    encoder_maps.append(self._stack_encoder_maps(encoded)[0])
        return [
            self._result(text, ids, labels, trunc, hyp, encoder_maps[i], beam_size)
            for i, (text, (ids, labels, trunc), hyp) in enumerate(zip(texts, labeled, hyps))
        ]

    def _encode_by_length(
        self, src: torch.Tensor, lengths: list[int], ablation: Ablation | None, need_attention: bool = True
    ) -> tuple[EncoderOutput, torch.Tensor | None]:
        """The encoder over a padded batch ``src`` ``(batch, src_len)``, run in groups of similar length.

        Returns the memory for the whole batch (``(batch, src_len, d_model)``, zeros at
        padding, which the decoder never attends: its weight there is exactly 0) and
        every encoder map, ``(batch, layers, heads, src_len, src_len)`` (``None`` unless
        ``need_attention``). Each sentence's
        memory and maps are those of encoding it alone (the batch == one-by-one property);
        grouping only removes padding the encoder would otherwise compute
        (``core.length_groups``). Only our own ``Transformer`` is grouped: a Hugging Face
        encoder (``core.hf``) returns its own kind of output and runs as one batch.
        """
        groups = length_groups(lengths) if type(self.model) is Transformer else [list(range(len(lengths)))]
        if len(groups) == 1:
            encoded = self.model.encode(src, need_attention=need_attention, ablation=ablation)
            return encoded, self._stack_encoder_maps(encoded) if need_attention else None
        batch, src_len = src.shape
        memory = maps = None
        for group in groups:
            rows = torch.tensor(group, device=src.device)
            width = max(lengths[i] for i in group)
            part = self.model.encode(src[rows, :width], need_attention=need_attention, ablation=ablation)
            if memory is None:  # same dtype and device as the encoder's own output
                memory = part.memory.new_zeros(batch, src_len, part.memory.size(-1))
            memory[rows, :width] = part.memory
            if need_attention:
                part_maps = self._stack_encoder_maps(part)  # (group, layers, heads, width, width)
                if maps is None:
                    maps = part_maps.new_zeros(batch, *part_maps.shape[1:3], src_len, src_len)
                maps[rows, :, :, :width, :width] = part_maps
        return EncoderOutput(memory, padding_mask(src, self.config.pad_id), []), maps

    @staticmethod
    def _stack_encoder_maps(encoded) -> torch.Tensor:
        """The recorded maps of an ``EncoderOutput``: ``(batch, layers, heads, src, src)``."""
        return torch.stack([a.weights for a in encoded.self_attention], dim=1)

    def _result(
        self,
        text: str,
        src_ids: list[int],
        src_labels: list[str],
        truncated: bool,
        hyp: Hypothesis,
        enc: torch.Tensor,
        beam_size: int,
    ) -> TranslationResult:
        n_src = len(src_ids)
        tgt_tok = self.target_tokenizer
        out_ids = hyp.token_ids
        tgt_ids = [self.config.bos_id] + out_ids[:-1]
        n_tgt = len(tgt_ids)
        layers, heads = self.config.n_decoder_layers, self.config.n_heads
        decoder_self = np.zeros((layers, heads, n_tgt, n_tgt), dtype=np.float32)
        for t, row in enumerate(hyp.self_rows):
            decoder_self[:, :, t, : t + 1] = row.float().numpy()
        cross = hyp.cross_rows[:, :, :, :n_src].float().permute(1, 2, 0, 3).numpy()  # (layers, heads, tgt, src)
        # Copies, not views: a view would keep the whole batch's buffers alive in the result cache.
        attention = AttentionArrays(
            encoder_self=np.array(enc[:, :, :n_src, :n_src].float().numpy(), order="C", copy=True),
            decoder_self=decoder_self,
            cross=np.array(cross, order="C", copy=True),
        )
        top_ids, top_probs = hyp.top_ids.tolist(), hyp.top_probs.tolist()  # (T, k) each, converted at once
        output_labels = tgt_tok.labels(out_ids)
        steps = [
            DecodingStep(
                index=t,
                token=output_labels[t],
                token_id=out_ids[t],
                probability=hyp.token_probs[t],
                top_tokens=[tgt_tok.label(i) for i in top_ids[t]],  # candidates: each on its own
                top_ids=top_ids[t],
                top_probs=top_probs[t],
                cross_attention=attention.cross[:, :, t, :],
                self_attention=attention.decoder_self[:, :, t, : t + 1],
            )
            for t in range(len(out_ids))
        ]
        src_tok = self.source_tokenizer
        return TranslationResult(
            text=tgt_tok.decode(out_ids),
            source_text=text,
            model_name=self.name,
            beam_size=beam_size,
            source_ids=src_ids,
            target_ids=tgt_ids,
            output_ids=out_ids,
            source_tokens=src_labels,
            target_tokens=tgt_tok.labels(tgt_ids),
            output_tokens=output_labels,
            source_special=[src_tok.is_special(i) for i in src_ids],
            target_special=[tgt_tok.is_special(i) for i in tgt_ids],
            output_special=[tgt_tok.is_special(i) for i in out_ids],
            source_words=src_tok.word_spans(src_ids),
            target_words=tgt_tok.word_spans(tgt_ids),
            output_words=tgt_tok.word_spans(out_ids),
            truncated=truncated,
            finished=hyp.finished,
            log_prob=hyp.log_prob,
            score=hyp.score,
            attention=attention,
            steps=steps,
        )

    def translate_texts(
        self,
        texts: list[str],
        beam_size: int = 1,
        batch_size: int = 64,
        length_penalty: float = 0.6,
        max_len: int | None = None,
        ablation: Ablation | None = None,
    ) -> list[str]:
        """Translations only, without recording attention (evaluation, files).

        Empty lines translate to empty strings instead of raising. ``ablation``
        as in ``translate`` (the head-importance table uses it).
        """
        outputs = [""] * len(texts)
        source_ids = {i: self._source_ids(t)[0] for i, t in enumerate(texts) if clean_text(t)}
        # Batches of similar length: less padding for the encoder, and a batch's sentences
        # end at about the same step. The results do not depend on the batch (one-by-one
        # property), so the order is only a matter of speed.
        todo = sorted(source_ids, key=lambda i: len(source_ids[i]))
        with torch.inference_mode():
            for start in range(0, len(todo), batch_size):
                chunk = todo[start : start + batch_size]
                ids = [source_ids[i] for i in chunk]
                lens = [
                    min(max_len, self.config.max_positions) if max_len else self.default_max_len(len(x)) for x in ids
                ]
                src = self._pad(ids)
                if beam_size == 1:
                    encoded, _ = self._encode_by_length(src, [len(x) for x in ids], ablation, need_attention=False)
                    hyps = self._greedy(src, lens, record=False, ablation=ablation, encoded=encoded)
                else:
                    hyps = [
                        beam_search(
                            self.model, src[j : j + 1, : len(x)], beam_size, lens[j], length_penalty, False,
                            ablation=ablation,
                        )
                        for j, x in enumerate(ids)
                    ]
                for i, hyp in zip(chunk, hyps):
                    outputs[i] = self.target_tokenizer.decode(hyp.token_ids)
        return outputs

    # ------------------------------------------------------- teacher forcing
    def inspect_batch(self, sources: list[str], targets: list[str] | None = None) -> BatchInspection:
        """Teacher-forced pass over a padded batch, returning scores and masks.

        Args:
            sources: source sentences (different lengths → padding).
            targets: reference translations; when ``None`` each source is
                first translated greedily and its output is used.
        """
        labeled = [self.prepare_source(s) for s in sources]
        prepared = [(ids, truncated) for ids, _, truncated in labeled]
        if targets is None:
            outputs = [r.output_ids for r in self.translate_batch(sources)]
        else:
            outputs = [
                self.target_tokenizer.encode(t)[: self.config.max_positions - 1] + [self.config.eos_id]
                for t in targets
            ]
        tgt_rows = [[self.config.bos_id] + out[:-1] for out in outputs]
        src = self._pad([ids for ids, _ in prepared])
        tgt = self._pad(tgt_rows)
        with torch.inference_mode():
            _, maps = self.model(src, tgt, need_attention=True, need_scores=True)
        pad = self.source_tokenizer.label(self.config.pad_id)
        src_labels = [labels + [pad] * (src.size(1) - len(labels)) for _, labels, _ in labeled]
        tgt_labels = [self.target_tokenizer.labels(row) for row in tgt.tolist()]
        return BatchInspection(src_labels, tgt_labels, src, tgt, maps)

    def trace_layer(self, text: str, kind: str, layer: int, target_ids: list[int] | None = None) -> LayerTrace:
        """One attention layer opened up: hidden states, per-head Q/K/V, outputs.

        Recomputes layer ``layer`` (0-based) of ``kind`` (``"encoder_self"``,
        ``"decoder_self"`` or ``"cross"``) for ``text`` with the model's own
        modules and returns a ``core.trace.LayerTrace`` (numpy arrays: each
        head's ``q``/``k``/``v`` ``(heads, len, d_head)``, ``weights``,
        ``head_outputs``, ``concat``, ``output`` …). Its weights equal those of
        ``translate(text)``; pass ``target_ids=result.target_ids`` to trace the
        decoder on a translation you already have (e.g. a beam-search one).
        """
        src_ids, src_labels, _ = self.prepare_source(text)
        target = None
        if kind != "encoder_self":
            if target_ids is None:
                target_ids = self.translate(text).target_ids
            target = (list(target_ids), self.target_tokenizer.labels(list(target_ids)))
        return trace_layer(self.model, kind, layer, (src_ids, src_labels), target)


def load_transformer_translator(folder: str | Path, verify: bool = True) -> Translator:
    """Open one of our Transformer checkpoint folders as a ``Translator``
    (``core.load_translator`` also opens Hugging Face folders).

    Raises:
        CheckpointError: when a file is missing, truncated or mismatched; the
            message names the file and how to fix it.
    """
    folder = Path(folder)
    model, src_tok, tgt_tok, info = load_checkpoint(folder, verify=verify)
    store_input_major(model)  # the BLAS-friendly layout for inference (core/inference_layout.py)
    return Translator(model, src_tok, tgt_tok, info, folder)
