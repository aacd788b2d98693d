"""How sharp is a model's encoder–decoder attention? Per layer and head, on a test set.

    python bench/attention_quality.py --model pretrained/ko-en
    python bench/attention_quality.py --model pretrained/multi30k-en-de --limit 500
    python bench/attention_quality.py --model pretrained/ko-en --src test.ko --ref test.en
    python bench/attention_quality.py --model pretrained/seq2seq/multi30k-en-de-bahdanau   # an RNN: one map

Prints, for every decoder layer and head, the mean entropy ratio
(row entropy ÷ log(source length): 1.0 = uniform, 0.0 = one-hot) and the mean
max weight of the cross-attention rows, teacher-forced on the references
(``core.attention_quality``). Without ``--src``/``--ref`` it uses the test sets
of ``configs/<model name>.toml``: its pooled sets (``[data] pool``) if it has
them, else all of them. The corpora are read from ``../shared/data``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import load_translator  # noqa: E402
from core.checkpoint import read_config  # noqa: E402
from core.seq2seq import load_rnn_translator  # noqa: E402
from core.attention_quality import format_table, measure  # noqa: E402
from core.data import encode_pairs, read_parallel  # noqa: E402
from core.train import PROJECT_ROOT, evaluation_sets, load_config, resolve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="checkpoint folder, e.g. pretrained/ko-en")
    parser.add_argument("--config", help="training recipe whose test sets to use (default configs/<model name>.toml)")
    parser.add_argument("--src", help="source sentences (instead of the recipe's test sets)")
    parser.add_argument("--ref", help="reference translations, aligned with --src")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pairs of each test set")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = default)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    rnn = read_config(args.model)["model"].get("architecture") == "rnn"
    translator = (load_rnn_translator if rnn else load_translator)(args.model)
    if rnn and not translator.has_attention:
        print(f"{Path(args.model).name} has no attention: its decoder reads one context vector, nothing to measure")
        return 0
    if args.src or args.ref:
        if not (args.src and args.ref):
            parser.error("--src and --ref go together")
        sets = [(Path(args.src).name, read_parallel(args.src, args.ref))]
    else:
        config = Path(args.config) if args.config else PROJECT_ROOT / "configs" / f"{Path(args.model).resolve().name}.toml"
        if not config.is_file():
            print(f"error: {config} does not exist; pass --config or --src/--ref", file=sys.stderr)
            return 2
        cfg = load_config(config)
        tests = evaluation_sets(cfg)
        pool = set(cfg.get("data", {}).get("pool", []))
        tests = [t for t in tests if t["name"] in pool] or tests
        sets = []
        for t in tests:
            src, ref = resolve(t["src"]), resolve(t["ref"])
            if not src.is_file():
                print(f"error: {src} does not exist (the corpora live in ../shared/data)", file=sys.stderr)
                return 2
            sets.append((t["name"], read_parallel(src, ref)))
    if args.limit:
        sets = [(name, pairs[: args.limit]) for name, pairs in sets]

    model = translator.model
    max_len = model.cfg.max_positions - 1
    everything = []
    start = time.perf_counter()
    for name, pairs in sets:
        encoded = encode_pairs(pairs, translator.source_tokenizer, translator.target_tokenizer, max_len)
        everything += encoded
        q = measure(model, encoded)
        print(f"{name}: last decoder layer entropy ratio {q.layer_entropy_ratio[-1]:.3f}, "
              f"max weight {q.layer_max_weight[-1]:.3f} ({q.sentences} sentences)")
    q = measure(model, everything)
    names = ", ".join(name for name, _ in sets)
    print(f"\n{Path(args.model).name} on {names}")
    print(format_table(q))
    print(f"\n({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
