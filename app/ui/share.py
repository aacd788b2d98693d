""""Copy link": the address of exactly this view, ready to paste into a chat or a slide.

Every control that shapes the view is bound to the URL, so the page's
address *is* the link; this control shows it with a copy button (Streamlit's
code block copies on click and confirms with a tick) for those who do not
think of the address bar.
"""

from __future__ import annotations

import json
import urllib.parse

import streamlit as st

from app.i18n import t


def current_link() -> str:
    """The page's address with the current query string (what the address bar shows)."""
    base = (getattr(st.context, "url", None) or "").split("?", 1)[0]
    query = query_string()
    return f"{base}?{query}" if query else base


def copy_link_button(container=st.sidebar) -> None:
    """A "Copy link" popover with the link and a copy button.

    The link is written when the popover opens (a stateful popover reruns the page
    on open): a click inside a fragment (the explorer's head, layer or view) re-runs
    only the fragment, so a link written on the page's last full run would be stale.
    """
    box = container.popover(t("share.copy_link"), icon=":material/link:", width="stretch", key="copy_link_open",
                            on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(t("share.explain"))
        st.code(current_link(), language=None, wrap_lines=True)
        st.caption(t("share.copied_hint"))


HISTORY_STATE = "history_step"  # (the meaningful part of the view, its query string) after the last run
MEANINGFUL = ("model", "text")  # a change of these is one step of the browser's Back button (pages are already)


def query_string() -> str:
    """The current query string (bound widgets included), without the ``?``."""
    return urllib.parse.urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])


def history_step(page_path: str) -> None:
    """Make a new sentence or model one entry of the browser's history.

    Streamlit keeps the address bar in step with ``replaceState``, so Back
    would leave the app instead of returning to the previous sentence. When
    the sentence or model changed since this session's last run (and the run
    is not itself a Back/Forward), the previous address is put back and the
    new one pushed on top of it; layer, head and display changes keep
    replacing the current entry.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    now = (page_path, *(st.query_params.get(key) for key in MEANINGFUL))
    query = query_string()
    previous = st.session_state.get(HISTORY_STATE)
    ctx = get_script_run_ctx()
    if previous is not None and previous[0] != now and previous[0][0] == page_path and not getattr(ctx, "is_history_navigation", False):
        # the same page, so the path stays (location.pathname also keeps a proxy's base path)
        old_url, new_url = json.dumps("?" + previous[1] if previous[1] else ""), json.dumps("?" + query if query else "")
        st.html(
            "<script>"
            f"window.history.replaceState(window.history.state, '', window.location.pathname + {old_url});"
            f"window.history.pushState(window.history.state, '', window.location.pathname + {new_url});"
            "</script>",
            unsafe_allow_javascript=True,
            width="content",
        )
    st.session_state[HISTORY_STATE] = (now, query)  # after the push: an interrupted run pushes again next time


def remember_view() -> None:
    """After a fragment-only run: the current history entry's address is now this view's.

    ``history_step`` runs at the end of full runs only; without this, a new sentence
    would put back the address from before the last head/layer/view clicks, and Back
    would return to the earlier sentence without its view.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if not getattr(get_script_run_ctx(), "fragment_ids_this_run", None):
        return  # a full run: history_step, at its end, compares with the entry as it was
    previous = st.session_state.get(HISTORY_STATE)
    if previous is not None:
        st.session_state[HISTORY_STATE] = (previous[0], query_string())
