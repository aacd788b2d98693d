"""``load_translator``: open any model folder the app can show.

* our Transformer checkpoints (``config.json`` with ``"format": "attention-lab/1"``),
  written by ``core.train``;
* Hugging Face encoder–decoder folders (``config.json`` with ``model_type``),
  written by ``save_pretrained`` or ``hf download`` (``huggingface-cli download`` before huggingface_hub 1.0) (``core.hf``).

Our RNN models (``core.seq2seq``) are opened by ``load_rnn_translator``; they
have no Transformer attention to show in the explorer.
"""

from __future__ import annotations

from pathlib import Path

from .hf import is_hf_folder, load_hf_translator
from .translator import Translator, load_transformer_translator


def load_translator(folder: str | Path, verify: bool = True) -> Translator:
    """Open ``pretrained/<name>``, a checkpoint folder, or a Hugging Face folder as a ``Translator``.

    Args:
        verify: check our checkpoints' recorded file sizes and SHA-256 (Hugging
            Face folders record none).

    Raises:
        CheckpointError: when a file is missing, truncated or mismatched, or the
            folder cannot be opened; the message names the file and the fix.
    """
    if is_hf_folder(folder):
        return load_hf_translator(folder)
    return load_transformer_translator(folder, verify=verify)
