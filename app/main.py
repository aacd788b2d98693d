"""Attention Lab — Streamlit entry point: ``streamlit run app/main.py``.

Sets up the shared sidebar (language, model, decoding, display options) and
the pages with ``st.navigation`` — one file per page under ``app/app_pages/`` (not ``pages/``: Streamlit would treat that folder as a legacy multipage app when a page URL is opened first).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import state, url_state, widgets  # noqa: E402
from app.context import AppContext  # noqa: E402
from app.i18n import t  # noqa: E402

st.set_page_config(page_title="Attention Lab", page_icon=":material/grid_view:", layout="wide")

url_state.restore_from_url()
widgets.language_selector()
models = state.list_models()
model = widgets.model_picker(models) if models else None
beam = widgets.decoding_controls()
display = widgets.display_options()
st.session_state["ctx"] = AppContext(model=model, beam_size=beam, display=display, models=models)

PAGES = {
    "nav.section.explore": [("explorer.py", "nav.explorer", ":material/grid_view:", "explorer")],
    "nav.section.lessons": [
        ("masks.py", "nav.masks", ":material/visibility_off:", "masks"),
        ("scaled_attention.py", "nav.scaled", ":material/functions:", "scaled-attention"),
        ("positional.py", "nav.positional", ":material/waves:", "positional-encoding"),
        ("multihead.py", "nav.multihead", ":material/view_column:", "multi-head"),
        ("architecture.py", "nav.architecture", ":material/account_tree:", "architecture"),
    ],
}
PAGE_DIR = Path(__file__).resolve().parent / "app_pages"
navigation = {
    t(section): [
        st.Page(PAGE_DIR / file, title=t(title), icon=icon, url_path=url, default=file == "explorer.py")
        for file, title, icon, url in pages
        if (PAGE_DIR / file).is_file()
    ]
    for section, pages in PAGES.items()
}
page = st.navigation({name: pages for name, pages in navigation.items() if pages})
try:
    page.run()
finally:  # also after st.stop() in a page: keep the address bar a link to this view
    url_state.sync_to_url(page.url_path)
