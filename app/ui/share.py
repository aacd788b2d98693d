""""Copy link": the address of exactly this view, ready to paste into a chat or a slide.

Every control that shapes the view is bound to the URL, so the page's
address *is* the link; this control shows it with a copy button (Streamlit's
code block copies on click and confirms with a tick) for those who do not
think of the address bar.
"""

from __future__ import annotations

import urllib.parse

import streamlit as st

from app.i18n import t


def current_link() -> str:
    """The page's address with the current query string (what the address bar shows)."""
    base = (getattr(st.context, "url", None) or "").split("?", 1)[0]
    query = urllib.parse.urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    return f"{base}?{query}" if query else base


def copy_link_button(container=st.sidebar) -> None:
    """A "Copy link" popover with the link and a copy button."""
    with container.popover(t("share.copy_link"), icon=":material/link:", width="stretch"):
        st.caption(t("share.explain"))
        st.code(current_link(), language=None, wrap_lines=True)
        st.caption(t("share.copied_hint"))
