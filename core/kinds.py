"""The three kinds of attention in the encoder–decoder Transformer (§3.2.3).

"The Transformer uses multi-head attention in three different ways":

==================  ===========================  ===========================  =========
kind                queries (rows) come from     keys/values (columns) from   mask
==================  ===========================  ===========================  =========
``encoder_self``    source positions             source positions             padding
``decoder_self``    target (decoder input)       target (decoder input)       padding + look-ahead
``cross``           target (decoder input)       source (encoder output)      padding
==================  ===========================  ===========================  =========

Every part of the project that needs "which tokens label the rows and columns
of this map" (the explorer, the export's CSV, ``trace_layer``, the masks
lesson) asks ``attention_kind(name)`` instead of keeping its own table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["source", "target"]


@dataclass(frozen=True)
class AttentionKind:
    """One way the model uses attention.

    Attributes:
        name: the code used everywhere (``AttentionArrays.get``, URLs, file names).
        query_side: whose positions are the queries (rows).
        key_side: whose positions are the keys and values (columns).
        section: where the paper describes it.
        look_ahead: whether the look-ahead (causal) mask applies (§3.2.3).
    """

    name: str
    query_side: Side
    key_side: Side
    section: str
    look_ahead: bool


ENCODER_SELF = AttentionKind("encoder_self", "source", "source", "§3.2.3", look_ahead=False)
DECODER_SELF = AttentionKind("decoder_self", "target", "target", "§3.2.3", look_ahead=True)
CROSS = AttentionKind("cross", "target", "source", "§3.2.3", look_ahead=False)

ATTENTION_KINDS: tuple[AttentionKind, ...] = (ENCODER_SELF, DECODER_SELF, CROSS)
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in ATTENTION_KINDS)


def attention_kind(name: str) -> AttentionKind:
    """The kind called ``name``; ``ValueError`` names the valid ones otherwise."""
    for kind in ATTENTION_KINDS:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown attention kind {name!r}; expected one of {KIND_NAMES}")
