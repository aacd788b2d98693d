"""The explorer's view is an ``st.fragment``: a switch of head, layer or view re-runs only
the view (not the sidebar, the translation lookup or the downloads), and a change of the
sentence still re-runs the whole page.

Spoken over the websocket as the browser does, with ``bench/load.py``'s session.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.browser_support import load_bench, running_app


def translation(run) -> str:
    """The translation shown above the maps (the ``st.html`` line in the target language)."""
    return next((body for body in run.html if 'lang="de"' in body), "")


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def test_a_head_switch_re_runs_only_the_view(app_url):
    bench = load_bench()

    async def scenario():
        session = bench.Session(app_url, "multi30k-en-de", "A dog runs through the snow.", 60, 0)
        try:
            await session.open()
            page = session.last
            assert page.status == "FINISHED_SUCCESSFULLY" and page.text_inputs and page.charts >= 2
            head_id = page.widgets[bench.HEAD_LABEL][0]
            assert page.fragments.get(head_id), "the head picker is drawn inside a fragment"
            sentence_box = page.text_inputs[0]
            first_output = translation(page)
            assert first_output
            assert not page.fragments.get(sentence_box), "the sentence box is not"

            await session.redraw(0)  # the first re-draw switches the head
            view = session.last
            assert view.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
            assert view.charts >= 2 and not view.exceptions and not view.errors
            assert sentence_box not in view.text_inputs  # the sentence box was not drawn again
            assert all(view.fragments.get(w) for w in view.text_inputs)  # only the view's own boxes were
            # (the address bar of a bound widget is written by the browser itself:
            # tests/test_browser_explorer.py checks it after a click in the fragment)

            await session.redraw(1)  # the layer, then the view (another attention kind)
            await session.redraw(2)
            assert session.last.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY" and session.last.charts >= 2
            assert session.result.fragment_runs == 3

            await session.type_sentence("Two dogs play in the park.")  # outside the fragment: the whole page
            assert session.last.status == "FINISHED_SUCCESSFULLY" and sentence_box in session.last.text_inputs
            assert session.last.charts >= 2
            assert translation(session.last) not in ("", first_output)  # the new sentence was translated and drawn
            assert session.values[head_id] != "1"  # the view stays as it was switched
        finally:
            await session.close()

    asyncio.run(scenario())
