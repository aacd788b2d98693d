"""Sequential steps against one parallel step, on this CPU: one encoder pass timed by length.

Table 1 of the paper counts *sequential operations* per layer: a recurrent
layer needs O(n) — state t waits for state t−1 — while self-attention needs
O(1): all n positions are computed in one batch of matrix products. This
module times one encoder pass over random token ids of growing length, batch
1, for a GRU encoder and a Transformer encoder, so the page (and
``bench/encoder_wall_time.py``) can show what that means on the machine at hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from ..model import Transformer
from .model import RNNSeq2Seq

DEFAULT_LENGTHS = (8, 16, 32, 64, 128, 255)


@dataclass(frozen=True)
class EncoderTimes:
    """Milliseconds of one encoder pass (fastest of several) per source length (``</s>`` included)."""

    lengths: tuple[int, ...]
    rnn_ms: tuple[float, ...]
    transformer_ms: tuple[float, ...]
    transformer_sequential_steps: int  # one per layer, whatever n (the GRU: one per position, n)
    threads: int


def _fastest_ms(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Fastest of ``repeats`` timed calls of each function, interleaved (a, b, a, b, …).

    The minimum, not the mean: on a shared machine other work only ever adds
    time, so the fastest run is the best estimate of the pass itself.
    """
    for run in runs.values():  # warm-up (allocations, kernel choice)
        run()
        run()
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], (time.perf_counter() - start) * 1000)
    return best


def time_encoders(
    rnn: RNNSeq2Seq, transformer: Transformer, lengths: tuple[int, ...] = DEFAULT_LENGTHS, repeats: int = 7, seed: int = 0
) -> EncoderTimes:
    """Time ``rnn.encode`` and ``transformer.encode`` (attention maps off) on the same random ids."""
    generator = torch.Generator().manual_seed(seed)
    longest = min(rnn.cfg.max_positions, transformer.cfg.max_positions)
    lengths = tuple(n for n in lengths if n <= longest)
    rnn_ms, tr_ms = [], []
    with torch.inference_mode():
        for n in lengths:
            ids = torch.randint(4, transformer.cfg.src_vocab_size, (1, n), generator=generator)
            ids[0, -1] = transformer.cfg.eos_id
            best = _fastest_ms({"rnn": lambda: rnn.encode(ids),
                                "transformer": lambda: transformer.encode(ids, need_attention=False)}, repeats)
            rnn_ms.append(round(best["rnn"], 3))
            tr_ms.append(round(best["transformer"], 3))
    return EncoderTimes(lengths, tuple(rnn_ms), tuple(tr_ms), transformer.cfg.n_encoder_layers,
                        torch.get_num_threads())
