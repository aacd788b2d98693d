"""Regression tests of the state bugs found by reading the code (issue "One home per concept").

Each of these failed before the fix:
* the export panel offered a prepared file after the figure had changed;
* "hide special tokens" with predicted-token row labels hid the wrong row;
* the rollout tab chose the cross-attention decoder layer with the encoder-layer selector;
* caches were keyed by model name, so a re-exported checkpoint was served stale;
* a raw traceback could reach a student, and the translation wrapper hid real bugs.
"""

from __future__ import annotations

import json
import shutil
import tomllib

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from app.figures.common import Style
from app.i18n import translate
from app.lessons.explorer_view import attention_view
from app.services import models, translations
from app.ui.export_panel import ExportItem, signature
from core import NothingToTranslate, load_translator, save_checkpoint
from tests.apptest_support import ROOT, new_app, shipped_models

TOY = ROOT / "pretrained" / "toy-reverse"
SETTINGS = ("png", "16:9", "light", 1.5, "caption")


def heatmap(z) -> go.Figure:
    return go.Figure(go.Heatmap(z=z))


def test_export_signature_follows_the_figure_not_just_its_name():
    same_name_a = ExportItem("current", "cross_L1_H1_a-dog", build=lambda s: heatmap([[0.1, 0.9]]))
    same_name_b = ExportItem("current", "cross_L1_H1_a-dog", build=lambda s: heatmap([[0.8, 0.2]]))  # other model/beam
    again = ExportItem("current", "cross_L1_H1_a-dog", build=lambda s: heatmap([[0.1, 0.9]]))
    assert signature(same_name_a, SETTINGS, Style()) != signature(same_name_b, SETTINGS, Style())
    assert signature(same_name_a, SETTINGS, Style()) == signature(again, SETTINGS, Style())
    # a display option that changes the drawing (colour scale) changes it too
    coloured = ExportItem("current", "x", build=lambda s: go.Figure(go.Heatmap(z=[[1]], colorscale=s.colorscale)))
    assert signature(coloured, SETTINGS, Style(colorscale="Blues")) != signature(coloured, SETTINGS, Style(colorscale="Viridis"))
    # ZIP exports hash every file they would contain
    zip_a = ExportItem("heads", "z", build_files=lambda s: [("h1", heatmap([[1]])), ("h2", heatmap([[2]]))])
    zip_b = ExportItem("heads", "z", build_files=lambda s: [("h1", heatmap([[1]])), ("h2", heatmap([[3]]))])
    assert signature(zip_a, SETTINGS, Style()) != signature(zip_b, SETTINGS, Style())


@pytest.mark.parametrize("kind", ["cross", "decoder_self"])
def test_hide_special_with_predicted_labels_hides_the_bos_query_not_the_eos_prediction(tiny_translator, kind):
    res = tiny_translator.translate("Two dogs are playing in the snow.", max_len=8)
    view = attention_view(res, kind, hide_special=True, row_labels="predicted")
    rows = [i for i, special in enumerate(res.target_special) if not special]  # every query but <s>
    assert rows == list(range(1, len(res.target_tokens)))
    assert view.query_labels == [res.output_tokens[i] for i in rows]  # includes the row that predicted </s>
    full = res.attention.get(kind)
    keys = [i for i, special in enumerate(res.source_special if kind == "cross" else res.target_special) if not special]
    np.testing.assert_array_equal(view.weights, full[:, :, rows][:, :, :, keys])


def test_rollout_cross_layer_has_its_own_selector():
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence)
    at.segmented_control(key="section_en").set_value("rollout").run()
    layers = len(at.segmented_control(key="rollout_dec_layer").options)
    at.segmented_control(key="rollout_layer").set_value(1).run()  # the encoder layer
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "layer 1" in titles[0] and f"layer {layers}" in titles[1], titles
    at.segmented_control(key="rollout_dec_layer").set_value(1).run()
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "layer 1" in titles[1]


@pytest.mark.skipif(not TOY.is_dir(), reason="pretrained/toy-reverse is not shipped")
def test_every_cache_follows_a_reexported_checkpoint(tmp_path):
    """Re-export a model into the same folder while the "app" runs: nothing is served from the old weights."""
    folder = tmp_path / "toy-reverse"
    shutil.copytree(TOY, folder)
    models.refresh_models()
    before = models.find_model("toy-reverse", str(tmp_path))
    text = "a b c d e f"
    old = translations.get_translation(before, text, 1)
    old_trace = translations.trace(before, text, "cross", 0, tuple(old.target_ids))
    old_inspect = translations.inspect(before, (text,))

    translator = load_translator(folder)
    with torch.no_grad():
        for p in translator.model.parameters():
            p.mul_(0.5)
    save_checkpoint(folder, translator.model, translator.info, {"spm.model": TOY / "spm.model"}, (TOY / "MODEL_CARD.md").read_text())
    models.refresh_models()
    after = models.find_model("toy-reverse", str(tmp_path))
    assert after.folder == before.folder and after.fingerprint != before.fingerprint

    new = translations.get_translation(after, text, 1)
    assert not np.allclose(new.attention.encoder_self, old.attention.encoder_self)
    expected = load_translator(folder).translate(text)
    np.testing.assert_array_equal(new.attention.encoder_self, expected.attention.encoder_self)
    assert not np.allclose(translations.trace(after, text, "cross", 0, tuple(old.target_ids)).q, old_trace.q)
    assert not torch.allclose(translations.inspect(after, (text,)).maps.encoder_self, old_inspect.maps.encoder_self)


def test_streamlit_never_shows_a_traceback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_a_bug_in_a_page_shows_a_short_message_not_a_traceback(monkeypatch):
    """A real bug (here a ValueError from the translation) is not mistaken for
    "nothing to translate": the page shows the short failure message."""

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an empty sentence")

    monkeypatch.setattr(translations, "get_translation", broken)
    model, sentence = shipped_models()[0]
    at = new_app(model, sentence)
    assert not at.exception
    assert [e.value for e in at.error] == [translate("app.failed", "en")]
    assert not any(translate("input.nothing_to_translate", "en") in w.value for w in at.warning)


def test_text_with_nothing_to_translate_raises_the_dedicated_error(tiny_translator):
    with pytest.raises(NothingToTranslate):
        tiny_translator.translate("\x00\x01 \t")
    assert issubclass(NothingToTranslate, ValueError)  # callers that catch ValueError keep working


# ---------------------------------------------------------------- Korean choices that would not change
def test_no_bound_control_formats_its_labels_with_a_lambda_calling_t():
    """Streamlit may call ``format_func`` outside the script run, where ``t()`` cannot see the
    session's language: the Korean labels then did not match and a click was undone
    (the multi-head page's kind and the sidebar's row labels stayed put in Korean)."""
    import re

    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"format_func=lambda[^,)]*:\s*t\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders, offenders


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_multihead_kind_and_row_labels_change_in_both_languages(lang):
    at = new_app(model="multi30k-en-de", lang=lang)
    at.switch_page("app_pages/multihead.py").run()
    at.button_group(key=f"multihead_kind_{lang}").set_value("cross").run()
    assert not at.exception
    assert at.button_group(key=f"multihead_kind_{lang}").value == "cross"
    at.session_state[f"row_labels_{lang}"] = "predicted"
    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception and at.session_state[f"row_labels_{lang}"] == "predicted"
