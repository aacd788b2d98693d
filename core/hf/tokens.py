"""A Hugging Face tokenizer seen through ``core.tokenizer.Tokenizer``'s interface.

The views label every axis with pieces the way our own tokenizer does: a piece
that starts a word is shown bare (``man``), a piece that continues a word with
``##`` (``##ing``), special tokens as they are (``</s>``, ``__en__``, ``de_DE``).

Two piece conventions exist among the supported models:

* sentencepiece (Marian, T5, mBART, M2M-100, NLLB): ``▁`` (U+2581) marks the
  start of a word, exactly like ours;
* byte-level BPE (BART): ``Ġ`` marks a leading space, and every other byte
  is mapped to a printable character, so ``ß`` is stored as ``ÃŁ``. Labels
  decode each piece back to text; a piece holding only part of a multi-byte
  character keeps its raw form rather than showing ``�``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from ..tokenizer import CONTINUATION_PREFIX, WORD_START, clean_text

BYTE_SPACE = "\u0120"  # Ġ: byte-level BPE's leading space


class HFTokens:
    """Encode, decode and label pieces of one side (source or target) of a Hugging Face model.

    A ``transformers`` tokenizer is stateful: encoding with ``text_target``
    switches it to the target language (Marian's target sentencepiece model,
    mBART's and M2M-100's target language code) and back. So each side holds
    its own tokenizer object (the loader passes a copy for the target side),
    and calls into it are serialised by a lock: many sessions share one.

    Args:
        tokenizer: the ``transformers`` tokenizer of the folder (this side's own copy).
        side: ``"source"`` or ``"target"`` (the target side encodes with ``text_target``).
        prefix: text put before every source sentence (a T5 task prefix), else ``""``.
    """

    def __init__(self, tokenizer: Any, side: str, prefix: str = "") -> None:
        self.hf = tokenizer
        self._lock = threading.Lock()
        self.side = side
        self.prefix = prefix if side == "source" else ""
        self.pad_id = tokenizer.pad_token_id
        self.unk_id = tokenizer.unk_token_id
        self.eos_id = tokenizer.eos_token_id
        self.bos_id = tokenizer.bos_token_id
        language_codes = getattr(tokenizer, "lang_token_to_id", None) or {}  # M2M-100 keeps its codes apart
        self.special_ids = frozenset(int(i) for i in [*tokenizer.all_special_ids, *language_codes.values()])
        self.byte_level = any(BYTE_SPACE in p for p in tokenizer.convert_ids_to_tokens(list(range(min(len(tokenizer), 2000)))))
        self._labels: dict[int, str] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.hf)

    # ------------------------------------------------------------ encoding
    def encode_with_specials(self, text: str) -> list[int]:
        """What the model reads for ``text``, with the tokenizer's own special tokens
        (``</s>``; BART's ``<s>``; mBART/M2M-100 language codes)."""
        text = clean_text(text)
        with self._lock:
            if self.side == "source":
                return list(self.hf(self.prefix + text, add_special_tokens=True)["input_ids"])
            return list(self.hf(text_target=text, add_special_tokens=True)["input_ids"])

    def encode_labeled_with_specials(self, text: str) -> tuple[list[int], list[str]]:
        """``encode_with_specials`` plus labels; where the tokenizer can say which characters
        a piece came from (a "fast" tokenizer's offsets), ``<unk>`` is labelled with them, as ours is."""
        ids = self.encode_with_specials(text)
        labels = self.labels(ids)
        if self.unk_id in ids and getattr(self.hf, "is_fast", False) and self.side == "source":
            full = self.prefix + clean_text(text)
            with self._lock:
                offsets = self.hf(full, add_special_tokens=True, return_offsets_mapping=True)["offset_mapping"]
            for i, (token_id, (start, end)) in enumerate(zip(ids, offsets)):
                if token_id == self.unk_id and end > start:
                    labels[i] = full[start:end].strip() or labels[i]
        return ids, labels

    def encode(self, text: str) -> list[int]:
        """Text → piece ids without special tokens (the length a lesson counts)."""
        return [i for i in self.encode_with_specials(text) if i not in self.special_ids]

    def encode_labeled(self, text: str) -> tuple[list[int], list[str]]:
        ids = self.encode(text)
        return ids, self.labels(ids)

    def decode(self, ids: Sequence[int]) -> str:
        """Piece ids → text; special tokens (``</s>``, language codes) are dropped."""
        kept = [int(i) for i in ids if int(i) not in self.special_ids and int(i) < self.vocab_size]
        with self._lock:
            return self.hf.decode(kept, skip_special_tokens=True, clean_up_tokenization_spaces=False).strip()

    # ------------------------------------------------------------ labels
    def piece(self, token_id: int) -> str:
        """The piece of ``token_id``; ``<id N>`` for ids the model has but the tokenizer does not
        (t5-small's output layer has 32,128 rows for 32,100 pieces)."""
        piece = self.hf.convert_ids_to_tokens(int(token_id))
        return piece if isinstance(piece, str) else f"<id {int(token_id)}>"

    def is_special(self, token_id: int) -> bool:
        """Tokens the tokenizer adds around the text: ``<pad>``, ``<s>``, ``</s>``, language codes.
        (``<unk>`` stands for real characters, so it is not special, as in ours.)"""
        token_id = int(token_id)
        return token_id in self.special_ids and token_id != self.unk_id

    def starts_word(self, token_id: int) -> bool:
        piece = self.piece(token_id)
        return self.is_special(token_id) or piece.startswith(WORD_START) or piece.startswith(BYTE_SPACE)

    def label(self, token_id: int) -> str:
        token_id = int(token_id)
        cached = self._labels.get(token_id)
        if cached is None:
            cached = self._labels[token_id] = self._make_label(token_id)
        return cached

    def _make_label(self, token_id: int) -> str:
        piece = self.piece(token_id)
        if self.is_special(token_id) or token_id == self.unk_id or token_id >= self.vocab_size:
            return piece
        if self.byte_level:
            text = self.hf.convert_tokens_to_string([piece])
            if not text.strip():  # a lone space (Ġ) or other whitespace piece
                return WORD_START
            shown = piece if "\ufffd" in text else text.strip()
            return shown if piece.startswith(BYTE_SPACE) else CONTINUATION_PREFIX + shown
        if piece.startswith(WORD_START):
            return piece[1:] or WORD_START
        return CONTINUATION_PREFIX + piece

    def labels(self, ids: Sequence[int]) -> list[str]:
        """Labels of a sequence. In byte-level BPE the first word of a text has no
        ``Ġ`` (no space before it), so a piece at the start or right after a special
        token starts a word even without it."""
        out = [self.label(i) for i in ids]
        if self.byte_level:
            for i, label in enumerate(out):
                if label.startswith(CONTINUATION_PREFIX) and (i == 0 or self.is_special(ids[i - 1])):
                    out[i] = label[len(CONTINUATION_PREFIX):]
        return out

    def word_spans(self, ids: Sequence[int]) -> list[tuple[int, int]]:
        """Pieces grouped into words ``[(start, end), …]``; each special token is a word of its own."""
        spans: list[tuple[int, int]] = []
        start = 0
        for i, token_id in enumerate(ids):
            if i > 0 and (self.starts_word(token_id) or self.is_special(ids[i - 1])):
                spans.append((start, i))
                start = i
        if ids:
            spans.append((start, len(ids)))
        return spans
