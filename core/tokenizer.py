"""Subword tokenizer: a thin, typed wrapper around sentencepiece.

The paper encodes sentences with byte-pair encoding and a shared
source–target vocabulary (§5.1). Sentencepiece does the same directly on raw
text: a piece that begins a word carries the marker ``▁`` (U+2581), so
"▁rid" + "ing" is the word "riding".

Ids 0–3 are reserved: ``<pad>`` 0, ``<unk>`` 1, ``<s>`` 2, ``</s>`` 3.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import sentencepiece as spm

WORD_START = "\u2581"  # ▁
CONTINUATION_PREFIX = "##"  # shown before a piece that continues the previous word
SPECIAL_LABELS = {0: "<pad>", 1: "<unk>", 2: "<s>", 3: "</s>"}
STRUCTURAL_IDS = {0, 2, 3}  # <pad>, <s>, </s>: positions that are not part of the text


def clean_text(text: str) -> str:
    """Make typed text safe to tokenize without changing what it says.

    Control characters (NUL, escape, …) become spaces, runs of whitespace
    collapse to one space. Zero-width joiners, emoji, right-to-left text and
    every script are kept as they are.
    """
    chars = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat in ("Zl", "Zp"):
            chars.append(" ")
        else:
            chars.append(ch)
    return " ".join("".join(chars).split())


class Tokenizer:
    """Encode text to ids, decode ids to text, and label pieces for display."""

    def __init__(self, model_path: str | Path) -> None:
        self.model_path = Path(model_path)
        self.sp = spm.SentencePieceProcessor(model_file=str(self.model_path))
        self.pad_id = self.sp.pad_id()
        self.unk_id = self.sp.unk_id()
        self.bos_id = self.sp.bos_id()
        self.eos_id = self.sp.eos_id()

    @staticmethod
    def train(
        input_files: Sequence[str | Path],
        model_prefix: str | Path,
        vocab_size: int,
        model_type: str = "bpe",
        character_coverage: float = 1.0,
        input_sentence_size: int = 0,
    ) -> Path:
        """Train a sentencepiece model on plain-text files (one sentence per line).

        Returns the path of the written ``<model_prefix>.model``.
        """
        spm.SentencePieceTrainer.train(
            input=",".join(str(f) for f in input_files),
            model_prefix=str(model_prefix),
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=character_coverage,
            pad_id=0,
            unk_id=1,
            bos_id=2,
            eos_id=3,
            input_sentence_size=input_sentence_size,
            shuffle_input_sentence=True,
            hard_vocab_limit=False,
            minloglevel=2,
        )
        return Path(f"{model_prefix}.model")

    @property
    def vocab_size(self) -> int:
        return self.sp.get_piece_size()

    def encode(self, text: str) -> list[int]:
        """Text → piece ids (no ``<s>``/``</s>`` added)."""
        return self.sp.encode(clean_text(text), out_type=int)

    def decode(self, ids: Sequence[int]) -> str:
        """Piece ids → detokenized text; special ids are dropped."""
        return self.sp.decode([i for i in ids if i not in SPECIAL_LABELS])

    def encode_labeled(self, text: str) -> tuple[list[int], list[str]]:
        """Ids plus display labels; an unknown piece (``<unk>``, e.g. an emoji
        the vocabulary never saw) is labelled with the characters it stands for."""
        proto = self.sp.encode(clean_text(text), return_type="proto")
        ids, labels = [], []
        for p in proto.pieces:
            ids.append(p.id)
            if p.id == self.unk_id:
                starts_word = p.surface[:1].isspace() or not labels
                labels.append(p.surface.strip() if starts_word else CONTINUATION_PREFIX + p.surface)
            else:
                labels.append(self.label(p.id))
        return ids, labels

    def piece(self, token_id: int) -> str:
        return self.sp.id_to_piece(int(token_id))

    def is_special(self, token_id: int) -> bool:
        """``<pad>``, ``<s>`` and ``</s>``: positions added around the text.
        (``<unk>`` stands for real characters, so it is not special.)"""
        return int(token_id) in STRUCTURAL_IDS

    def label(self, token_id: int) -> str:
        """Display label of one piece.

        ``▁man`` → ``man`` (starts a word); ``ing`` → ``##ing`` (continues the
        previous word); ``▁`` alone → ``▁``; specials → ``<s>``, ``</s>``, …
        """
        token_id = int(token_id)
        table = self._label_table
        return table[token_id] if 0 <= token_id < len(table) else self._make_label(token_id)

    def _make_label(self, token_id: int) -> str:
        if token_id in SPECIAL_LABELS:
            return SPECIAL_LABELS[token_id]
        piece = self.sp.id_to_piece(token_id)
        if piece.startswith(WORD_START):
            return piece[1:] or WORD_START
        return CONTINUATION_PREFIX + piece

    @cached_property
    def _label_table(self) -> tuple[str, ...]:
        """The label of every id, computed once: a result labels ~120 pieces (its
        tokens and every step's top 5), which took most of its assembly time."""
        return tuple(self._make_label(i) for i in range(self.vocab_size))

    @cached_property
    def _starts_word_table(self) -> tuple[bool, ...]:
        """For every id, whether its piece begins with ``▁`` (starts a word), computed once."""
        return tuple(self.sp.id_to_piece(i).startswith(WORD_START) for i in range(self.vocab_size))

    def _starts_word(self, token_id: int) -> bool:
        table = self._starts_word_table
        if 0 <= token_id < len(table):
            return table[token_id]
        return self.sp.id_to_piece(token_id).startswith(WORD_START)

    def labels(self, ids: Sequence[int]) -> list[str]:
        """Labels of a sequence of pieces (here each piece's label alone: see ``label``)."""
        return [self.label(i) for i in ids]

    def word_spans(self, ids: Sequence[int]) -> list[tuple[int, int]]:
        """Group pieces into words: ``[(start, end), …]`` with ``end`` exclusive.

        A new word starts at every piece with ``▁`` and at every special
        token (each special is a word of its own).
        """
        spans: list[tuple[int, int]] = []
        start = 0
        for i, token_id in enumerate(ids):
            token_id = int(token_id)
            starts_word = token_id in STRUCTURAL_IDS or self._starts_word(token_id)
            if i > 0 and (starts_word or int(ids[i - 1]) in STRUCTURAL_IDS):
                spans.append((start, i))
                start = i
        if len(ids):
            spans.append((start, len(ids)))
        return spans
