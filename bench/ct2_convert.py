"""Convert one of our Transformer checkpoints to CTranslate2 (benchmark only).

    python bench/ct2_convert.py --model pretrained/multi30k-en-de --out /tmp/ct2-en-de

CTranslate2 is the engine a user would pick for speed; ``bench/decode.py
--compare-ct2`` decodes the same sentences with it and with us. The model is
described with CTranslate2's own ``TransformerSpec`` (post-norm, ReLU,
embeddings × √d_model, our sinusoidal table stored as the position
encodings, the output projection tied to the target embedding), in float32,
so both engines compute the same function. ``ctranslate2`` is a benchmark-only
dependency (``pip install ctranslate2``); the app never imports it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def convert(folder: str | Path, out: str | Path) -> Path:
    """Write a CTranslate2 model directory for ``folder`` at ``out``; returns ``out``."""
    import ctranslate2.specs.transformer_spec as ts  # noqa: F401  (import before torch, see bench/decode.py)
    from ctranslate2.specs import common_spec, transformer_spec

    from core import load_translator

    tr = load_translator(folder)
    model, cfg = tr.model, tr.config
    if cfg.n_encoder_layers != cfg.n_decoder_layers:
        layers = (cfg.n_encoder_layers, cfg.n_decoder_layers)
    else:
        layers = cfg.n_encoder_layers
    spec = transformer_spec.TransformerSpec.from_config(
        layers, cfg.n_heads, pre_norm=False, activation=common_spec.Activation.RELU
    )

    def linear(s, module) -> None:
        s.weight = module.weight.detach().float().numpy()
        s.bias = module.bias.detach().float().numpy()

    def fused(s, modules) -> None:
        import numpy as np

        s.weight = np.concatenate([m.weight.detach().float().numpy() for m in modules])
        s.bias = np.concatenate([m.bias.detach().float().numpy() for m in modules])

    def norm(s, module) -> None:
        s.gamma = module.weight.detach().float().numpy()
        s.beta = module.bias.detach().float().numpy()

    pe = model.positional_encoding.float().numpy()
    enc = spec.encoder
    enc.embeddings[0].weight = model.src_embed.weight.detach().float().numpy()
    enc.position_encodings.encodings = pe
    enc.scale_embeddings = True
    for s, layer in zip(enc.layer, model.encoder_layers):
        a = layer.self_attn
        fused(s.self_attention.linear[0], [a.w_q, a.w_k, a.w_v])
        linear(s.self_attention.linear[1], a.w_o)
        norm(s.self_attention.layer_norm, layer.norm_attn)
        linear(s.ffn.linear_0, layer.feed_forward.w_1)
        linear(s.ffn.linear_1, layer.feed_forward.w_2)
        norm(s.ffn.layer_norm, layer.norm_ff)
    dec = spec.decoder
    tgt_embedding = model.target_embedding.weight.detach().float().numpy()
    dec.embeddings.weight = tgt_embedding
    dec.position_encodings.encodings = pe
    dec.scale_embeddings = True
    dec.projection.weight = (
        tgt_embedding if model.out_proj is None else model.out_proj.weight.detach().float().numpy()
    )
    for s, layer in zip(dec.layer, model.decoder_layers):
        a, c = layer.self_attn, layer.cross_attn
        fused(s.self_attention.linear[0], [a.w_q, a.w_k, a.w_v])
        linear(s.self_attention.linear[1], a.w_o)
        norm(s.self_attention.layer_norm, layer.norm_self)
        linear(s.attention.linear[0], c.w_q)
        fused(s.attention.linear[1], [c.w_k, c.w_v])
        linear(s.attention.linear[2], c.w_o)
        norm(s.attention.layer_norm, layer.norm_cross)
        linear(s.ffn.linear_0, layer.feed_forward.w_1)
        linear(s.ffn.linear_1, layer.feed_forward.w_2)
        norm(s.ffn.layer_norm, layer.norm_ff)

    def pieces(tok) -> list[str]:
        return [tok.sp.id_to_piece(i) for i in range(tok.sp.get_piece_size())]

    spec.register_source_vocabulary(pieces(tr.source_tokenizer))
    spec.register_target_vocabulary(pieces(tr.target_tokenizer))
    tgt = tr.target_tokenizer.sp
    spec.config.bos_token = tgt.id_to_piece(cfg.bos_id)
    spec.config.eos_token = tgt.id_to_piece(cfg.eos_id)
    spec.config.unk_token = tgt.id_to_piece(tgt.unk_id())
    spec.config.decoder_start_token = tgt.id_to_piece(cfg.bos_id)
    spec.config.layer_norm_epsilon = model.decoder_layers[0].norm_ff.eps
    spec.validate()
    spec.optimize(quantization="float32")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="pretrained/multi30k-en-de")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    print(convert(args.model, args.out))


if __name__ == "__main__":
    main()
