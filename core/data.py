"""Parallel text: reading aligned files, synthetic toy tasks, batching by token count.

The paper batches "sentence pairs … by approximate sequence length. Each
training batch contained a set of sentence pairs containing approximately
25000 source tokens and 25000 target tokens" (§5.1). We do the same at a
laptop scale: pairs are sorted by length, cut into batches whose padded size
stays under ``batch_tokens``, and the batch order is shuffled every epoch with
a seed derived from the epoch number, so a resumed run replays exactly the
same batches.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from .tokenizer import Tokenizer

SYNTHETIC_SYMBOLS = "a b c d e f g h i j k l m n o p q r s t".split()


def read_lines(path: str | Path) -> list[str]:
    """One stripped sentence per line (the Multi30k files have stray spaces)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [line.strip() for line in fh]


def read_parallel(src_path: str | Path, tgt_path: str | Path) -> list[tuple[str, str]]:
    """Aligned pairs from two files; empty pairs are dropped.

    Raises:
        ValueError: if the files have different numbers of lines.
    """
    src, tgt = read_lines(src_path), read_lines(tgt_path)
    if len(src) != len(tgt):
        raise ValueError(f"{src_path} has {len(src)} lines but {tgt_path} has {len(tgt)}: they must be aligned")
    return [(s, t) for s, t in zip(src, tgt) if s and t]


def synthetic_pairs(task: str, count: int, min_len: int, max_len: int, seed: int) -> list[tuple[str, str]]:
    """Toy tasks with textbook attention patterns.

    * ``copy``: target = source (cross-attention is the diagonal).
    * ``reverse``: target = source reversed (the anti-diagonal).
    * ``sort``: target = source sorted (attention jumps to the next-smallest symbol).
    """
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        words = [rng.choice(SYNTHETIC_SYMBOLS) for _ in range(rng.randint(min_len, max_len))]
        if task == "copy":
            out = words
        elif task == "reverse":
            out = words[::-1]
        elif task == "sort":
            out = sorted(words)
        else:
            raise ValueError(f"unknown synthetic task {task!r}: use copy, reverse or sort")
        pairs.append((" ".join(words), " ".join(out)))
    return pairs


@dataclass
class EncodedPair:
    src: list[int]  # source pieces + </s>
    tgt: list[int]  # target pieces + </s>


def encode_pairs(
    pairs: list[tuple[str, str]], src_tok: Tokenizer, tgt_tok: Tokenizer, max_tokens: int
) -> list[EncodedPair]:
    """Tokenize and append ``</s>``; pairs longer than ``max_tokens`` are dropped."""
    out = []
    src_ids = src_tok.sp.encode([s for s, _ in pairs], out_type=int)
    tgt_ids = tgt_tok.sp.encode([t for _, t in pairs], out_type=int)
    for s, t in zip(src_ids, tgt_ids):
        if 0 < len(s) < max_tokens and 0 < len(t) < max_tokens:
            out.append(EncodedPair(s + [src_tok.eos_id], t + [tgt_tok.eos_id]))
    return out


@dataclass
class Batch:
    """A padded batch. ``tgt_in`` starts with ``<s>``; ``tgt_out`` is shifted by one."""

    src: torch.Tensor  # (batch, src_len)
    tgt_in: torch.Tensor  # (batch, tgt_len)
    tgt_out: torch.Tensor  # (batch, tgt_len)
    n_tokens: int  # real (non-pad) target tokens

    def to(self, device: torch.device) -> "Batch":
        """The batch on ``device`` (pinned memory and a non-blocking copy for a GPU)."""
        if device.type == "cpu":
            return self
        move = (lambda t: t.pin_memory().to(device, non_blocking=True)) if device.type == "cuda" else (lambda t: t.to(device))
        return Batch(move(self.src), move(self.tgt_in), move(self.tgt_out), self.n_tokens)


def make_batches(pairs: list[EncodedPair], batch_tokens: int) -> list[list[int]]:
    """Indices of pairs grouped by length so that each padded batch stays under ``batch_tokens``."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i].tgt), len(pairs[i].src)))
    batches: list[list[int]] = []
    current: list[int] = []
    width = 0
    for i in order:
        w = max(width, len(pairs[i].src), len(pairs[i].tgt))
        if current and w * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current, w = [], max(len(pairs[i].src), len(pairs[i].tgt))
        current.append(i)
        width = w
    if current:
        batches.append(current)
    return batches


def collate(pairs: list[EncodedPair], indices: list[int], pad_id: int, bos_id: int) -> Batch:
    """Pad one batch; the decoder input is ``<s>`` + target without its last token."""
    chosen = [pairs[i] for i in indices]
    src_w = max(len(p.src) for p in chosen)
    tgt_w = max(len(p.tgt) for p in chosen)
    src = torch.full((len(chosen), src_w), pad_id, dtype=torch.long)
    tgt_in = torch.full((len(chosen), tgt_w), pad_id, dtype=torch.long)
    tgt_out = torch.full((len(chosen), tgt_w), pad_id, dtype=torch.long)
    for row, p in enumerate(chosen):
        src[row, : len(p.src)] = torch.tensor(p.src)
        tgt_in[row, : len(p.tgt)] = torch.tensor([bos_id] + p.tgt[:-1])
        tgt_out[row, : len(p.tgt)] = torch.tensor(p.tgt)
    return Batch(src, tgt_in, tgt_out, int((tgt_out != pad_id).sum()))


def update_groups(
    batches: Iterator[tuple[int, list[int]]], size: int
) -> Iterator[tuple[int, list[list[int]]]]:
    """Consecutive batches of an epoch in groups of ``size``: the micro-batches of one update
    (gradient accumulation). Yields ``(index_in_epoch of the group's last batch, batches)``;
    the epoch's last group may be smaller."""
    group: list[list[int]] = []
    position = -1
    for position, batch in batches:
        group.append(batch)
        if len(group) == size:
            yield position, group
            group = []
    if group:
        yield position, group


def epoch_batches(batches: list[list[int]], epoch: int, seed: int, start: int = 0) -> Iterator[tuple[int, list[int]]]:
    """The batches of ``epoch`` in a shuffled order that depends only on (seed, epoch).

    Yields ``(index_in_epoch, batch)`` from ``start`` on, so a resumed run
    continues exactly where it stopped.
    """
    order = list(range(len(batches)))
    random.Random(seed * 100003 + epoch).shuffle(order)
    for position in range(start, len(order)):
        yield position, batches[order[position]]
