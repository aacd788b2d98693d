"""Checkpoint folders: ``config.json`` + ``model.safetensors`` + sentencepiece + ``MODEL_CARD.md``.

No pickle anywhere: weights are safetensors (a JSON header and raw tensor
bytes), the configuration is JSON. ``config.json`` also records the size and
SHA-256 of every file, so a truncated or altered file is caught on load and
named in the error, with what to do about it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .config import TransformerConfig
from .model import Transformer
from .tokenizer import Tokenizer

FORMAT = "attention-lab/1"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
CARD_FILE = "MODEL_CARD.md"


class CheckpointError(RuntimeError):
    """A checkpoint folder or one of its files is missing, damaged or mismatched."""


@dataclass
class CheckpointInfo:
    """Everything in ``config.json`` besides the model hyper-parameters.

    Attributes:
        name: folder name, e.g. ``multi30k-en-de``.
        source_language, target_language: ISO codes (``en``, ``de``, ``ko``…).
        source_tokenizer, target_tokenizer: file names inside the folder.
        metadata: free-form facts for the app: ``title``, ``quality``,
            ``examples`` (sentences to try), ``bleu``, ``toy`` …
    """

    name: str
    source_language: str
    target_language: str
    source_tokenizer: str
    target_tokenizer: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _fix_hint(folder: Path) -> str:
    name = folder.name
    return (
        f"restore it with `git checkout -- {folder}` if it is a shipped model, "
        f"or train it again with `python -m core.train --config configs/{name}.toml`"
    )


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks (weights can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_checkpoint(
    folder: str | Path,
    model: nn.Module,
    info: CheckpointInfo,
    tokenizer_files: dict[str, str | Path],
    card_text: str | None = None,
    dtype: torch.dtype = torch.float16,
) -> Path:
    """Write a complete checkpoint folder that ``load_translator`` opens.

    Args:
        folder: destination; created if needed.
        model: the trained model, a ``Transformer`` or an ``RNNSeq2Seq`` (its ``cfg`` is saved too).
        info: names, languages, tokenizer file names and metadata.
        tokenizer_files: {file name in folder: path of the sentencepiece model to copy}.
        card_text: contents of ``MODEL_CARD.md``.
        dtype: storage type of the weights (fp16 halves the size; loading
            converts back to float32).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(folder / WEIGHTS_FILE), metadata={"format": FORMAT})
    for name, src in tokenizer_files.items():
        if Path(src).resolve() != (folder / name).resolve():
            shutil.copyfile(src, folder / name)
    if card_text is not None:
        (folder / CARD_FILE).write_text(card_text, encoding="utf-8")
    files = {WEIGHTS_FILE: None, **{name: None for name in tokenizer_files}}
    config = {
        "format": FORMAT,
        "name": info.name,
        "source_language": info.source_language,
        "target_language": info.target_language,
        "tokenizer": {"source": info.source_tokenizer, "target": info.target_tokenizer},
        "model": model.cfg.to_dict(),
        "files": {
            name: {"bytes": (folder / name).stat().st_size, "sha256": file_sha256(folder / name)}
            for name in files
        },
        "metadata": info.metadata,
    }
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def read_config(folder: str | Path) -> dict[str, Any]:
    """Parse ``config.json``; errors name the file and the fix."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(f"checkpoint folder {folder} does not exist: {_fix_hint(folder)}")
    path = folder / CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} is missing: {_fix_hint(folder)}")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"checkpoint {path} is not valid JSON ({exc}): {_fix_hint(folder)}") from None
    for key in ("format", "model", "tokenizer", "files"):
        if key not in config:
            raise CheckpointError(f"checkpoint {path} has no '{key}' entry: {_fix_hint(folder)}")
    if config["format"] != FORMAT:
        raise CheckpointError(
            f"checkpoint {path} has format {config['format']!r}, expected {FORMAT!r}: {_fix_hint(folder)}"
        )
    return config


def verify_files(folder: Path, config: dict[str, Any]) -> None:
    """Check that every file listed in ``config.json`` exists with its recorded size and hash."""
    for name, facts in config["files"].items():
        path = folder / name
        if not path.is_file():
            raise CheckpointError(f"checkpoint {path} is missing: {_fix_hint(folder)}")
        size = path.stat().st_size
        if size != facts["bytes"]:
            kind = "truncated" if size < facts["bytes"] else "larger than recorded"
            raise CheckpointError(
                f"checkpoint {path} is {kind} ({size} bytes, expected {facts['bytes']}): {_fix_hint(folder)}"
            )
        if file_sha256(path) != facts["sha256"]:
            raise CheckpointError(
                f"checkpoint {path} is corrupted (its SHA-256 does not match config.json): {_fix_hint(folder)}"
            )


def build_transformer(model_entry: dict[str, Any]) -> Transformer:
    """An untrained ``Transformer`` for ``config.json``'s ``model`` entry.

    Raises:
        CheckpointError: the entry describes an RNN (``"architecture": "rnn"``),
            which ``core.seq2seq.load_rnn_translator`` opens.
    """
    if model_entry.get("architecture") == "rnn":
        raise CheckpointError("it holds an RNN encoder–decoder, not a Transformer: open it with core.seq2seq.load_rnn_translator")
    return Transformer(TransformerConfig.from_dict(model_entry))


def load_checkpoint(
    folder: str | Path, verify: bool = True, build: Callable[[dict[str, Any]], nn.Module] = build_transformer
) -> tuple[nn.Module, Tokenizer, Tokenizer, CheckpointInfo]:
    """Open a checkpoint folder.

    Args:
        build: makes the untrained model from ``config.json``'s ``model`` entry
            (a Transformer; ``core.seq2seq`` passes its RNN builder).

    Returns:
        ``(model, source_tokenizer, target_tokenizer, info)``; the model is in
        eval mode, float32, on the CPU.

    Raises:
        CheckpointError: naming the missing, damaged or mismatched file.
    """
    folder = Path(folder)
    config = read_config(folder)
    if verify:
        verify_files(folder, config)
    try:
        model = build(config["model"])
    except CheckpointError as exc:
        raise CheckpointError(f"checkpoint {folder}: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"checkpoint {folder / CONFIG_FILE} has an invalid model entry ({exc}): {_fix_hint(folder)}") from None
    cfg = model.cfg

    weights_path = folder / WEIGHTS_FILE
    if not weights_path.is_file():
        raise CheckpointError(f"checkpoint {weights_path} is missing: {_fix_hint(folder)}")
    try:
        state = load_file(str(weights_path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"checkpoint {weights_path} cannot be read ({exc}): {_fix_hint(folder)}") from None

    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong_shape = sorted(k for k in set(expected) & set(state) if expected[k].shape != state[k].shape)
    if missing or unexpected or wrong_shape:
        details = "; ".join(
            part
            for part in (
                f"missing tensors {missing[:3]}" if missing else "",
                f"unexpected tensors {unexpected[:3]}" if unexpected else "",
                f"shape mismatch in {wrong_shape[:3]}" if wrong_shape else "",
            )
            if part
        )
        raise CheckpointError(
            f"checkpoint {weights_path} does not match {folder / CONFIG_FILE} ({details}): {_fix_hint(folder)}"
        )
    model.load_state_dict({k: v.float() for k, v in state.items()})
    model.eval()

    tokenizers = []
    for role in ("source", "target"):
        path = folder / config["tokenizer"][role]
        if not path.is_file():
            raise CheckpointError(f"checkpoint {path} is missing: {_fix_hint(folder)}")
        try:
            tok = Tokenizer(path)
        except (RuntimeError, OSError) as exc:
            raise CheckpointError(f"checkpoint {path} is not a sentencepiece model ({exc}): {_fix_hint(folder)}") from None
        vocab = cfg.src_vocab_size if role == "source" else cfg.tgt_vocab_size
        if tok.vocab_size != vocab:
            raise CheckpointError(
                f"checkpoint {path} has {tok.vocab_size} pieces but the model expects {vocab}: {_fix_hint(folder)}"
            )
        tokenizers.append(tok)

    info = CheckpointInfo(
        name=config.get("name", folder.name),
        source_language=config.get("source_language", "?"),
        target_language=config.get("target_language", "?"),
        source_tokenizer=config["tokenizer"]["source"],
        target_tokenizer=config["tokenizer"]["target"],
        metadata=config.get("metadata", {}),
    )
    return model, tokenizers[0], tokenizers[1], info
