"""The pages of the app, one file each (run by ``st.navigation`` in ``app/main.py``).

``PAGES`` is the one registry of them: ``main.py`` builds the navigation from
it, and the architecture lesson names its link targets with it. The folder
is not called ``pages/``: Streamlit would treat that as a legacy multipage
app when a page URL is opened first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    """One page: its file in this folder, the string keys of its title and
    navigation section, its icon and its URL path (``/masks``)."""

    file: str
    title_key: str
    section_key: str
    icon: str
    url_path: str
    default: bool = False


PAGES: tuple[PageInfo, ...] = (
    PageInfo("explorer.py", "nav.explorer", "nav.section.explore", ":material/grid_view:", "explorer", default=True),
    PageInfo("masks.py", "nav.masks", "nav.section.lessons", ":material/visibility_off:", "masks"),
    PageInfo("scaled_attention.py", "nav.scaled", "nav.section.lessons", ":material/functions:", "scaled-attention"),
    PageInfo("positional.py", "nav.positional", "nav.section.lessons", ":material/waves:", "positional-encoding"),
    PageInfo("multihead.py", "nav.multihead", "nav.section.lessons", ":material/view_column:", "multi-head"),
    PageInfo("training.py", "nav.training", "nav.section.lessons", ":material/timeline:", "training"),
    PageInfo("ablations.py", "nav.ablations", "nav.section.lessons", ":material/build:", "ablations"),
    PageInfo("seq2seq.py", "nav.seq2seq", "nav.section.lessons", ":material/history:", "seq2seq"),
    PageInfo("architecture.py", "nav.architecture", "nav.section.lessons", ":material/account_tree:", "architecture"),
)
PAGE_BY_FILE = {p.file: p for p in PAGES}
