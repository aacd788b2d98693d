"""The "Take it apart" page in AppTest: every experiment draws, in both languages,
its choices are in the URL, and bad link values never raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.figures import ablations as figures
from app.figures.common import map_panels
from app.lessons import ablations as lesson
from tests.apptest_support import assert_no_exception, exported_charts, open_app_page

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "A man in a blue shirt is riding a bike down the street."


def open_ablations(lang: str = "en", model: str = "multi30k-en-de", text: str | None = SENTENCE,
                   params: dict[str, str] | None = None) -> AppTest:
    return open_app_page("ablations", lang, model, text, params)


def choose_part(at: AppTest, part: str, lang: str = "en") -> AppTest:
    at.button_group(key=f"abl_part_{lang}").set_value(part).run()
    assert_no_exception(at)
    assert at.button_group(key=f"abl_part_{lang}").value == part
    return at


def chart_titles(at: AppTest) -> list[str]:
    import json

    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_experiment_draws_in_both_languages(lang):
    at = open_ablations(lang)
    assert at.title[0].value.startswith("Take it apart" if lang == "en" else "분해해 보기")
    first = metrics(at)
    no_pe = next(v for k, v in first.items() if "PE" in k and ("Without" in k or "없음" in k))
    assert float(no_pe) <= 1e-5  # the measured equivariance, shown to the student
    assert len(at.get("plotly_chart")) == 1
    for part, n_charts in (("scaling", 3), ("look_ahead", 4), ("heads", 1)):
        choose_part(at, part, lang)
        assert len(at.get("plotly_chart")) == n_charts, part
        # every chart of the experiment is offered for slides in the page's export panel
        assert len(exported_charts(at, "export_ablations")) == n_charts, part
    if lang == "ko":
        body = " ".join(m.value for m in at.markdown)
        assert re.search("[가-힣]", body)


def test_scaling_choices_change_the_ablation_and_stay_in_the_url():
    at = choose_part(open_ablations(), "scaling")
    all_layers = metrics(at)["Mean entropy ratio"]
    at.button_group(key="abl_scale_layers").set_value([3]).run()
    assert_no_exception(at)
    only_last = metrics(at)["Mean entropy ratio"]
    assert all_layers != only_last  # fewer unscaled layers: less saturation
    before, after = (float(x) for x in only_last.split(" → "))
    assert after < before
    titles = chart_titles(at)
    assert any("layer 3, head 1" in t and "without 1/√d_k" in t for t in titles)  # the map follows to the ablated layer
    # A link with the same choices restores the same view (AppTest does not report a rerun's URL
    # writes; tests/test_browser_ablations.py checks the address bar in Chromium).
    linked = open_ablations(params={"abl_part_en": "No 1/√d_k", "abl_scale_layers": "3", "abl_scale_layer": "2",
                                    "abl_scale_head": "4"})
    assert linked.button_group(key="abl_part_en").value == "scaling"
    assert metrics(linked)["Mean entropy ratio"] == only_last
    assert any("layer 2, head 4" in t for t in chart_titles(linked))


def test_removing_heads_changes_translation_and_probabilities():
    at = choose_part(open_ablations(), "heads")
    assert any("Pick one or more heads" in i.value for i in at.info)
    at.multiselect(key="abl_heads").set_value([f"cross-3-{h}" for h in range(1, 9)]).run()
    assert_no_exception(at)
    assert metrics(at)["Same translation?"] == "no"
    frames = at.dataframe
    translations = frames[0].value.iloc[:, 1].tolist()
    assert translations[0] != translations[1]
    titles = chart_titles(at)
    assert any(t.startswith("Probability of each chosen token") for t in titles)
    assert any(t.startswith("Change in sacreBLEU when one head is removed") for t in titles)
    table = frames[-1].value
    assert len(table) == 72 and table["ΔBLEU"].is_monotonic_increasing  # most harmful removal first


def test_look_ahead_part_shows_the_toy_trained_without_the_mask():
    at = choose_part(open_ablations(), "look_ahead")
    toy_table = next(f.value for f in at.dataframe if "Teacher-forced loss" in f.value.columns)
    masked, unmasked = toy_table.to_dict("records")
    assert masked["Trained with the mask"] == "yes" and unmasked["Trained with the mask"] == "no"
    assert unmasked["Teacher-forced loss"] < masked["Teacher-forced loss"]
    assert unmasked["Generated exactly right"] < 0.2 < 0.9 < masked["Generated exactly right"]
    at.text_input(key="abl_toy").set_value("<b>x</b> 😀").run()
    assert_no_exception(at)
    assert any("letters between a and t" in i.value for i in at.info)


@pytest.mark.parametrize("params", [
    {"abl_part_en": "nonsense", "abl_seed": "-5", "abl_pe_layer": "99"},
    {"abl_part_en": "Remove heads", "abl_heads": "cross-9-9"},
    {"abl_part_en": "No 1/√d_k", "abl_scale_layers": "7", "abl_scale_kinds_en": "<b>"},
])
def test_bad_link_values_never_raise(params):
    at = open_ablations(params=params)
    assert not at.exception


def test_page_works_with_the_toy_and_with_hostile_text():
    for text in ("a b c d e f", "$x$ <b>bold</b> 😀 \u0007"):
        at = open_ablations(model="toy-reverse", text=text)
        for part in ("scaling", "look_ahead", "heads"):
            choose_part(at, part)


# -------------------------------------------------------------- pure helpers and figures
def test_head_codes_round_trip_and_reject_other_models_heads():
    depth = {"encoder_self": 3, "decoder_self": 3, "cross": 3}
    codes = lesson.head_codes(depth, 8)
    assert len(codes) == 72 and codes[0] == "encoder_self-1-1"
    assert all(lesson.head_code(*lesson.parse_head_code(c, depth, 8)) == c for c in codes)
    for bad in ("cross-4-1", "cross-1-9", "self-1-1", "cross-x-1", "", "cross-0-1"):
        assert lesson.parse_head_code(bad, depth, 8) is None


def test_map_panels_share_one_colour_scale_and_keep_rows_as_queries():
    import numpy as np

    a = np.array([[0.9, 0.1], [0.2, 0.8]])
    b = np.array([[0.5, 0.5], [0.3, 0.7]])
    fig = map_panels([a, b], [["q1", "q2"]] * 2, [["k1", "k2"]] * 2, ["left", "right"], "Cross-attention, layer 1, head 2")
    assert {tr.coloraxis for tr in fig.data} == {"coloraxis"} and fig.layout.coloraxis.cmax == pytest.approx(0.9)
    assert fig.data[0].z.tolist() == a.tolist() and fig.layout.yaxis.autorange == "reversed"
    assert list(fig.layout.yaxis.ticktext) == ["q1", "q2"] and list(fig.layout.xaxis.ticktext) == ["k1", "k2"]
    assert "layer 1, head 2" in fig.layout.title.text


def test_importance_panels_diverge_around_zero():
    import numpy as np

    d = [np.array([[-3.0, 0.5]]), np.array([[0.1, -0.2]])]
    fig = figures.importance_panels(d, ["Encoder", "Cross"], "ΔBLEU")
    assert fig.layout.coloraxis.cmin == -3.0 and fig.layout.coloraxis.cmax == 3.0 and fig.layout.coloraxis.cmid == 0.0
    assert list(fig.data[0].text[0]) == ["-3.0", "+0.5"]


def test_the_map_shown_is_the_first_removed_head_and_only_ablated_kinds_are_offered():
    at = choose_part(open_ablations(), "heads")
    at.multiselect(key="abl_heads").set_value(["cross-3-3"]).run()
    assert_no_exception(at)
    assert any("layer 3, head 3" in t and t.startswith("Encoder–decoder attention") for t in chart_titles(at))
    assert any("Removed: Encoder–decoder attention · layer 3 · head 3" in c.value for c in at.caption)
    at = choose_part(open_ablations(), "scaling")
    at.button_group(key="abl_scale_kinds_en").set_value(["decoder_self"]).run()
    at.button_group(key="abl_scale_layers").set_value([2]).run()
    assert_no_exception(at)
    assert at.button_group(key="abl_scale_show_en").options == ["Masked decoder self-attention"]
    assert any("layer 2, head 1" in t for t in chart_titles(at))  # the first ablated layer, not layer 1


def test_toy_input_says_what_it_left_out_and_cuts_long_strings():
    at = choose_part(open_ablations(), "look_ahead")
    at.text_input(key="abl_toy").set_value("a b 😀 c d x y z").run()
    assert_no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "😀" in captions and "x y z" in captions
    at.text_input(key="abl_toy").set_value(" ".join("abcdefghijklm")).run()
    assert any("first 10 of your 13" in c.value for c in at.caption)
    at.text_input(key="abl_toy").set_value("a b").run()
    assert any("3 to 10 letters" in i.value for i in at.info)
