"""Attention Lab — Streamlit entry point: ``streamlit run app/main.py``.

Draws the shared sidebar (``app.ui.sidebar``: language, model, decoding,
display options) and runs the page chosen in ``st.navigation``; the pages
live one file each in ``app/app_pages/`` (registry: ``app.app_pages.PAGES``).
Every control that shapes the view is bound to the URL by Streamlit
(``bind="query-params"``), so the address bar is always a link to it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app.app_pages import PAGES  # noqa: E402
from app.i18n import t  # noqa: E402
from app.services.models import hidden_models, list_models, session_models  # noqa: E402
from app.ui import export_panel, share, sidebar  # noqa: E402

st.set_page_config(page_title="Attention Lab", page_icon=":material/grid_view:", layout="wide")

sidebar.language_selector()
models = list_models() + session_models()  # the shipped models, then the toys this session trained
model = sidebar.model_picker(models) if models else None
sidebar.hidden_models_note(hidden_models())
beam = sidebar.decoding_controls()
display = sidebar.display_options()
share.copy_link_button()
st.session_state["ctx"] = sidebar.AppContext(model=model, beam_size=beam, display=display, models=models)

PAGE_DIR = Path(__file__).resolve().parent / "app_pages"
navigation: dict[str, list] = {}
for info in PAGES:
    if (PAGE_DIR / info.file).is_file():
        navigation.setdefault(t(info.section_key), []).append(
            st.Page(PAGE_DIR / info.file, title=t(info.title_key), icon=info.icon, url_path=info.url_path, default=info.default)
        )
page = st.navigation(navigation)
try:
    page.run()
except Exception:  # noqa: BLE001 - a student sees a short message, the log gets the traceback
    logging.getLogger("attention_lab").exception("page %s failed", page.url_path)
    st.error(t("app.failed"))
finally:  # also after st.stop(): a lesson page's charts are offered for slides
    export_panel.draw_pending_shelf()
    share.history_step(page.url_path)
