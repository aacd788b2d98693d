"""Hyper-parameters of an RNN encoder–decoder (the ``[model]`` table of its recipe)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import ConfigRecord

ATTENTION_KINDS = ("none", "additive")


@dataclass(frozen=True)
class RNNConfig(ConfigRecord):
    """One GRU encoder–decoder.

    Attributes:
        architecture: always ``"rnn"`` (tells a recipe or ``config.json`` apart from a Transformer's).
        attention: ``"none"`` (the decoder gets only the encoder's final state, one
            vector of ``hidden`` numbers) or ``"additive"`` (Bahdanau attention).
        emb_dim: size of the word embeddings (shared by source and target: one vocabulary).
        hidden: GRU state size, per direction in the bidirectional encoder; the
            decoder's state has this size too. Named ``d_model`` for the shared
            learning-rate schedule (``core.train.learning_rate``).
        attention_dim: width of the additive scorer's hidden layer (Bahdanau's n').
        dropout: on embeddings and on the output layer's input.
        max_positions: longest source (incl. ``</s>``) and output the model is asked to handle.
    """

    src_vocab_size: int
    tgt_vocab_size: int
    architecture: str = "rnn"
    attention: str = "additive"
    emb_dim: int = 256
    hidden: int = 256
    attention_dim: int = 256
    dropout: float = 0.2
    max_positions: int = 256
    pad_id: int = 0
    unk_id: int = 1
    bos_id: int = 2
    eos_id: int = 3

    UNKNOWN = "RNN model settings"

    def __post_init__(self) -> None:
        if self.attention not in ATTENTION_KINDS:
            raise ValueError(f"attention must be one of {ATTENTION_KINDS}, got {self.attention!r}")
        if self.architecture != "rnn":
            raise ValueError(f"an RNNConfig has architecture 'rnn', got {self.architecture!r}")

    @property
    def d_model(self) -> int:
        """The width the warm-up schedule scales by (§5.3), here the GRU state size."""
        return self.hidden

    @property
    def context_size(self) -> int:
        """Numbers in the one vector the bottleneck decoder gets (its initial state)."""
        return self.hidden


def is_rnn(model_table: dict[str, Any]) -> bool:
    """Does a recipe's ``[model]`` table (or ``config.json``'s ``model``) describe an RNN?"""
    return model_table.get("architecture") == "rnn"
