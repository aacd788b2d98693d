"""Where training runs: the device, and one or many processes (PyTorch DistributedDataParallel).

    python -m core.train --config configs/toy-reverse.toml --device auto            # one process
    torchrun --nproc_per_node=2 -m core.train --config configs/toy-reverse.toml     # two processes, one machine
    torchrun --nnodes=2 --node_rank=0 --nproc_per_node=4 \\
        --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 -m core.train --config …      # two machines

``torchrun`` starts the processes and sets ``RANK``, ``WORLD_SIZE`` and
``LOCAL_RANK``; ``setup`` reads them, joins the process group (NCCL on GPUs,
gloo on CPUs) and picks this process's device.

How the work is split (``shard``): every process builds the *same* epoch of
token-bucketed batches as a single process would, and takes every
``world_size``-th sentence of each batch. The loss is summed over a process's
target tokens and divided by the token count of the *whole* batch, and DDP
averages the gradients over processes (so each loss is also multiplied by
``world_size``): the update is the one a single process makes on the whole
batch, up to the order of float additions. The recipe's ``batch_tokens`` is
therefore the global batch, whatever the number of processes, and the saved
state (step, epoch, batch position) does not depend on it: a run can be
resumed with a different number of processes. Only rank 0 evaluates, logs,
shows the progress bar and writes files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist

DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class Runtime:
    """This process's place in the run.

    Attributes:
        rank: 0 … world_size−1 (0 writes every file).
        world_size: number of training processes.
        device: where the model and batches live.
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """``auto`` → CUDA if present, else Apple's MPS, else the CPU. Asking for a device
    this machine lacks raises ``SystemExit`` with the reason and the fix."""
    if name not in DEVICES:
        raise SystemExit(f"--device {name!r} is not one of {', '.join(DEVICES)}")
    cuda, mps = torch.cuda.is_available(), torch.backends.mps.is_available()
    if name == "cuda" and not cuda:
        raise SystemExit("--device cuda: this PyTorch sees no CUDA GPU (torch.cuda.is_available() is False); "
                         "install a CUDA build of PyTorch on a machine with an NVIDIA GPU, or use --device cpu")
    if name == "mps" and not mps:
        raise SystemExit("--device mps: Apple's Metal backend is not available here; use --device cpu")
    if name == "cuda" or (name == "auto" and cuda):
        return torch.device("cuda", local_rank % max(torch.cuda.device_count(), 1))
    if name == "mps" or (name == "auto" and mps):
        return torch.device("mps")
    return torch.device("cpu")


def setup(device: str = "auto") -> Runtime:
    """Read torchrun's environment, join the process group if there is more than one process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    chosen = resolve_device(device, local)
    if chosen.type == "cuda":
        torch.cuda.set_device(chosen)
    if world > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if chosen.type == "cuda" else "gloo")
    return Runtime(rank, world, local, chosen)


def shard(indices: list[int], runtime: Runtime) -> list[int]:
    """This process's sentences of one global batch (every ``world_size``-th one)."""
    return indices[runtime.rank :: runtime.world_size]


def any_rank(flag: bool, runtime: Runtime) -> bool:
    """True on every process if it is true on one (e.g. "my time limit is up"), so all stop together."""
    if not runtime.distributed:
        return flag
    value = torch.tensor([1.0 if flag else 0.0], device=runtime.device)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item() > 0)


def token_mean(loss: torch.Tensor, n_tokens: int, runtime: Runtime) -> torch.Tensor:
    """The whole batch's per-token loss from each process's per-token loss on its shard
    (what a single process would log for the same batch)."""
    if not runtime.distributed:
        return loss
    pair = torch.stack([loss.detach().float() * n_tokens, torch.tensor(float(n_tokens), device=loss.device)])
    dist.all_reduce(pair)
    return pair[0] / pair[1].clamp_min(1)


def barrier(runtime: Runtime) -> None:
    if runtime.distributed:
        dist.barrier()


def teardown(runtime: Runtime) -> None:
    if runtime.distributed and dist.is_initialized():
        dist.destroy_process_group()
