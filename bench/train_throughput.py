"""Training throughput (target tokens per second) for a training config.

    python bench/train_throughput.py --config configs/multi30k-en-de.toml [--steps 20] [--threads 2]

Builds the model and real batches exactly as ``core.train`` does (same
tokenizer size, batch_tokens, label smoothing, Adam) and times full training
steps (forward, loss, backward, optimizer), after two warm-up steps, in float32
and with the config's bfloat16 autocast. Trains its own throw-away
sentencepiece model in a temporary folder if the run folder has none.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import collate, encode_pairs, make_batches  # noqa: E402
from core.tokenizer import Tokenizer  # noqa: E402
from core.train import PROJECT_ROOT, TrainSettings, build_model, load_config, load_pairs, prepare_tokenizer, tokenizer_files  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default="configs/multi30k-en-de.toml")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = load_config(args.config)
    ts = TrainSettings(**cfg.get("train", {}))
    train_pairs, _ = load_pairs(cfg, Path(tempfile.gettempdir()))
    run_dir = PROJECT_ROOT / "runs" / cfg["name"]
    names = tokenizer_files(cfg)
    if all((run_dir / n).is_file() for n in names):
        src_tok, tgt_tok = (Tokenizer(run_dir / n) for n in names)
    else:
        tmp = Path(tempfile.mkdtemp())
        src_tok, tgt_tok = (Tokenizer(p) for p in prepare_tokenizer(cfg, tmp, train_pairs))
    data = encode_pairs(train_pairs, src_tok, tgt_tok, ts.max_tokens)
    batches = make_batches(data, ts.batch_tokens)
    torch.manual_seed(0)
    model = build_model(cfg, src_tok.vocab_size, tgt_tok.vocab_size).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    picked = [batches[i * len(batches) // (args.steps + 2)] for i in range(args.steps + 2)]

    params = sum(p.numel() for p in model.parameters())
    print(f"config:  {args.config}  ({params / 1e6:.1f} M parameters, batch_tokens {ts.batch_tokens}, {torch.get_num_threads()} threads)")
    for name, bf16 in (("float32", False), ("bfloat16 autocast", True)):
        rates = []
        for i, indices in enumerate(picked):
            batch = collate(data, indices, model.cfg.pad_id, model.cfg.bos_id)
            start = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits, _ = model(batch.src, batch.tgt_in, need_attention=False)
            loss = F.cross_entropy(logits.float().view(-1, logits.size(-1)), batch.tgt_out.view(-1),
                                   ignore_index=model.cfg.pad_id, label_smoothing=ts.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if i >= 2:
                rates.append(batch.n_tokens / (time.perf_counter() - start))
        print(f"{name:>18}: {statistics.median(rates):7.0f} target tokens/s (median of {len(rates)} steps; "
              f"p10 {statistics.quantiles(rates, n=10)[0]:.0f}, p90 {statistics.quantiles(rates, n=10)[-1]:.0f})")


if __name__ == "__main__":
    main()
