"""The models the app offers, and one loaded ``Translator`` per model per process.

* ``list_models`` reads every ``<folder>/config.json`` under the model folder
  (``pretrained/``, or ``$ATTENTION_LAB_PRETRAINED`` for a deployment's model
  volume or a test's temporary folder) without loading weights. A folder whose
  ``config.json`` cannot be read is listed too, with the reason, so the page
  can say what is wrong instead of the model silently disappearing.
* ``get_translator`` loads a model once per process (``st.cache_resource``)
  and shares it with every session: a ``Translator`` keeps no per-request
  state, so concurrent sessions are safe.

Identity: a model is its folder *and* its content. ``ModelEntry.fingerprint``
is the SHA-256 of its ``config.json``, which itself holds the size and
SHA-256 of every file of the checkpoint; every cache (translator,
translations, inspections, traces) is keyed on it, so re-exporting a model
while the app runs is never answered from the old weights.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core import CheckpointError, Translator, load_translator

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRETRAINED = PROJECT_ROOT / "pretrained"
PRETRAINED_ENV = "ATTENTION_LAB_PRETRAINED"
MODEL_ORDER = ["multi30k-en-de", "multi30k-en-fr", "ko-en", "en-ko", "tatoeba-ko-en", "toy-reverse"]


@dataclass(frozen=True)
class ModelEntry:
    """What the model picker shows, read from ``config.json`` without loading weights.

    Attributes:
        name: the folder name (also the ``?model=`` value of a link).
        folder: the checkpoint folder.
        fingerprint: SHA-256 of ``config.json`` (changes when any file is re-exported).
        error: why the folder cannot be used (unreadable ``config.json``), else ``None``.
    """

    name: str
    folder: str
    fingerprint: str
    title: str
    source_language: str
    target_language: str
    quality: str
    toy: bool
    examples: tuple[str, ...]
    error: str | None = None
    score: tuple[str, float] | None = None  # (metric, value) of its first test set, beam search if measured


def pretrained_dir() -> Path:
    """The model folder: ``$ATTENTION_LAB_PRETRAINED`` if set, else ``pretrained/``."""
    return Path(os.environ.get(PRETRAINED_ENV) or PRETRAINED)


def list_models(folder: str | None = None) -> list[ModelEntry]:
    """Every model folder, best-known first; unreadable ones carry their ``error``."""
    return _list_models(folder or str(pretrained_dir()))


def refresh_models() -> None:
    """Forget the cached model list (it is otherwise re-read at most every 60 s)."""
    _list_models.clear()


def read_entry(config_path: Path) -> ModelEntry:
    """One folder's entry; an unreadable or malformed ``config.json`` gives an entry with ``error`` set."""
    folder = config_path.parent
    try:
        raw = config_path.read_bytes()
        config = json.loads(raw.decode("utf-8"))
        if not isinstance(config, dict):
            raise ValueError("it is not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = f"{config_path} cannot be read ({exc}): restore it with `git checkout -- {folder}` or re-export the model"
        return ModelEntry(folder.name, str(folder), "", folder.name, "?", "?", "", False, (), error=reason)
    meta = config.get("metadata") or {}
    return ModelEntry(
        name=folder.name,
        folder=str(folder),
        fingerprint=hashlib.sha256(raw).hexdigest(),
        title=meta.get("title", folder.name),
        source_language=config.get("source_language", "?"),
        target_language=config.get("target_language", "?"),
        quality=meta.get("quality", ""),
        toy=bool(meta.get("toy")),
        examples=tuple(meta.get("examples", [])),
        score=headline_score(meta.get("bleu") or []),
    )


def headline_score(rows: list) -> tuple[str, float] | None:
    """BLEU of the first test set (beam search if measured, else greedy) from a model card's score table."""
    rows = [r for r in rows if isinstance(r, dict) and isinstance(r.get("bleu"), (int, float))]
    if not rows:
        return None
    first = [r for r in rows if r.get("test") == rows[0].get("test")]
    best = next((r for r in first if str(r.get("decoding", "")).startswith("beam")), first[0])
    return "BLEU", float(best["bleu"])


@st.cache_data(ttl=60, show_spinner=False)
def _list_models(folder: str) -> list[ModelEntry]:
    entries = [read_entry(path) for path in sorted(Path(folder).glob("*/config.json"))]
    order = {name: i for i, name in enumerate(MODEL_ORDER)}
    return sorted(entries, key=lambda e: (e.error is not None, order.get(e.name, len(order)), e.name))


def find_model(name: str, folder: str | None = None) -> ModelEntry | None:
    """The listed model whose folder is called ``name``, or ``None``."""
    return next((m for m in list_models(folder) if m.name == name), None)


def get_translator(model: ModelEntry) -> Translator:
    """Load ``model`` once per process (per folder and content). Raises ``CheckpointError``."""
    if model.error:
        raise CheckpointError(model.error)
    return load_cached(model.folder, model.fingerprint)


@st.cache_resource(show_spinner=False, max_entries=8)
def load_cached(folder: str, fingerprint: str) -> Translator:
    """``load_translator(folder)``; ``fingerprint`` is part of the cache key only."""
    return load_translator(folder)


def model_error(model: ModelEntry) -> str | None:
    """``None`` if the model loads, else the message that names the broken file and the fix."""
    try:
        get_translator(model)
    except CheckpointError as exc:
        return str(exc)
    return None


SESSION_MODELS = "live_models"  # session key: folders of models this session trained itself (Training page)


def session_models() -> list[ModelEntry]:
    """Models only this session can see: the toys it trained live, newest last."""
    entries = []
    for folder in st.session_state.get(SESSION_MODELS, []):
        config = Path(folder) / "config.json"
        if config.exists():
            entries.append(read_entry(config))
    return entries
