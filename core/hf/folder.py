"""Recognise a Hugging Face model folder and read what Attention Lab needs from it.

A folder written by ``save_pretrained`` (or fetched with ``hf download …
--local-dir``; ``huggingface-cli download`` in older huggingface_hub) holds a ``config.json`` whose ``model_type`` names
the architecture, the weights (``model.safetensors`` or
``pytorch_model.bin``) and the tokenizer files. Our own checkpoints also have
a ``config.json``, but theirs starts with ``"format": "attention-lab/1"``;
that is how the two are told apart.

Nothing here imports ``transformers``: the app lists (or hides) these folders
without loading the library.

An optional sidecar ``attention-lab.json`` next to ``config.json`` says what
the folder itself cannot, and a user can edit it::

    {
      "title": "opus-mt ko→en (Helsinki-NLP)",
      "source_language": "ko", "target_language": "en",
      "src_lang": "en_XX", "tgt_lang": "de_DE",       # mBART codes; M2M-100 "en"/"de"; NLLB "eng_Latn"
      "source_prefix": "translate English to German: ",  # T5 task prefix
      "publisher": "Helsinki-NLP",
      "examples": ["…"]
    }
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIDECAR_FILE = "attention-lab.json"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json")
TRANSFORMERS_PIN = "transformers==5.18.0"

# model_type → family. The families share an attention layout: "bart" =
# q_proj/k_proj/v_proj/out_proj scaled by 1/√d_k (Marian, BART, mBART,
# M2M-100, NLLB); "t5" = q/k/v/o without scaling plus a relative-position bias.
SUPPORTED_MODEL_TYPES = {
    "marian": "bart",
    "bart": "bart",
    "mbart": "bart",
    "m2m_100": "bart",
    "t5": "t5",
    "mt5": "t5",
}


class HFFolderError(RuntimeError):
    """A Hugging Face folder is incomplete, unsupported, or ``transformers`` is missing."""


_TRANSFORMERS_FOUND = False  # once found, it stays importable for the life of the process


def transformers_available() -> bool:
    """``True`` if ``transformers`` can be imported (without importing it).

    The app asks on every script run; ``find_spec`` walks ``sys.path`` each time
    (about 4 ms of a 90 ms run, measured with py-spy), so a positive answer is
    remembered. A negative one is not: installing ``transformers`` while the app
    runs is noticed on the next run.
    """
    global _TRANSFORMERS_FOUND
    if _TRANSFORMERS_FOUND:
        return True
    try:
        _TRANSFORMERS_FOUND = importlib.util.find_spec("transformers") is not None
    except (ImportError, ValueError):  # blocked (sys.modules entry None) or a broken install
        return False
    return _TRANSFORMERS_FOUND


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; ``{}`` if the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HFFolderError(f"{path} cannot be read ({exc}): fix or delete it") from None
    if not isinstance(data, dict):
        raise HFFolderError(f"{path} is not a JSON object: fix or delete it")
    return data


def is_hf_folder(folder: str | Path) -> bool:
    """``True`` if ``folder/config.json`` is a Hugging Face config (has ``model_type``, not our format)."""
    try:
        config = read_json(Path(folder) / "config.json")
    except HFFolderError:
        return False
    return "model_type" in config and "format" not in config


_PAIR = re.compile(r"(?:^|[-_])([a-z]{2,3})-([a-z]{2,3})$")


def guess_languages(name: str) -> tuple[str, str]:
    """Languages from a folder name such as ``opus-mt-ko-en`` → ``("ko", "en")``; ``("?", "?")`` if none."""
    match = _PAIR.search(name.lower())
    return (match.group(1), match.group(2)) if match else ("?", "?")


@dataclass(frozen=True)
class HFFolder:
    """What the picker and the loader read from a Hugging Face folder, weights not loaded.

    Attributes:
        folder: the folder.
        model_type: ``config.json``'s ``model_type`` (``marian``, ``t5`` …).
        family: ``"bart"`` or ``"t5"`` (see ``SUPPORTED_MODEL_TYPES``).
        config: the parsed ``config.json``.
        sidecar: the parsed ``attention-lab.json`` (``{}`` if absent).
    """

    folder: Path
    model_type: str
    family: str
    config: dict[str, Any] = field(repr=False)
    sidecar: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def languages(self) -> tuple[str, str]:
        guessed = guess_languages(self.name)
        return (
            str(self.sidecar.get("source_language") or guessed[0]),
            str(self.sidecar.get("target_language") or guessed[1]),
        )

    @property
    def publisher(self) -> str:
        """Who trained it: the sidecar's ``publisher``, else the hub owner in ``_name_or_path``."""
        if self.sidecar.get("publisher"):
            return str(self.sidecar["publisher"])
        origin = str(self.config.get("_name_or_path") or "")
        return origin.split("/")[0] if "/" in origin else ""

    def parameter_count(self) -> int | None:
        """Parameters, read from the safetensors header (shapes only, no weights loaded); ``None`` without one.

        Counted as the library counts ``model.parameters()``: Marian's
        ``final_logits_bias`` is a buffer and left out, and its two fixed sinusoid
        tables are parameters there but are not saved (they are recomputed on load),
        so they are added."""
        files = [self.folder / "model.safetensors"]
        index = self.folder / "model.safetensors.index.json"
        if index.is_file():  # a sharded download: the index names the shards
            files = [self.folder / shard for shard in sorted(set(read_json(index).get("weight_map", {}).values()))]
        if not files or not all(f.is_file() for f in files):
            return None  # pytorch_model.bin only: its shapes cannot be read without unpickling it
        from safetensors import safe_open

        total, names = 0, set()
        for path in files:
            with safe_open(str(path), framework="pt") as fh:
                for name in fh.keys():
                    names.add(name)
                    if "final_logits_bias" in name:
                        continue
                    count = 1
                    for size in fh.get_slice(name).get_shape():
                        count *= size
                    total += count
        if self.model_type == "marian" and not any("embed_positions" in n for n in names):
            total += 2 * int(self.config.get("max_position_embeddings", 0)) * int(self.config.get("d_model", 0))
        return total

    def card(self) -> dict[str, str]:
        """The model card the picker shows, from ``config.json`` (keys are ``model.card.<key>`` strings)."""
        c = self.config
        if self.family == "t5":
            layers = f"{c.get('num_layers')} + {c.get('num_decoder_layers') or c.get('num_layers')}"
            heads, d_ff = c.get("num_heads"), c.get("d_ff")
        else:
            layers = f"{c.get('encoder_layers')} + {c.get('decoder_layers')}"
            heads, d_ff = c.get("encoder_attention_heads"), c.get("encoder_ffn_dim")
        params = self.parameter_count()
        src, tgt = self.languages
        return {
            "architecture": self.model_type,
            "layers": layers,
            "heads": str(heads),
            "d_model": str(c.get("d_model")),
            "d_ff": str(d_ff),
            "parameters": "—" if params is None else (f"{params / 1e6:.1f} M" if params >= 1e6 else f"{params / 1e3:.1f} K"),
            "languages": f"{src} → {tgt}",
            "origin": str(c.get("_name_or_path") or self.folder),
        }

    def fingerprint(self) -> str:
        """SHA-256 over ``config.json``, the sidecar and every file's name, size and mtime.

        A Hugging Face ``config.json`` does not hash the weights, so a
        re-downloaded model must change the fingerprint through the files
        themselves (hashing 300 MB on every page view would be too slow).
        """
        digest = hashlib.sha256()
        for path in sorted(p for p in self.folder.iterdir() if p.is_file()):
            stat = path.stat()
            digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            if path.name in ("config.json", SIDECAR_FILE):
                digest.update(path.read_bytes())
        return digest.hexdigest()


def open_hf_folder(folder: str | Path) -> HFFolder:
    """Read ``config.json`` and the sidecar; check the architecture and that weights exist.

    Raises:
        HFFolderError: naming the missing file or the unsupported ``model_type`` and what to do.
    """
    folder = Path(folder)
    config = read_json(folder / "config.json")
    model_type = str(config.get("model_type", ""))
    if model_type not in SUPPORTED_MODEL_TYPES:
        supported = ", ".join(sorted(SUPPORTED_MODEL_TYPES))
        raise HFFolderError(
            f"{folder / 'config.json'} has model_type {model_type!r}; Attention Lab opens the encoder–decoder "
            f"translation architectures {supported}"
        )
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        raise HFFolderError(
            f"{folder} has no weights ({' or '.join(WEIGHT_FILES[:2])}): download the model again, e.g. "
            f"`hf download <owner>/{folder.name} --local-dir {folder}`"
        )
    return HFFolder(folder, model_type, SUPPORTED_MODEL_TYPES[model_type], config, read_json(folder / SIDECAR_FILE))
