"""The Training page's data: a model's shipped timeline, loaded once per process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.services.models import ModelEntry
from core.timeline import INDEX_FILE, Timeline, load_timeline


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline(folder: str, fingerprint: str) -> Timeline | None:
    return load_timeline(folder)


def timeline(model: ModelEntry) -> Timeline | None:
    """The model's ``timeline.json``/``timeline.npz``, or ``None`` when it ships without one.

    Keyed on the folder and the config's fingerprint: a re-exported model
    (new weights, new timeline) is read again.
    """
    return _timeline(model.folder, model.fingerprint)


def models_with_timelines(models: list[ModelEntry]) -> list[str]:
    """Names of the listed models that ship a timeline."""
    return [m.name for m in models if not m.error and (Path(m.folder) / INDEX_FILE).exists()]
