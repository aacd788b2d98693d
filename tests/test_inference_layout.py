"""core.inference_layout: a loaded model's weights are stored input-major, with the same values and results."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from core import load_translator
from core.checkpoint import load_checkpoint, save_checkpoint
from core.config import TransformerConfig
from core.inference_layout import input_major, is_input_major, store_input_major
from core.model import Transformer

ROOT = Path(__file__).resolve().parent.parent
EN_DE = ROOT / "pretrained" / "multi30k-en-de"


def test_a_loaded_model_is_input_major_with_the_checkpoints_values():
    served = load_translator(EN_DE).model
    plain, *_ = load_checkpoint(EN_DE)  # PyTorch's default (out, in) row-major storage
    linears = [name for name, m in served.named_modules() if isinstance(m, nn.Linear)]
    assert linears and all(is_input_major(served.get_submodule(n).weight) for n in linears)
    assert not any(is_input_major(plain.get_submodule(n).weight) for n in linears)
    assert served.cfg.tie_output and is_input_major(served.target_embedding.weight)  # the pre-softmax matrix (§3.4)
    for (name, a), (_, b) in zip(served.state_dict().items(), plain.state_dict().items()):
        assert a.shape == b.shape and torch.equal(a, b), name


def test_the_same_logits_and_maps_as_the_default_layout():
    served = load_translator(EN_DE)
    plain, *_ = load_checkpoint(EN_DE)
    src = served._pad([served.prepare_source(s)[0] for s in ["A man is riding a bike.", "Two dogs play in the snow."]])
    tgt = torch.tensor([[2, 10, 20, 30, 40], [2, 11, 21, 31, 0]])
    with torch.inference_mode():
        logits_a, maps_a = served.model(src, tgt)
        logits_b, maps_b = plain(src, tgt)
    assert torch.allclose(logits_a, logits_b, atol=1e-4)
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert torch.allclose(getattr(maps_a, kind), getattr(maps_b, kind), atol=1e-6), kind


def test_untied_models_and_saving_a_restored_model(tmp_path):
    cfg = TransformerConfig(src_vocab_size=40, tgt_vocab_size=30, d_model=16, n_heads=2, n_encoder_layers=1,
                            n_decoder_layers=1, d_ff=32, max_positions=32, dropout=0.0, share_embeddings=False,
                            tie_output=False)
    model = Transformer(cfg).eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    n_linear = sum(isinstance(m, nn.Linear) for m in model.modules())
    assert store_input_major(model) == n_linear  # the embeddings stay row-major: out_proj is its own Linear
    assert is_input_major(model.out_proj.weight) and not is_input_major(model.target_embedding.weight)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.requires_grad for p in model.parameters())
    weight = torch.randn(5, 3)
    assert torch.equal(input_major(weight), weight) and input_major(weight).stride() == (1, 5)


def test_a_restored_model_saves_and_loads_back_unchanged(tmp_path):
    """``save_checkpoint`` writes contiguous tensors, so a loaded (re-stored) model round-trips."""
    toy = ROOT / "pretrained" / "toy-reverse"
    loaded = load_translator(toy)
    folder = save_checkpoint(tmp_path / "again", loaded.model, loaded.info, {"spm.model": toy / "spm.model"},
                             dtype=torch.float32)
    again = load_translator(folder)
    assert all(torch.equal(a, b) for a, b in zip(loaded.model.state_dict().values(), again.model.state_dict().values()))
    assert again.translate("a b c d").text == loaded.translate("a b c d").text


def test_the_layout_benchmark_compares_the_same_translations(capsys):
    from bench.layout_compare import compare

    results = compare(ROOT / "pretrained" / "toy-reverse", ["a b c d", "e f g", "h i j k l", "m n"], [1, 2], [1], 1)
    assert set(results) == {(1, b, k) for b in (1, 2) for k in ("maps", "plain")}
    assert all(d > 0 and m > 0 and 0 <= wins <= 1 for d, m, wins in results.values())
    assert "the same translations with both layouts" in capsys.readouterr().out
