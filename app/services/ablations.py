"""The "Take it apart" page's computations, once per process and shared read-only.

Each function is ``core.ablation_studies`` (or ``core.head_importance``) behind
a cache keyed on the model's folder and content fingerprint (as in
``app.services.translations``): one session's ablation never changes what
another session sees, and re-drawing a chart re-uses the result.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from app.services.models import ModelEntry, find_model, get_translator, load_cached, read_entry
from core import ablation_studies as studies
from core import head_importance
from core.ablation import Ablation

ABLATION_MODELS = Path(__file__).resolve().parents[2] / "pretrained" / "ablations"
NO_MASK_TOY = ABLATION_MODELS / "toy-reverse-no-mask"


@st.cache_resource(show_spinner=False, max_entries=64)
def _permutation(folder: str, fingerprint: str, text: str, seed: int) -> studies.PermutationCheck:
    return studies.permutation_check(load_cached(folder, fingerprint), text, seed)


def permutation(model: ModelEntry, text: str, seed: int) -> studies.PermutationCheck:
    """``permutation_check`` of the sentence with shuffle ``seed``."""
    get_translator(model)  # a broken model raises its CheckpointError before anything is cached
    return _permutation(model.folder, model.fingerprint, text, seed)


@st.cache_resource(show_spinner=False, max_entries=128)
def _comparison(folder: str, fingerprint: str, text: str, ablation_key: str, _ablation: Ablation) -> studies.AblationComparison:
    return studies.compare(load_cached(folder, fingerprint), text, _ablation)


def comparison(model: ModelEntry, text: str, ablation: Ablation) -> studies.AblationComparison:
    """The sentence translated as trained and with ``ablation`` (greedy, every map).

    Keyed on ``ablation.key()`` (sorted), so the same heads picked in another order hit the cache.
    """
    get_translator(model)
    return _comparison(model.folder, model.fingerprint, text, ablation.key(), ablation)


@st.cache_resource(show_spinner=False, max_entries=64)
def _look_ahead(folder: str, fingerprint: str, text: str) -> studies.LookAheadEffect:
    return studies.look_ahead_effect(load_cached(folder, fingerprint), text)


def look_ahead(model: ModelEntry, text: str) -> studies.LookAheadEffect:
    """Teacher forcing on the model's own translation with and without the look-ahead mask."""
    get_translator(model)
    return _look_ahead(model.folder, model.fingerprint, text)


def toy_pair() -> tuple[ModelEntry, ModelEntry] | None:
    """The letters toy and its copy trained without the look-ahead mask, or ``None`` if one is missing."""
    masked = find_model("toy-reverse")
    config = NO_MASK_TOY / "config.json"
    if masked is None or masked.error or not config.exists():
        return None
    unmasked = read_entry(config)
    return (masked, unmasked) if not unmasked.error else None


@st.cache_resource(show_spinner=False, max_entries=4)
def _toy_rows(masked: tuple[str, str], unmasked: tuple[str, str]) -> list[studies.MaskTrainingRow]:
    return studies.mask_training_comparison(load_cached(*masked), load_cached(*unmasked))


def toy_rows(masked: ModelEntry, unmasked: ModelEntry) -> list[studies.MaskTrainingRow]:
    """Teacher-forced loss and free-running accuracy of both toys on the same 200 strings."""
    return _toy_rows((masked.folder, masked.fingerprint), (unmasked.folder, unmasked.fingerprint))


@st.cache_resource(show_spinner=False, max_entries=64)
def _toy_view(folder: str, fingerprint: str, source: str, reference: str) -> studies.TeacherForcedView:
    return studies.teacher_forced_view(load_cached(folder, fingerprint), source, reference)


def toy_view(model: ModelEntry, source: str, reference: str) -> studies.TeacherForcedView:
    """One toy's decoder self-attention in teacher forcing on ``reference``."""
    return _toy_view(model.folder, model.fingerprint, source, reference)


@st.cache_resource(show_spinner=False, max_entries=32)
def _shipped_importance(folder: str, fingerprint: str, modified_ns: int) -> head_importance.HeadImportance | None:
    return head_importance.load(folder, head_importance.weights_sha256(load_cached(folder, fingerprint)))


def shipped_importance(model: ModelEntry) -> head_importance.HeadImportance | None:
    """The model's ``head_importance.json`` if it was measured on these very weights.

    Read once per model content and file version (a re-draw only stats the
    file; a table written by ``python -m core.head_importance`` meanwhile is seen).
    """
    get_translator(model)
    path = Path(model.folder) / head_importance.FILE_NAME
    modified = path.stat().st_mtime_ns if path.exists() else 0
    return _shipped_importance(model.folder, model.fingerprint, modified)


_MEASURE_LOCK = threading.Lock()  # one measurement at a time per process: a class cannot starve the CPU
MEASURED: dict[tuple[str, str], head_importance.HeadImportance] = {}  # (folder, fingerprint) → table


def measure_importance(model: ModelEntry, progress=None) -> head_importance.HeadImportance:
    """Measure the table on first use, once per process (``progress(done, total)`` draws a bar).

    A second session asking for the same model waits for the first one's
    result instead of measuring again.

    Raises:
        FileNotFoundError: the model's recipe or test files are not here.
    """
    translator = get_translator(model)
    key = (model.folder, model.fingerprint)
    with _MEASURE_LOCK:
        if key not in MEASURED:
            name, sources, refs = head_importance.test_sample(translator)
            MEASURED[key] = head_importance.measure(translator, sources, refs, name, progress=progress)
        return MEASURED[key]


def known_importance(model: ModelEntry) -> head_importance.HeadImportance | None:
    """The shipped table, or one measured earlier in this process; ``None`` if neither."""
    return shipped_importance(model) or MEASURED.get((model.folder, model.fingerprint))
