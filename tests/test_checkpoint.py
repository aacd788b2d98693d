"""Checkpoint folders: round trip, and named errors for missing or damaged files."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from core import CheckpointError, CheckpointInfo, load_translator, save_checkpoint
from tests.conftest import SENTENCES


@pytest.fixture()
def checkpoint(tmp_path, tiny_model, tiny_tokenizer):
    info = CheckpointInfo("tiny", "en", "de", "spm.model", "spm.model", {"title": "tiny"})
    folder = tmp_path / "tiny"
    save_checkpoint(folder, tiny_model, info, {"spm.model": tiny_tokenizer.model_path}, "# tiny\n", dtype=torch.float32)
    return folder


def test_round_trip_gives_identical_translations(checkpoint, tiny_translator):
    loaded = load_translator(checkpoint)
    for text in SENTENCES[:3]:
        a, b = loaded.translate(text), tiny_translator.translate(text)
        assert a.output_ids == b.output_ids
        assert np.allclose(a.attention.cross, b.attention.cross, atol=1e-6)
    assert loaded.info.source_language == "en" and loaded.info.metadata["title"] == "tiny"


def test_files_are_safetensors_and_json_not_pickle(checkpoint):
    names = sorted(p.name for p in checkpoint.iterdir())
    assert names == ["MODEL_CARD.md", "config.json", "model.safetensors", "spm.model"]
    header_len = int.from_bytes((checkpoint / "model.safetensors").read_bytes()[:8], "little")
    header = json.loads((checkpoint / "model.safetensors").read_bytes()[8 : 8 + header_len])
    assert "src_embed.weight" in header


def test_fp16_storage_halves_the_size_and_still_loads(tmp_path, tiny_model, tiny_tokenizer, checkpoint):
    info = CheckpointInfo("half", "en", "de", "spm.model", "spm.model")
    folder = save_checkpoint(tmp_path / "half", tiny_model, info, {"spm.model": tiny_tokenizer.model_path})
    full = (checkpoint / "model.safetensors").stat().st_size
    half = (folder / "model.safetensors").stat().st_size
    assert half < 0.6 * full
    res = load_translator(folder).translate(SENTENCES[0])
    assert np.allclose(res.attention.cross.sum(-1), 1.0, atol=1e-5)


@pytest.mark.parametrize("name", ["config.json", "model.safetensors", "spm.model"])
def test_missing_file_is_named(checkpoint, name):
    (checkpoint / name).unlink()
    with pytest.raises(CheckpointError, match=rf"{name} is missing: restore it .*core\.train"):
        load_translator(checkpoint)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_translator(tmp_path / "nope")


def test_truncated_weights_are_named(checkpoint):
    path = checkpoint / "model.safetensors"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CheckpointError, match=r"model\.safetensors is truncated"):
        load_translator(checkpoint)


def test_truncated_weights_are_caught_even_without_hash_check(checkpoint):
    path = checkpoint / "model.safetensors"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CheckpointError, match=r"model\.safetensors cannot be read"):
        load_translator(checkpoint, verify=False)


def test_corrupted_bytes_are_named(checkpoint):
    path = checkpoint / "spm.model"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match=r"spm\.model is corrupted"):
        load_translator(checkpoint)


def test_mismatched_config_is_named(checkpoint):
    config = json.loads((checkpoint / "config.json").read_text())
    config["model"]["d_ff"] = 128
    (checkpoint / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match=r"model\.safetensors does not match .*config\.json.*shape mismatch"):
        load_translator(checkpoint)


def test_invalid_json_is_named(checkpoint):
    (checkpoint / "config.json").write_text("{not json")
    with pytest.raises(CheckpointError, match=r"config\.json is not valid JSON"):
        load_translator(checkpoint)


def test_tokenizer_vocab_mismatch_is_named(checkpoint, tmp_path):
    from core import Tokenizer

    text = tmp_path / "t.txt"
    text.write_text("\n".join(SENTENCES * 5))
    other = Tokenizer.train([text], tmp_path / "other", vocab_size=80)
    shutil.copyfile(other, checkpoint / "spm.model")
    with pytest.raises(CheckpointError, match=r"spm\.model has \d+ pieces but the model expects"):
        load_translator(checkpoint, verify=False)
