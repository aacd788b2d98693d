"""RNN checkpoint folders: the same files and checks as the Transformer's (``core.checkpoint``;
``core.checkpoint.save_checkpoint`` writes both kinds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..checkpoint import CheckpointError, load_checkpoint
from .config import RNNConfig
from .model import RNNSeq2Seq
from .translator import RNNTranslator

def load_rnn_translator(folder: str | Path, verify: bool = True) -> RNNTranslator:
    """Open an RNN checkpoint folder (``pretrained/seq2seq/<name>``).

    Raises:
        CheckpointError: a file is missing or damaged, or the folder holds a Transformer.
    """
    folder = Path(folder)
    model, src_tok, tgt_tok, info = load_checkpoint(folder, verify=verify, build=build_rnn)
    return RNNTranslator(model, src_tok, tgt_tok, info, folder)


def build_rnn(model_entry: dict[str, Any]) -> RNNSeq2Seq:
    """An untrained RNN for ``config.json``'s ``model`` entry (``CheckpointError`` for a Transformer's)."""
    if model_entry.get("architecture") != "rnn":
        raise CheckpointError("it holds a Transformer, not an RNN: open it with core.load_translator")
    return RNNSeq2Seq(RNNConfig.from_dict(model_entry))

