"""Hugging Face models in the app (AppTest): listed, drawn in every attention kind, every page safe."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

pytest.importorskip("transformers")

from app.services import models as model_service  # noqa: E402
from core import load_translator  # noqa: E402
from tests.apptest_support import assert_no_exception, new_app, open_app_page  # noqa: E402

def plotly_array(value) -> np.ndarray:
    """A Plotly JSON array: a plain list, or ``{"dtype", "bdata", "shape"}`` (base64 typed array)."""
    if isinstance(value, dict):
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return data.reshape([int(n) for n in str(value.get("shape", len(data))).split(",")]).astype(float)
    return np.array(value, dtype=float)


KINDS = ["encoder_self", "decoder_self", "cross"]
PAGES = ["explorer", "masks", "multihead", "scaled_attention", "positional", "architecture", "ablations", "training"]
TEXT = "A man rides a bike."


@pytest.fixture()
def hf_env(hf_folders, monkeypatch):
    """``$ATTENTION_LAB_MODELS`` names the folder holding the tiny Hugging Face models."""
    root = next(iter(hf_folders.values())).parent
    monkeypatch.setenv(model_service.EXTRA_MODELS_ENV, str(root))
    model_service.refresh_models()
    yield hf_folders
    model_service.refresh_models()


def test_picker_lists_them_after_ours_with_a_card(hf_env):
    entries = model_service.list_models()
    names = [e.name for e in entries]
    hf = [e for e in entries if e.huggingface]
    assert {e.name for e in hf} == {f.name for f in hf_env.values()}
    assert names.index(hf[0].name) > names.index("multi30k-en-de")  # ours first
    marian = next(e for e in hf if e.huggingface == "marian")
    assert (marian.source_language, marian.target_language) == ("en", "de")
    assert marian.quality == "as published by the test suite" and marian.fingerprint


def test_a_single_model_folder_in_the_path_list_is_listed_too(hf_folders, monkeypatch):
    monkeypatch.setenv(model_service.EXTRA_MODELS_ENV, f"/no/such/folder:{hf_folders['t5']}")
    model_service.refresh_models()
    assert [e.name for e in model_service.list_models() if e.huggingface] == [hf_folders["t5"].name]
    model_service.refresh_models()


def test_without_transformers_they_are_hidden_with_a_note(hf_env, monkeypatch):
    monkeypatch.setattr(model_service, "transformers_available", lambda: False)
    assert not [e for e in model_service.list_models() if e.huggingface]
    assert sorted(model_service.hidden_models()) == sorted(f.name for f in hf_env.values())
    at = new_app("multi30k-en-de", TEXT)
    assert_no_exception(at)


@pytest.mark.parametrize("arch", ["marian", "m2m_100"])
def test_explorer_draws_all_three_kinds_with_the_models_tokens(hf_env, arch):
    name = hf_env[arch].name
    res = load_translator(hf_env[arch]).translate(TEXT)
    at = new_app(name, TEXT)
    assert_no_exception(at)
    for kind in KINDS:
        at.segmented_control(key="section_en").set_value(kind)
        at.run()
        assert_no_exception(at)
        big = json.loads(at.get("plotly_chart")[1].proto.spec)
        z = plotly_array(big["data"][0]["z"])
        ours = res.attention.get(kind)[0, 0]  # the default view: layer 1, head 1
        assert z.shape == ours.shape
        assert np.abs(np.nan_to_num(z) - ours).max() <= 1e-6
        assert name in big["layout"]["title"]["text"]
        assert len(big["layout"]["xaxis"]["ticktext"]) == ours.shape[1]
        assert len(big["layout"]["yaxis"]["ticktext"]) == ours.shape[0]
    for section in ("steps", "stats", "rollout"):  # the explorer's other views work too
        at.segmented_control(key="section_en").set_value(section)
        at.run()
        assert_no_exception(at)
        assert at.get("plotly_chart") or at.dataframe, section


@pytest.mark.parametrize("arch", ["marian", "t5"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_or_says_why(hf_env, arch, page):
    name = hf_env[arch].name
    at = open_app_page(page, model=name, text=TEXT)
    infos = " ".join(i.value for i in at.info)
    if page in ("ablations", "training"):
        assert "elsewhere" in infos or "no such switches" in infos
    if arch == "t5" and page in ("masks", "multihead", "scaled_attention"):
        assert "relative-position bias" in infos
    if arch == "marian" and page in ("masks", "multihead", "scaled_attention", "explorer"):
        assert at.get("plotly_chart"), page


def test_korean_interface_explains_too(hf_env):
    at = open_app_page("ablations", lang="ko", model=hf_env["bart"].name, text=TEXT)
    assert "Hugging Face" in " ".join(i.value for i in at.info)


def test_listing_a_hugging_face_folder_imports_the_library_in_the_background(hf_env):
    import sys

    from core.hf import loader

    model_service.start_preload.clear()
    model_service.list_models()
    thread = model_service.start_preload(tuple(sorted({e.huggingface for e in model_service.list_models() if e.huggingface})))
    assert thread is not None and thread.name == "hf-preload"
    thread.join(60)
    assert {"marian", "t5", "m2m_100"} <= loader._PRELOADED
    assert "transformers.models.marian.tokenization_marian" in sys.modules


def test_a_hugging_face_folder_inside_the_model_folder_is_listed_too(hf_folders, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(model_service.PRETRAINED / "toy-reverse", tmp_path / "toy-reverse")
    shutil.copytree(hf_folders["bart"], tmp_path / "bart-en-de")
    monkeypatch.setenv(model_service.PRETRAINED_ENV, str(tmp_path))
    monkeypatch.delenv(model_service.EXTRA_MODELS_ENV, raising=False)
    model_service.refresh_models()
    entries = {e.name: e for e in model_service.list_models()}
    model_service.refresh_models()
    assert set(entries) == {"toy-reverse", "bart-en-de"}
    assert entries["bart-en-de"].huggingface == "bart" and entries["toy-reverse"].huggingface is None
    assert (entries["bart-en-de"].source_language, entries["bart-en-de"].target_language) == ("en", "de")
