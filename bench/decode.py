"""Greedy-decoding latency with and without attention recording.

    python bench/decode.py --model pretrained/multi30k-en-de [--threads 2] [--sentences 30]
    python bench/decode.py --model models/opus-mt-ko-en      # a Hugging Face folder works the same
    python bench/decode.py --marian-base                      # ours vs transformers' generate
    python bench/decode.py --compare-ct2 [--model pretrained/multi30k-en-de]   # ours vs CTranslate2
    python bench/decode.py --compare-layout                   # PyTorch's weight layout vs input-major
    python bench/decode.py --compare-commit HEAD~1            # an earlier commit vs the working tree

Prints the median latency per sentence of
  * plain:     greedy decoding with the key/value cache, nothing recorded
               (``Translator.translate_texts``), and
  * recording: the same decoding recording every attention map, the per-step
               rows and top-5 probabilities, returned as numpy arrays
               (``Translator.translate``),
and their ratio. Targets (issue 2, 2 CPU cores, shipped 3+3-layer d_model 256
model): recording ≤ 1.15× plain, ≤ 40 ms median per sentence.

``--marian-base`` builds the paper's base Transformer as a ``transformers``
MarianMT from its config (6 + 6 layers, d_model 512, 8 heads, d_ff 2048,
opus-mt's 58 101-piece vocabulary, random weights), feeds 20-token inputs and
forces 20-token outputs (``</s>`` banned), and prints ms per sentence for
  * ours:      ``core.decoding.greedy_decode`` on ``core.hf.HFModel`` recording
               every map, per-step rows and top-5, plus the encoder's maps
               (what ``HFTranslator.translate`` does);
  * generate:  the library's ``generate`` without attentions;
  * generate+attn: ``generate(output_attentions=True, return_dict_in_generate=True)``.
All three use the same model object with the "eager" attention implementation
(the one that can return weights).

``--compare-ct2`` converts the model to CTranslate2 float32 (``bench/ct2_convert.py``)
and decodes the first ``--sentences`` lines of test_2016_flickr with both engines,
batch 1 and ``--batch``, 1 and 2 threads, each engine in its own process,
CTranslate2 with both its CPU back ends (MKL and oneDNN; ratios are against the
faster), interleaved over ``--repeats`` rounds (``bench/ct2_compare.py``; needs
``pip install ctranslate2``, a benchmark-only dependency). Targets (issue 19): with every map
recorded, batch 1 ≤ 2× CTranslate2, batch 32 ≤ 1.5×; recording ≤ 1.10× of not recording.

``--compare-commit REV`` measures a change before and after in one run: REV's tree
(checked out into a temporary ``git worktree``) against the working tree, each in
its own process, interleaved (``bench/commit_compare.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import load_translator  # noqa: E402
from core.data import read_lines  # noqa: E402

DEFAULT_SOURCES = "../shared/data/multi30k/val.en"


def pick_sentences(translator, path: Path, count: int, tokens: int) -> list[str]:
    """Sentences of about ``tokens`` source pieces (± 2) from ``path``."""
    lines = read_lines(path) if path.is_file() else []
    picked = [s for s in lines if s and abs(len(translator.source_tokenizer.encode(s)) - tokens) <= 2]
    if not picked:
        examples = translator.info.metadata.get("examples") or ["a b c d e f g h i j"]
        picked = examples
    return (picked * (count // len(picked) + 1))[:count]


def median_ms(fn, sentences: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        for s in sentences:
            start = time.perf_counter()
            fn(s)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def marian_base_comparison(threads: int, sentences: int, repeats: int, tokens: int = 20) -> None:
    """The ``--marian-base`` measurement (see the module docstring)."""
    import transformers as tf

    from core.decoding import greedy_decode
    from core.hf.model import HFModel, config_view

    vocab = 58101
    config = tf.MarianConfig(
        vocab_size=vocab, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
        pad_token_id=vocab - 1, eos_token_id=0, decoder_start_token_id=vocab - 1,
    )
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    hf = tf.MarianMTModel(config).eval()
    model = HFModel(hf, config_view(hf.config, "marian", "bart", vocab, 512), "bart", None)
    model.banned_ids = sorted({vocab - 1, 0})  # no <pad>, no </s>: every output is `tokens` long
    gen = dict(min_new_tokens=tokens, max_new_tokens=tokens, num_beams=1, do_sample=False)
    inputs = [torch.randint(1, vocab - 1, (1, tokens)) for _ in range(sentences)]

    def ours(src: torch.Tensor) -> None:
        hyp = greedy_decode(model, src, [tokens], record=True, top_k=5)[0]
        assert len(hyp.token_ids) == tokens
        torch.stack(model.encode(src, need_attention=True).attention, dim=1).numpy()

    def generate(src: torch.Tensor) -> None:
        hf.generate(src, **gen)

    def generate_attn(src: torch.Tensor) -> None:
        out = hf.generate(src, output_attentions=True, return_dict_in_generate=True, **gen)
        assert len(out.cross_attentions) == tokens

    torch.set_num_threads(threads)
    methods = {"ours (all maps)": ours, "generate": generate, "generate+attn": generate_attn}
    results: dict[str, list[float]] = {name: [] for name in methods}
    with torch.inference_mode():
        for fn in methods.values():
            fn(inputs[0])  # warm-up
        for _ in range(repeats):  # interleaved, so background load affects all alike
            for name, fn in methods.items():
                results[name].append(median_ms(fn, inputs, 1))
    print(f"model:    transformers MarianMT from config, 6+6 layers, d_model 512, 8 heads, d_ff 2048, vocab {vocab}, random weights")
    print(f"threads:  {torch.get_num_threads()}   sentences: {sentences} × {repeats}   {tokens}-token inputs, {tokens}-token outputs")
    for name, values in results.items():
        print(f"{name:16s} {statistics.median(values):8.1f} ms median per sentence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="a model folder (ours or Hugging Face)")
    parser.add_argument("--marian-base", action="store_true", help="compare with transformers' generate on a paper-base Marian")
    parser.add_argument("--sources", default=DEFAULT_SOURCES, help="sentences to pick from")
    parser.add_argument("--tokens", type=int, default=20, help="source length in pieces")
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compare-ct2", action="store_true", help="ours vs CTranslate2 on the same weights")
    parser.add_argument("--compare-layout", action="store_true",
                        help="PyTorch's weight layout vs the input-major one (core.inference_layout)")
    parser.add_argument("--compare-commit", metavar="REV", help="an earlier commit's decoder vs the working tree's")
    parser.add_argument("--batch", type=int, default=32, help="the large batch of --compare-ct2 and --compare-layout")
    args = parser.parse_args()
    if args.compare_layout:
        from bench.layout_compare import compare as compare_layout

        root = Path(__file__).resolve().parent.parent
        lines = read_lines(root / "../shared/data/multi30k/test_2016_flickr.en")[: args.sentences]
        compare_layout(args.model or "pretrained/multi30k-en-de", lines, [1, args.batch], [1, 2], args.repeats)
        return
    if args.compare_commit:
        from bench.commit_compare import compare as compare_commit

        root = Path(__file__).resolve().parent.parent
        lines = read_lines(root / "../shared/data/multi30k/test_2016_flickr.en")[: args.sentences]
        compare_commit(args.compare_commit, args.model or "pretrained/multi30k-en-de", lines, [1, args.batch], [1, 2],
                       args.repeats)
        return
    if args.compare_ct2:
        from bench.ct2_compare import compare

        root = Path(__file__).resolve().parent.parent
        lines = read_lines(root / "../shared/data/multi30k/test_2016_flickr.en")[: args.sentences]
        compare(args.model or "pretrained/multi30k-en-de", lines, [1, args.batch], [1, 2], args.repeats)
        return
    if args.marian_base:
        marian_base_comparison(args.threads, args.sentences, args.repeats, args.tokens)
        return
    if not args.model:
        parser.error("give --model FOLDER or --marian-base")

    torch.set_num_threads(args.threads)
    tr = load_translator(args.model)
    sentences = pick_sentences(tr, Path(args.sources), args.sentences, args.tokens)
    out_lens = [len(tr.translate(s).output_ids) for s in sentences]  # also warms up

    def plain(s: str) -> None:
        tr.translate_texts([s])

    def recording(s: str) -> None:
        tr.translate(s)

    # Interleave the two measurements so background load affects both alike.
    plain_ms, rec_ms = [], []
    for _ in range(args.repeats):
        plain_ms.append(median_ms(plain, sentences, 1))
        rec_ms.append(median_ms(recording, sentences, 1))
    p, r = statistics.median(plain_ms), statistics.median(rec_ms)
    print(f"model:      {args.model} ({tr.config.n_encoder_layers}+{tr.config.n_decoder_layers} layers, d_model {tr.config.d_model}, {tr.config.n_heads} heads)")
    print(f"threads:    {torch.get_num_threads()}   sentences: {len(sentences)} × {args.repeats}")
    print(f"source len: {statistics.mean(len(tr.source_tokenizer.encode(s)) for s in sentences):.1f} pieces; output len {statistics.mean(out_lens):.1f} tokens")
    print(f"plain:      {p:.1f} ms median per sentence")
    print(f"recording:  {r:.1f} ms median per sentence")
    print(f"ratio:      {r / p:.3f}x  (target ≤ 1.15x; ≤ 40 ms)")


if __name__ == "__main__":
    main()
