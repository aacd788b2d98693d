"""Back-translated corpora in a recipe: made once by the reverse model, reused, refused when stale.

The shipped toy-reverse model stands in for "the reverse direction": it turns
each line of a text into its reversal, so the pairs it makes are known exactly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core import load_translator
from core.back_translation import BackTranslation
from core.data import synthetic_pairs
from core.train import corpus_pairs, train

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "pretrained" / "toy-reverse"


def _text(path: Path, count: int, seed: int) -> Path:
    """``count`` toy sentences (letters a–t) written one per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(t + "\n" for _, t in synthetic_pairs("reverse", count, 3, 7, seed=seed)), encoding="utf-8")
    return path


def _corpus(text: Path, model: Path = TOY) -> dict:
    return {"name": "bt", "back_translate": {"model": str(model), "text": str(text)}, "weight": 1.0}


def test_pairs_are_the_reverse_models_translations_and_the_real_text(tmp_path):
    text = _text(tmp_path / "mono.txt", 40, seed=5)
    pairs = corpus_pairs(_corpus(text), tmp_path / "run")
    lines = text.read_text(encoding="utf-8").splitlines()
    made = load_translator(TOY).translate_texts(lines)
    assert [p[1] for p in pairs] == lines  # the target side is the real text, unchanged
    assert [p[0] for p in pairs] == made  # the source side is what the reverse model wrote
    # and for this model, that is the reversal: most lines come out exactly reversed
    assert sum(s == " ".join(t.split()[::-1]) for s, t in pairs) >= 30
    record = json.loads((tmp_path / "run" / "back-translation" / "bt.json").read_text())
    assert record["lines"] == 40 and set(record["fingerprint"]["model_sha256"]) == {"config.json", "model.safetensors", "spm.model"}


def test_a_second_read_reuses_the_file_without_loading_the_model(tmp_path, monkeypatch):
    text = _text(tmp_path / "mono.txt", 20, seed=6)
    first = corpus_pairs(_corpus(text), tmp_path / "run")

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded again")

    monkeypatch.setattr("core.loader.load_translator", no_model)
    assert corpus_pairs(_corpus(text), tmp_path / "run") == first


def test_a_changed_text_is_refused_on_resume_and_remade_in_a_fresh_run(tmp_path):
    text = _text(tmp_path / "mono.txt", 20, seed=7)
    run = tmp_path / "run"
    corpus_pairs(_corpus(text), run)
    _text(text, 25, seed=8)  # the recipe's text changed after the run started
    with pytest.raises(RuntimeError, match=r"bt\.txt was made from other inputs.*text_sha256.*start a new run"):
        corpus_pairs(_corpus(text), run, resuming=True)
    assert len(corpus_pairs(_corpus(text), run, resuming=False)) == 25


def test_a_changed_model_is_refused_on_resume(tmp_path):
    model = tmp_path / "reverse-model"
    shutil.copytree(TOY, model)
    text = _text(tmp_path / "mono.txt", 10, seed=9)
    run = tmp_path / "run"
    corpus_pairs(_corpus(text, model), run)
    (model / "config.json").write_text((model / "config.json").read_text() + " ", encoding="utf-8")
    with pytest.raises(RuntimeError, match="model_sha256"):
        corpus_pairs(_corpus(text, model), run, resuming=True)


def test_missing_model_text_or_keys_name_the_cause(tmp_path):
    text = _text(tmp_path / "mono.txt", 5, seed=10)
    with pytest.raises(FileNotFoundError, match=r"back-translation model .*nowhere is missing: train or download it"):
        corpus_pairs(_corpus(text, tmp_path / "nowhere"), tmp_path / "run")
    with pytest.raises(FileNotFoundError, match=r"back-translation text .*absent\.txt is missing"):
        corpus_pairs(_corpus(tmp_path / "absent.txt"), tmp_path / "run")
    with pytest.raises(ValueError, match="back_translate needs model and text"):
        BackTranslation.from_table("bt", {"model": str(TOY)}, Path)
    with pytest.raises(ValueError, match="needs train = .* or back_translate"):
        corpus_pairs({"name": "empty"}, tmp_path / "run")


def test_a_recipe_trains_on_a_back_translated_corpus_and_credits_it(tmp_path):
    text = _text(tmp_path / "data" / "mono.txt", 600, seed=11)
    real = synthetic_pairs("reverse", 300, 3, 7, seed=12)
    for side, col in (("src", 0), ("tgt", 1)):
        (tmp_path / "data" / f"real.{side}").write_text("".join(p[col] + "\n" for p in real), encoding="utf-8")
    recipe = tmp_path / "bt.toml"
    recipe.write_text(f'''name = "bt-toy"
source_language = "toy"
target_language = "toy"
[data]
valid_size = 20
[[data.corpus]]
name = "real"
train = {{ src = "{tmp_path}/data/real.src", tgt = "{tmp_path}/data/real.tgt" }}
valid = {{ src = "{tmp_path}/data/real.src", tgt = "{tmp_path}/data/real.tgt" }}
description = "real pairs"
[[data.corpus]]
name = "mono-bt"
back_translate = {{ model = "{TOY}", text = "{text}" }}
weight = 0.5
description = "letters"
license = "generated"
attribution = "nobody"
[tokenizer]
vocab_size = 40
model_type = "unigram"
[model]
d_model = 32
n_heads = 2
n_encoder_layers = 1
n_decoder_layers = 1
d_ff = 64
max_positions = 32
dropout = 0.0
[train]
batch_tokens = 600
warmup_steps = 20
max_steps = 20
checkpoint_every = 20
eval_every = 20
eval_sentences = 10
average_last = 1
threads = 1
[card]
examples = ["a b c"]
''', encoding="utf-8")
    folder = train(recipe, tmp_path / "run", tmp_path / "exp", quiet=True)
    assert (tmp_path / "run" / "back-translation" / "mono-bt.txt").is_file()
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    row = next(line for line in card.splitlines() if line.startswith("| mono-bt |"))
    assert "| 600 | 0.5 |" in row  # the corpus's pairs before weighting, and its weight
    assert f"source side back-translated from `{text}` by `{TOY}` (greedy)" in row
