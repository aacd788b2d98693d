"""Shared fixtures: a tiny tokenizer and a tiny random-weight model built in seconds."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

torch.set_num_threads(1)  # tiny models run fastest on one thread; one core per test worker

MAX_WORKERS = 4  # each worker loads the shipped models and may start a browser and an app server


def pytest_xdist_auto_num_workers(config) -> int | None:
    """``-n auto`` (pytest.ini): one worker per core this process may use, at most
    ``MAX_WORKERS`` (``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))

from core import CheckpointInfo, Tokenizer, Transformer, TransformerConfig, Translator  # noqa: E402

SENTENCES = [
    "A man in a blue shirt is riding a bike.",
    "Two dogs are playing in the snow.",
    "A woman sings on a stage while people watch.",
    "Children jump into a swimming pool.",
    "The old man sells vegetables at the market.",
    "Ein Mann fährt Fahrrad auf der Straße.",
    "Zwei Hunde spielen im Schnee.",
    "안녕하세요 저는 학생입니다.",
    "고양이가 책상 위에서 잠을 잡니다.",
]


@pytest.fixture(scope="session")
def tiny_tokenizer(tmp_path_factory) -> Tokenizer:
    folder = tmp_path_factory.mktemp("spm")
    text = folder / "text.txt"
    text.write_text("\n".join(SENTENCES * 20) + "\n", encoding="utf-8")
    model = Tokenizer.train([text], folder / "tiny", vocab_size=120, model_type="bpe")
    return Tokenizer(model)


def make_model(vocab: int, seed: int = 0, **overrides) -> Transformer:
    torch.manual_seed(seed)
    params = dict(
        src_vocab_size=vocab,
        tgt_vocab_size=vocab,
        d_model=32,
        n_heads=4,
        n_encoder_layers=2,
        n_decoder_layers=2,
        d_ff=64,
        max_positions=48,
        dropout=0.0,
    )
    params.update(overrides)
    return Transformer(TransformerConfig(**params)).eval()


@pytest.fixture(scope="session")
def tiny_model(tiny_tokenizer) -> Transformer:
    return make_model(tiny_tokenizer.vocab_size)


@pytest.fixture(scope="session")
def tiny_translator(tiny_model, tiny_tokenizer) -> Translator:
    info = CheckpointInfo("tiny", "en", "de", "spm.model", "spm.model", {"title": "tiny test model"})
    return Translator(tiny_model, tiny_tokenizer, tiny_tokenizer, info)


@pytest.fixture(scope="session")
def hf_folders(tmp_path_factory) -> dict:
    """Tiny Hugging Face model folders, one per supported architecture (``tests/hf_support.py``)."""
    pytest.importorskip("transformers")
    from hf_support import ARCHITECTURES, build_tiny

    root = tmp_path_factory.mktemp("hf")
    return {arch: build_tiny(arch, root / f"tiny-{arch}-en-de") for arch in ARCHITECTURES}
