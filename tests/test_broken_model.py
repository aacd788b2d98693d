"""A missing or corrupt model folder: a clear message where a model is needed, the lessons keep working.

The app reads its models from ``$ATTENTION_LAB_PRETRAINED`` (``app.services.models.pretrained_dir``);
each test points it at a temporary copy of a shipped model that is then damaged.
Model names are unique per test, so no cached translator of a healthy model is reused.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from app.services.models import PRETRAINED_ENV
from tests.apptest_support import ROOT, assert_no_exception, new_app

SOURCE = ROOT / "pretrained" / "toy-reverse"
PAGES = ROOT / "app" / "app_pages"
BROKEN_MESSAGE = "This model cannot be loaded."
_names = itertools.count()


def damaged_folder(tmp_path: Path, damage: str) -> tuple[Path, str]:
    """A pretrained folder holding one copy of toy-reverse, damaged as asked; returns (folder, model name)."""
    folder = tmp_path / "pretrained"
    name = f"broken-{damage}-{next(_names)}"
    model = folder / name
    shutil.copytree(SOURCE, model)
    weights = model / "model.safetensors"
    if damage == "missing-weights":
        weights.unlink()
    elif damage == "corrupt-weights":  # same size, different bytes: caught by the SHA-256 check
        data = bytearray(weights.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
        weights.write_bytes(bytes(data))
    elif damage == "garbage-weights":  # not a safetensors file at all
        weights.write_bytes(b"not a safetensors file")
    elif damage == "missing-tokenizer":
        (model / "spm.model").unlink()
    else:
        raise ValueError(damage)
    return folder, name


def errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.skipif(not SOURCE.is_dir(), reason="pretrained/toy-reverse is not shipped")
@pytest.mark.parametrize("damage", ["missing-weights", "corrupt-weights", "garbage-weights", "missing-tokenizer"])
def test_explorer_names_the_broken_file(tmp_path, monkeypatch, damage):
    folder, name = damaged_folder(tmp_path, damage)
    monkeypatch.setenv(PRETRAINED_ENV, str(folder))
    at = new_app(name, "a b c")
    assert_no_exception(at)
    messages = [m for m in errors(at) if BROKEN_MESSAGE in m]
    assert len(messages) == 1, errors(at)
    damaged_file = "spm.model" if damage == "missing-tokenizer" else "model.safetensors"
    assert damaged_file in messages[0] and name in messages[0]  # names the file …
    assert "python -m core.train" in messages[0] or "download" in messages[0].lower()  # … and the fix
    assert not at.get("plotly_chart")  # nothing drawn from a model that did not load


def test_empty_model_folder_says_so(tmp_path, monkeypatch):
    (tmp_path / "pretrained").mkdir()
    monkeypatch.setenv(PRETRAINED_ENV, str(tmp_path / "pretrained"))
    at = new_app()
    assert_no_exception(at)
    assert any("No model found" in m for m in errors(at)), errors(at)


@pytest.mark.parametrize("content", [b"{ not json", b"\xff\xfe not utf-8", b"[1, 2]"])
def test_unreadable_config_is_listed_with_the_reason_not_skipped(tmp_path, monkeypatch, content):
    folder = tmp_path / "pretrained" / "unreadable"
    folder.mkdir(parents=True)
    (folder / "config.json").write_bytes(content)
    monkeypatch.setenv(PRETRAINED_ENV, str(tmp_path / "pretrained"))
    at = new_app()
    assert_no_exception(at)
    assert at.session_state["model"] == "unreadable"
    messages = [m for m in errors(at) if "config.json" in m]
    assert messages and "cannot be read" in messages[0] and "git checkout" in messages[0], errors(at)
    assert not at.get("plotly_chart")


def lesson_pages() -> list[str]:
    return [p for p in ("scaled_attention.py", "masks.py", "positional.py", "multihead.py", "architecture.py") if (PAGES / p).is_file()]


@pytest.mark.skipif(not SOURCE.is_dir(), reason="pretrained/toy-reverse is not shipped")
@pytest.mark.skipif(not (PAGES / "scaled_attention.py").is_file(), reason="app/app_pages/scaled_attention.py is not written yet")
@pytest.mark.parametrize("page", lesson_pages())
def test_lesson_pages_render_with_a_broken_model(tmp_path, monkeypatch, page):
    folder, name = damaged_folder(tmp_path, "corrupt-weights")
    monkeypatch.setenv(PRETRAINED_ENV, str(folder))
    at = new_app(name, "a b c")
    at.switch_page(f"app_pages/{page}").run()
    assert_no_exception(at)
    assert at.title, "the lesson page drew nothing"
    # A message about the model appears at most once, and only as the clear "cannot be loaded" one.
    assert all(BROKEN_MESSAGE in m for m in errors(at) if "model" in m.lower()), errors(at)


@pytest.mark.skipif(not (PAGES / "scaled_attention.py").is_file(), reason="app/app_pages/scaled_attention.py is not written yet")
@pytest.mark.skipif(not SOURCE.is_dir(), reason="pretrained/toy-reverse is not shipped")
def test_scaled_attention_lesson_keeps_its_model_free_parts(tmp_path, monkeypatch):
    folder, name = damaged_folder(tmp_path, "missing-weights")
    monkeypatch.setenv(PRETRAINED_ENV, str(folder))
    at = new_app(name, "a b c")
    at.switch_page("app_pages/scaled_attention.py").run()
    assert_no_exception(at)
    assert len(at.get("plotly_chart")) >= 4  # soft dictionary, histograms, softmax example, curves, scoring
    assert at.slider(key="scaled_angle").value is not None
    at.slider(key="scaled_angle").set_value(200).run()  # still interactive
    assert_no_exception(at)
    assert any(BROKEN_MESSAGE in m for m in errors(at)), errors(at)  # its model section explains why it is empty
