"""Process-wide caches: models are loaded once, translations computed once.

* ``get_translator`` — one ``Translator`` per model per process
  (``st.cache_resource``), shared by every session. It keeps no per-request
  state, so concurrent sessions are safe.
* ``get_translation`` — one ``TranslationResult`` per (model, sentence,
  decoding settings), also shared and never mutated: switching layer, head,
  tab or a display option only re-draws from it.

Models are read from ``pretrained/``, or from the folder named by the
environment variable ``ATTENTION_LAB_PRETRAINED`` (a deployment's model
volume, or a test's temporary folder).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.result_cache import ByteBudgetLRU
from core import CheckpointError, TranslationResult, Translator, load_translator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PRETRAINED = PROJECT_ROOT / "pretrained"
PRETRAINED_ENV = "ATTENTION_LAB_PRETRAINED"
MODEL_ORDER = ["multi30k-en-de", "multi30k-en-fr", "tatoeba-ko-en", "toy-reverse"]


@dataclass(frozen=True)
class ModelEntry:
    """What the model picker shows, read from ``config.json`` without loading weights."""

    name: str
    title: str
    source_language: str
    target_language: str
    quality: str
    toy: bool
    examples: tuple[str, ...]


def pretrained_dir() -> Path:
    """The model folder: ``$ATTENTION_LAB_PRETRAINED`` if set, else ``pretrained/``."""
    return Path(os.environ.get(PRETRAINED_ENV) or PRETRAINED)


def list_models(folder: str | None = None) -> list[ModelEntry]:
    """Shipped models, best-known first; folders without a readable config are skipped."""
    return _list_models(folder or str(pretrained_dir()))


@st.cache_data(ttl=60, show_spinner=False)
def _list_models(folder: str) -> list[ModelEntry]:
    entries = []
    for path in sorted(Path(folder).glob("*/config.json")):
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        meta = config.get("metadata", {})
        entries.append(
            ModelEntry(
                name=path.parent.name,
                title=meta.get("title", path.parent.name),
                source_language=config.get("source_language", "?"),
                target_language=config.get("target_language", "?"),
                quality=meta.get("quality", ""),
                toy=bool(meta.get("toy")),
                examples=tuple(meta.get("examples", [])),
            )
        )
    order = {name: i for i, name in enumerate(MODEL_ORDER)}
    return sorted(entries, key=lambda e: (order.get(e.name, len(order)), e.name))


def get_translator(name: str) -> Translator:
    """Load ``pretrained/<name>`` once per process (per folder). Raises ``CheckpointError``."""
    return _load_translator(str(pretrained_dir() / name))


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_translator(path: str) -> Translator:
    return load_translator(path)


TRANSLATION_CACHE_MB = int(os.environ.get("ATTENTION_LAB_CACHE_MB", "200"))


def result_nbytes(res: TranslationResult) -> int:
    """Memory held by a result: its attention arrays (the per-step rows are views of them) plus a little."""
    arrays = (res.attention.encoder_self, res.attention.decoder_self, res.attention.cross)
    return sum(a.nbytes for a in arrays) + 2048 * (len(res.steps) + 1)


@st.cache_resource(show_spinner=False)
def _translation_cache() -> ByteBudgetLRU[TranslationResult]:
    """One cache per process, shared by every session (``ATTENTION_LAB_CACHE_MB``, default 200)."""
    return ByteBudgetLRU(TRANSLATION_CACHE_MB * 2**20, result_nbytes)


def get_translation(name: str, text: str, beam_size: int, max_len: int | None = None) -> TranslationResult:
    """Translate once per (model folder, text, beam size, max length); shared read-only.

    Raises ``ValueError`` for text with nothing to translate (not cached).
    """
    key = (str(pretrained_dir() / name), text, beam_size, max_len)
    return _translation_cache().get_or_compute(
        key, lambda: get_translator(name).translate(text, beam_size=beam_size, max_len=max_len)
    )


def model_error(name: str) -> str | None:
    """``None`` if the model loads, else the ``CheckpointError`` message (names the file and the fix)."""
    try:
        get_translator(name)
    except CheckpointError as exc:
        return str(exc)
    return None
