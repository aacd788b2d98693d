"""The models the app offers, and one loaded ``Translator`` per model per process.

* ``list_models`` reads every ``<folder>/config.json`` under the model folder
  (``pretrained/``, or ``$ATTENTION_LAB_PRETRAINED`` for a deployment's model
  volume or a test's temporary folder) without loading weights. A folder whose
  ``config.json`` cannot be read is listed too, with the reason, so the page
  can say what is wrong instead of the model silently disappearing.
* Hugging Face encoder–decoder folders (``core.hf``: opus-mt, BART, T5,
  M2M-100/NLLB …) are listed next to ours, from the model folder and from
  every path in ``$ATTENTION_LAB_MODELS`` (``os.pathsep``-separated; each path
  is a model folder or a folder of model folders). Without ``transformers``
  they are hidden and ``hidden_models`` names them for a one-line note.
* ``get_translator`` loads a model once per process (``st.cache_resource``)
  and shares it with every session: a ``Translator`` keeps no per-request
  state, so concurrent sessions are safe. A Hugging Face model can take
  seconds to load: the session that asks first sees a spinner, the others
  keep working (each session runs in its own thread).

Identity: a model is its folder *and* its content. ``ModelEntry.fingerprint``
is the SHA-256 of its ``config.json``, which itself holds the size and
SHA-256 of every file of the checkpoint (for a Hugging Face folder, whose
``config.json`` records no hashes: a hash over every file's name, size and
modification time plus ``config.json`` and the sidecar, ``HFFolder.fingerprint``); every cache (translator,
translations, inspections, traces) is keyed on it, so re-exporting a model
while the app runs is never answered from the old weights.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.i18n import t
from core import CheckpointError, Translator, load_translator
from core.hf import HFFolderError, is_hf_folder, open_hf_folder, preload_library, transformers_available
from core.hf.loader import hf_metadata

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRETRAINED = PROJECT_ROOT / "pretrained"
PRETRAINED_ENV = "ATTENTION_LAB_PRETRAINED"
EXTRA_MODELS_ENV = "ATTENTION_LAB_MODELS"
MODEL_ORDER = ["multi30k-en-de", "multi30k-en-fr", "ko-en", "en-ko", "toy-reverse"]


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
    huggingface: str | None = None  # the model_type of a Hugging Face folder (``core.hf``), else None
    publisher: str = ""  # who trained a Hugging Face model (its card says "as published by …")


def pretrained_dir() -> Path:
    """The model folder: ``$ATTENTION_LAB_PRETRAINED`` if set, else ``pretrained/``."""
    return Path(os.environ.get(PRETRAINED_ENV) or PRETRAINED)


def extra_model_dirs() -> list[str]:
    """The paths in ``$ATTENTION_LAB_MODELS`` (``os.pathsep``-separated), as given."""
    return [p for p in os.environ.get(EXTRA_MODELS_ENV, "").split(os.pathsep) if p.strip()]


def list_models(folder: str | None = None) -> list[ModelEntry]:
    """Every model folder, best-known first; unreadable ones carry their ``error``.

    Hugging Face folders are left out when ``transformers`` is not installed
    (``hidden_models`` lists them)."""
    entries = _list_models(folder or str(pretrained_dir()), tuple(extra_model_dirs()))
    if transformers_available():
        start_preload(tuple(sorted({e.huggingface for e in entries if e.huggingface and not e.error})))
        return entries
    return [e for e in entries if e.huggingface is None]


@st.cache_resource(show_spinner=False)
def start_preload(model_types: tuple[str, ...]) -> threading.Thread | None:
    """Once per process and set of architectures: import ``transformers`` in a background
    thread (``core.hf.preload_library``), so picking a Hugging Face model later costs
    only its load."""
    if not model_types:
        return None
    thread = threading.Thread(target=preload_library, args=(model_types,), name="hf-preload", daemon=True)
    thread.start()
    return thread


def hidden_models(folder: str | None = None) -> list[str]:
    """Hugging Face folders not offered because ``transformers`` is missing."""
    if transformers_available():
        return []
    return [e.name for e in _list_models(folder or str(pretrained_dir()), tuple(extra_model_dirs())) if e.huggingface]


def refresh_models() -> None:
    """Forget the cached model list (it is otherwise re-read at most every 60 s)."""
    _list_models.clear()


def read_entry(config_path: Path) -> ModelEntry:
    """One folder's entry; an unreadable or malformed ``config.json`` gives an entry with ``error`` set."""
    folder = config_path.parent
    if is_hf_folder(folder):
        return read_hf_entry(folder)
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
        score=headline_score(meta.get("bleu") or [], config.get("target_language", "")),
    )


def read_hf_entry(folder: Path) -> ModelEntry:
    """A Hugging Face folder's entry, from its ``config.json`` and sidecar (weights not loaded)."""
    try:
        meta = open_hf_folder(folder)
    except HFFolderError as exc:
        return ModelEntry(folder.name, str(folder), "", folder.name, "?", "?", "", False, (), error=str(exc), huggingface="?")
    card = hf_metadata(meta)
    source, target = meta.languages
    return ModelEntry(
        name=folder.name, folder=str(folder), fingerprint=meta.fingerprint(), title=card["title"],
        source_language=source, target_language=target, quality=card["quality"], toy=False,
        examples=tuple(card["examples"]), huggingface=meta.model_type, publisher=meta.publisher,
    )


# Targets whose words are not space-separated units of meaning: BLEU's word n-grams undercount a right
# answer (a Korean particle glued to its noun makes the whole word wrong), so chrF is the fair headline.
CHRF_TARGETS = {"ko", "ja", "zh"}


def headline_score(rows: list, target_language: str = "") -> tuple[str, float] | None:
    """The sidebar's one number from a model card's score table: on the pooled test set when the recipe
    pools several (else the first), beam search if measured (else greedy); BLEU, or chrF for a
    Korean, Japanese or Chinese target (``CHRF_TARGETS``)."""
    rows = [r for r in rows if isinstance(r, dict) and isinstance(r.get("bleu"), (int, float))]
    if not rows:
        return None
    pooled = [r for r in rows if str(r.get("test", "")).startswith("pooled")]
    headline = pooled or [r for r in rows if r.get("test") == rows[0].get("test")]
    best = next((r for r in headline if str(r.get("decoding", "")).startswith("beam")), headline[0])
    if target_language in CHRF_TARGETS and isinstance(best.get("chrf"), (int, float)):
        return "chrF", float(best["chrf"])
    return "BLEU", float(best["bleu"])


def _config_files(path: Path) -> list[Path]:
    """``path/config.json`` if ``path`` is a model folder, else its subfolders' ``config.json``."""
    if (path / "config.json").is_file():
        return [path / "config.json"]
    return sorted(path.glob("*/config.json"))


@st.cache_data(ttl=60, show_spinner=False)
def _list_models(folder: str, extra: tuple[str, ...] = ()) -> list[ModelEntry]:
    entries = [read_entry(path) for path in sorted(Path(folder).glob("*/config.json"))]
    seen = {e.name for e in entries}
    for path in extra:
        for config in _config_files(Path(path).expanduser()):
            entry = read_entry(config)
            if entry.name not in seen:  # the first folder of a name wins; ?model= is the folder name
                seen.add(entry.name)
                entries.append(entry)
    order = {name: i for i, name in enumerate(MODEL_ORDER)}
    return sorted(entries, key=lambda e: (e.error is not None, e.huggingface is not None, order.get(e.name, len(order)), e.name))


def find_model(name: str, folder: str | None = None) -> ModelEntry | None:
    """The listed model whose folder is called ``name``, or ``None``."""
    return next((m for m in list_models(folder) if m.name == name), None)


def get_translator(model: ModelEntry) -> Translator:
    """Load ``model`` once per process (per folder and content). Raises ``CheckpointError``."""
    if model.error:
        raise CheckpointError(model.error)
    if model.huggingface and (model.folder, model.fingerprint) not in _LOADED:
        with st.spinner(t("model.loading", name=model.name)):  # only the session that loads it waits
            translator = load_cached(model.folder, model.fingerprint)
        _LOADED.add((model.folder, model.fingerprint))
        return translator
    return load_cached(model.folder, model.fingerprint)


_LOADED: set[tuple[str, str]] = set()  # Hugging Face models this process has loaded (no spinner needed again)


# ``ATTENTION_LAB_FAST_DECODING=0`` decodes through the module walk (core.decoding) instead of
# core.fast_decoding: the same results, slower; for before/after benchmarks of a running server.
FAST_DECODING = os.environ.get("ATTENTION_LAB_FAST_DECODING", "1") != "0"


@st.cache_resource(show_spinner=False, max_entries=8)
def load_cached(folder: str, fingerprint: str) -> Translator:
    """``load_translator(folder)``; ``fingerprint`` is part of the cache key only."""
    translator = load_translator(folder)
    translator.fast_decoding = FAST_DECODING
    return translator


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
