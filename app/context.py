"""What the shared sidebar chose, handed from ``main.py`` to the page being shown."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from app.state import ModelEntry
from app.widgets import DisplayOptions


@dataclass(frozen=True)
class AppContext:
    model: ModelEntry | None
    beam_size: int
    display: DisplayOptions
    models: list[ModelEntry] = field(default_factory=list)


def current() -> AppContext:
    """The context ``main.py`` stored for this run of this session."""
    return st.session_state["ctx"]
