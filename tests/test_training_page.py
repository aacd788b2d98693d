"""The Training page in AppTest (the slider moves the figure) and in Chromium (play advances the step)."""

from __future__ import annotations

import json
import shutil
import urllib.parse

import pytest
from streamlit.testing.v1 import AppTest

from app.lessons import training as lesson
from app.services import models as model_service
from core.timeline import load_timeline
from tests.apptest_support import ROOT, assert_no_exception, open_app_page
from tests.browser_support import chromium_page, requires_chromium, running_app, screenshot, wait_for_app

TOY = ROOT / "pretrained" / "toy-reverse"


def open_training(lang: str = "en", model: str = "toy-reverse", params: dict[str, str] | None = None) -> AppTest:
    return open_app_page("training", lang, model, params=params)


def map_spec(at: AppTest) -> dict:
    """The attention map at the chosen step: the page's second chart (after the curves)."""
    return json.loads(at.get("plotly_chart")[1].proto.spec)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_step_slider_moves_the_map_and_the_numbers(lang):
    at = open_training(lang)
    assert len(at.get("plotly_chart")) == 4
    first = map_spec(at)
    slider = at.select_slider(key="train_step")
    assert slider.value == "0" and slider.options[-1].endswith(lesson.FINAL_MARK)
    slider.set_value(slider.options[-1]).run()
    assert_no_exception(at)
    last = map_spec(at)
    assert first["data"][0]["z"] != last["data"][0]["z"]
    assert lesson.FINAL_MARK in last["layout"]["title"]["text"]
    timeline = load_timeline(TOY)
    loss = {m.label: m.value for m in at.metric}
    assert f"{timeline.metrics[-1]['valid_loss']:.3f}" in loss.values()


def test_a_link_opens_a_step_and_sentence():
    timeline = load_timeline(TOY)
    at = open_training(params={"train_step": "250", "train_sentence": timeline.probe["sources"][1]})
    assert at.select_slider(key="train_step").value == "250"
    assert at.selectbox(key="train_sentence").value == 1
    assert "step 250" in map_spec(at)["layout"]["title"]["text"]
    assert timeline.translations[timeline.steps.index(250)][1] in " ".join(m.value for m in at.markdown)


def test_a_model_without_timeline_says_so_and_names_one_with_it(tmp_path, monkeypatch):
    """Every shipped model has a timeline; a folder without one (trained before the recorder) says so."""
    for name, keep in (("toy-reverse", lambda f: True), ("old-toy", lambda f: not f.name.startswith("timeline"))):
        (tmp_path / name).mkdir()
        for f in filter(keep, TOY.iterdir()):
            shutil.copy(f, tmp_path / name / f.name)
    monkeypatch.setenv(model_service.PRETRAINED_ENV, str(tmp_path))
    model_service.refresh_models()
    try:
        for lang, says in (("en", "has no training timeline"), ("ko", "학습 타임라인이 없습니다")):
            at = open_training(lang, model="old-toy")
            assert any(says in i.value and "toy-reverse" in i.value
                       and "old-toy" not in i.value.split(":")[-1] for i in at.info), [i.value for i in at.info]
    finally:
        model_service.refresh_models()


def test_bad_step_in_the_link_falls_back():
    at = open_training(params={"train_step": "99999", "train_sentence": "x"})
    assert not at.exception and at.select_slider(key="train_step").value == "0"


def test_small_multiples_include_the_current_point():
    for current in (0, 5, 30, 61):
        picks = lesson.small_multiple_points(62, current)
        assert current in picks and len(picks) == 8 and picks[0] == 0 and picks[-1] == 61
    assert lesson.small_multiple_points(5, 2) == [0, 1, 2, 3, 4]


@requires_chromium
def test_play_advances_the_step_in_a_real_browser():
    with running_app() as url, chromium_page(height=2200) as page:
        page.goto(f"{url}/training?" + urllib.parse.urlencode({"model": "toy-reverse", "train_step": "100", "layer": "2"}))
        wait_for_app(page)
        assert "layer 2" in page.locator(".js-plotly-plot .gtitle").nth(1).text_content()  # the link's layer
        page.get_by_text("Play", exact=True).click()
        page.wait_for_function("() => /train_step=(1[5-9]|[2-9])\\d/.test(location.search)", timeout=60_000)
        screenshot(page, "training-playing-en")
        page.get_by_text("Play", exact=True).click()  # pause
        wait_for_app(page)
        paused = page.url
        page.wait_for_timeout(3000)
        assert page.url == paused


@requires_chromium
def test_a_toy_trained_in_the_browser_opens_in_the_explorer():
    with running_app(env={"ATTENTION_LAB_LIVE_STEPS": "150"}) as url, chromium_page(height=1600) as page:
        page.goto(f"{url}/training?model=multi30k-en-de")
        wait_for_app(page)
        page.get_by_role("button", name="Train the toy now").click()
        page.get_by_role("button", name="Open my-toy", exact=False).wait_for(timeout=120_000)
        screenshot(page, "training-live-done-en")
        page.get_by_role("button", name="Open my-toy", exact=False).click()
        page.wait_for_function("() => location.search.includes('model=my-toy-')", timeout=60_000)
        wait_for_app(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=60_000)
        title = page.locator(".js-plotly-plot .gtitle").first.text_content()
        assert "my-toy-" in title  # the charts are the trained toy's, as the address bar says
        assert page.locator("h1").first.inner_text() == "Attention explorer"
