"""What the model computes for a page, computed once per process and shared read-only.

* ``get_translation`` — one ``TranslationResult`` per (model content, sentence,
  beam size, max length) in a byte-budget LRU (``ATTENTION_LAB_CACHE_MB``,
  default 200): switching layer, head, tab or a display option only re-draws.
  A missing one is decoded by the process's ``batcher`` (``core.batching``),
  together with the sentences other sessions send at the same moment.
* ``inspect`` — ``Translator.inspect_batch`` (scores and masks, masks lesson).
* ``trace`` — ``Translator.trace_layer`` (Q/K/V of one layer, multi-head lesson).
* ``scaling_stats`` / ``scaling_curve`` — the √d_k lesson's simulations.

Every model-dependent cache is keyed on ``ModelEntry.folder`` and
``ModelEntry.fingerprint`` (see ``app.services.models``), never on the name alone.
Results are never mutated by the pages.
"""

from __future__ import annotations

import os

import streamlit as st

from app.lessons import scaled
from app.services.lru import ByteBudgetLRU
from app.services.models import ModelEntry, get_translator, load_cached
from core import BatchInspection, LayerTrace, TranslationResult
from core.batching import TranslationBatcher

TRANSLATION_CACHE_MB = int(os.environ.get("ATTENTION_LAB_CACHE_MB", "200"))
# Most sentences decoded together across sessions; 0 turns the batcher off (each session decodes its own).
BATCH_SIZE = int(os.environ.get("ATTENTION_LAB_BATCH", "64"))
# Most source positions in one such batch, padding included (the recorded maps grow with the
# padded length²); 0 = no such bound.
BATCH_TOKENS = int(os.environ.get("ATTENTION_LAB_BATCH_TOKENS", "4096"))


def result_nbytes(res: TranslationResult) -> int:
    """Memory held by a result: its attention arrays (the per-step rows are views of them) plus a little."""
    arrays = (res.attention.encoder_self, res.attention.decoder_self, res.attention.cross)
    return sum(a.nbytes for a in arrays) + 2048 * (len(res.steps) + 1)


@st.cache_resource(show_spinner=False)
def translation_cache() -> ByteBudgetLRU[TranslationResult]:
    """One cache per process, shared by every session."""
    return ByteBudgetLRU(TRANSLATION_CACHE_MB * 2**20, result_nbytes)


def get_translation(model: ModelEntry, text: str, beam_size: int, max_len: int | None = None) -> TranslationResult:
    """Translate once per (model folder and content, text, beam size, max length).

    Raises:
        core.NothingToTranslate: the text has nothing to translate (not cached).
        core.CheckpointError: the model cannot be loaded.
    """
    key = (model.folder, model.fingerprint, text, beam_size, max_len)
    if BATCH_SIZE < 1:  # batching off: decode in this session's own thread
        compute = lambda: get_translator(model).translate(text, beam_size=beam_size, max_len=max_len)  # noqa: E731
    else:
        compute = lambda: batcher().translate(get_translator(model), text, beam_size, max_len)  # noqa: E731
    return translation_cache().get_or_compute(key, compute)


@st.cache_resource(show_spinner=False)
def batcher() -> TranslationBatcher:
    """One decoding worker per process: sentences that sessions send at the same moment
    are decoded as one padded batch (``core.batching``), each session getting its own result."""
    return TranslationBatcher(max_batch=BATCH_SIZE, max_tokens=BATCH_TOKENS if BATCH_TOKENS > 0 else None)


@st.cache_resource(show_spinner=False, max_entries=128)
def _inspect(folder: str, fingerprint: str, sources: tuple[str, ...]) -> BatchInspection:
    return load_cached(folder, fingerprint).inspect_batch(list(sources))


def inspect(model: ModelEntry, sources: tuple[str, ...]) -> BatchInspection:
    """``Translator.inspect_batch`` of ``sources`` (greedy translations as targets), once per process."""
    get_translator(model)  # raises CheckpointError for a broken model before caching anything
    return _inspect(model.folder, model.fingerprint, sources)


@st.cache_resource(show_spinner=False, max_entries=256)
def _trace(folder: str, fingerprint: str, text: str, kind: str, layer: int, target_ids: tuple[int, ...]) -> LayerTrace:
    return load_cached(folder, fingerprint).trace_layer(text, kind, layer, list(target_ids))


def trace(model: ModelEntry, text: str, kind: str, layer: int, target_ids: tuple[int, ...]) -> LayerTrace:
    """``Translator.trace_layer`` on a translation's decoder input, once per process."""
    get_translator(model)
    return _trace(model.folder, model.fingerprint, text, kind, layer, target_ids)


@st.cache_data(show_spinner=False, max_entries=64)
def scaling_stats(d_k: int, n_keys: int, seed: int) -> scaled.ScalingStats:
    return scaled.scaling_stats(d_k, n_keys, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def scaling_curve(n_keys: int, seed: int) -> list[scaled.ScalingStats]:
    return scaled.scaling_curve(n_keys=n_keys, seed=seed)
