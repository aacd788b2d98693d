"""The "Before the Transformer" page's models and computations, once per process.

The two RNN models live in ``pretrained/seq2seq/`` (outside the model picker:
the explorer's views need a Transformer's layers and heads). Each is loaded
once per process and keyed, like every model cache, on its folder and the
SHA-256 of its ``config.json``. The Transformer is ``multi30k-en-de`` from the
app's model list — the model trained on the same data with the same tokenizer.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.lessons import seq2seq as lesson
from app.services.models import ModelEntry, find_model, get_translator, load_cached, pretrained_dir, read_entry
from app.services.translations import get_translation
from core import CheckpointError
from core.seq2seq import RNNTranslation, RNNTranslator, load_rnn_translator
from core.seq2seq import length_buckets
from core.seq2seq.wall_time import EncoderTimes, time_encoders

TRANSFORMER = "multi30k-en-de"
RNN_MODELS = {"rnn": "multi30k-en-de-rnn", "bahdanau": "multi30k-en-de-bahdanau"}


def rnn_folder(kind: str) -> Path:
    """``pretrained/seq2seq/<name>`` (under ``$ATTENTION_LAB_PRETRAINED`` when that is set)."""
    return pretrained_dir() / "seq2seq" / RNN_MODELS[kind]


def _fingerprint(folder: Path) -> str:
    """The folder's content fingerprint, as the model list computes it (``""`` if unreadable)."""
    return read_entry(folder / "config.json").fingerprint


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, fingerprint: str) -> RNNTranslator:
    return load_rnn_translator(folder)


def rnn_translator(kind: str) -> RNNTranslator:
    """The loaded RNN model ``kind`` (``"rnn"`` or ``"bahdanau"``). Raises ``CheckpointError``."""
    folder = rnn_folder(kind)
    return _load(str(folder), _fingerprint(folder))


def rnn_error(kind: str) -> str | None:
    """``None`` if the RNN model loads, else the message naming the file and the fix."""
    try:
        rnn_translator(kind)
    except CheckpointError as exc:
        return str(exc)
    return None


def transformer_entry(models: list[ModelEntry]) -> ModelEntry | None:
    """``multi30k-en-de`` from the app's model list (``None`` if it is not there)."""
    return next((m for m in models if m.name == TRANSFORMER), None) or find_model(TRANSFORMER)


@st.cache_resource(show_spinner=False, max_entries=256)
def _rnn_translation(folder: str, fingerprint: str, text: str, beam_size: int) -> RNNTranslation:
    return _load(folder, fingerprint).translate(text, beam_size=beam_size)


def rnn_translation(kind: str, text: str, beam_size: int) -> RNNTranslation:
    """The sentence through RNN model ``kind``. Raises ``NothingToTranslate`` / ``CheckpointError``."""
    rnn_translator(kind)
    folder = rnn_folder(kind)
    return _rnn_translation(str(folder), _fingerprint(folder), text, beam_size)


@st.cache_resource(show_spinner=False, max_entries=128)
def _same_axes(rnn_folder_: str, rnn_fp: str, folder: str, fingerprint: str, text: str, beam_size: int,
               _model: ModelEntry) -> lesson.SameAxes:
    return lesson.same_axes(_load(rnn_folder_, rnn_fp), get_translation(_model, text, beam_size))


def same_axes(model: ModelEntry, text: str, beam_size: int) -> lesson.SameAxes:
    """Bahdanau teacher-forced on the Transformer's translation, next to its cross-attention."""
    get_translator(model)
    rnn_translator("bahdanau")
    folder = rnn_folder("bahdanau")
    return _same_axes(str(folder), _fingerprint(folder), model.folder, model.fingerprint, text, beam_size, model)


def bucket_result() -> dict | None:
    """The shipped length-bucket table (``python -m core.seq2seq.length_buckets``), or ``None``."""
    return length_buckets.read_result(pretrained_dir() / "seq2seq" / "length_buckets.json")


@st.cache_resource(show_spinner=False, max_entries=2)
def _encoder_times(rnn_folder_: str, rnn_fp: str, folder: str, fingerprint: str) -> EncoderTimes:
    return time_encoders(_load(rnn_folder_, rnn_fp).model, load_cached(folder, fingerprint).model)


def encoder_times(model: ModelEntry) -> EncoderTimes:
    """One encoder pass timed by length on this machine, measured once per process."""
    get_translator(model)
    rnn_translator("bahdanau")
    folder = rnn_folder("bahdanau")
    return _encoder_times(str(folder), _fingerprint(folder), model.folder, model.fingerprint)
