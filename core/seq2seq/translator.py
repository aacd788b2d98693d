"""Translate with an RNN model and get its alignment, on the same axes as the Transformer's.

* ``source_tokens``: ``x_1 … x_n </s>`` — the columns of the alignment.
* ``target_tokens``: ``<s> y_1 … y_{T-1}`` — what the decoder was fed at each
  step; row i of the alignment is the step that read ``target_tokens[i]`` and
  *produced* ``output_tokens[i]`` (like the rows of cross-attention in
  ``core.translator``).

Stateless per call, so one instance serves every session of the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..tokenizer import clean_text
from ..translator import SourceReader
from .decoding import RNNHypothesis, beam_search, greedy_decode
from .model import RNNSeq2Seq


@dataclass
class RNNTranslation:
    """One translation.

    Attributes:
        alignment: ``(tgt_len, src_len)`` float32 Bahdanau weights, rows sum to 1
            (``None`` for the bottleneck model).
        context_size: numbers the decoder receives about the whole sentence when
            it has no attention (the summary vector ``c``); with attention it
            reads ``src_len`` annotations of ``2 · hidden`` numbers each.
    """

    source_text: str
    text: str
    source_tokens: list[str]
    target_tokens: list[str]
    output_tokens: list[str]
    output_ids: list[int]
    token_probs: list[float]
    alignment: np.ndarray | None
    context_size: int
    truncated: bool
    finished: bool


class RNNTranslator(SourceReader):
    """A loaded RNN model plus its tokenizer (one shared vocabulary); inputs are read as the
    Transformer's are (``core.translator.SourceReader``)."""

    model: RNNSeq2Seq

    @property
    def has_attention(self) -> bool:
        return self.model.attention is not None

    def _decode(self, src: torch.Tensor, beam_size: int, max_len: int) -> RNNHypothesis:
        if beam_size == 1:
            return greedy_decode(self.model, src, [max_len])[0]
        return beam_search(self.model, src, beam_size, max_len)

    def translate(self, text: str, beam_size: int = 1) -> RNNTranslation:
        """Translate one sentence, recording the alignment row of every output step."""
        ids, labels, truncated = self.prepare_source(text)
        with torch.inference_mode():
            hyp = self._decode(torch.tensor([ids]), beam_size, self.default_max_len(len(ids)))
        out = hyp.token_ids
        tgt_in = [self.config.bos_id] + out[:-1]
        text_ids = [i for i in out if i != self.config.eos_id]
        return RNNTranslation(
            source_text=text,
            text=self.target_tokenizer.decode(text_ids),
            source_tokens=labels,
            target_tokens=self.target_tokenizer.labels(tgt_in),
            output_tokens=self.target_tokenizer.labels(out),
            output_ids=out,
            token_probs=hyp.token_probs,
            alignment=None if hyp.alignment is None else hyp.alignment.float().numpy(),
            context_size=self.config.context_size,
            truncated=truncated,
            finished=hyp.finished,
        )

    def summary_vector(self, text: str) -> np.ndarray:
        """The encoder's fixed-size summary ``c`` of ``text``: ``(hidden,)`` numbers in (−1, 1).

        For the bottleneck model this is *everything* the decoder learns about
        the sentence; the attention model starts from it and then reads the annotations.
        """
        ids, _, _ = self.prepare_source(text)
        with torch.inference_mode():
            return self.model.encode(torch.tensor([ids])).final[0].numpy()

    def teacher_forced_alignment(self, src_ids: list[int], output_ids: list[int]) -> np.ndarray | None:
        """The alignment of a teacher-forced pass over ``output_ids`` (equals the decoding rows)."""
        with torch.inference_mode():
            _, alignment = self.model(torch.tensor([src_ids]), torch.tensor([[self.config.bos_id] + output_ids[:-1]]))
        return None if alignment is None else alignment[0].numpy()

    def translate_texts(self, texts: list[str], beam_size: int = 1, batch_size: int = 64) -> list[str]:
        """Translations only (evaluation); empty lines give empty strings."""
        outputs = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if clean_text(t)]
        with torch.inference_mode():
            if beam_size > 1:
                for i in todo:
                    ids = self.prepare_source(texts[i])[0]
                    hyp = beam_search(self.model, torch.tensor([ids]), beam_size, self.default_max_len(len(ids)))
                    outputs[i] = self._text(hyp.token_ids)
                return outputs
            for start in range(0, len(todo), batch_size):
                chunk = todo[start : start + batch_size]
                rows = [self.prepare_source(texts[i])[0] for i in chunk]
                hyps = greedy_decode(self.model, self._pad(rows), [self.default_max_len(len(ids)) for ids in rows])
                for i, hyp in zip(chunk, hyps):
                    outputs[i] = self._text(hyp.token_ids)
        return outputs

    def _text(self, ids: list[int]) -> str:
        return self.target_tokenizer.decode([i for i in ids if i != self.config.eos_id])
