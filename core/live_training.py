"""Train the letters-reversal toy live, in a background thread, and watch its attention form.

The Training page's "train it yourself": the recipe of ``configs/toy-reverse.toml``
(2 + 2 layers, d_model 64) trained from random weights for at most
``max_steps`` steps or ``max_seconds`` seconds, whichever comes first. Every
``report_every`` steps the job publishes its loss and the head-averaged
encoder–decoder attention of a probe string, teacher-forced on its right
answer, so a page can redraw the anti-diagonal as it appears. ``stop()`` ends
it at the next step. The result is a normal ``Translator`` (and can be saved
as a checkpoint folder with ``save``).

The tokenizer is the shipped toy's (``pretrained/toy-reverse/spm.model``): the
same 20 letters, so nothing but the Transformer is trained here.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .checkpoint import CheckpointInfo, save_checkpoint
from .data import collate, encode_pairs, epoch_batches, make_batches, synthetic_pairs
from .timeline import synthetic_target
from .tokenizer import Tokenizer
from .train import PROJECT_ROOT, TrainSettings, build_model, load_config, mean_weights, optimization_step
from .translator import Translator

TOY_CONFIG = PROJECT_ROOT / "configs" / "toy-reverse.toml"
TOY_TOKENIZER = PROJECT_ROOT / "pretrained" / "toy-reverse" / "spm.model"


@dataclass
class LiveProgress:
    """A consistent copy of where a live training is (safe to read from another thread).

    Attributes:
        step, max_steps: steps done and the cap.
        seconds, max_seconds: time spent and the cap.
        losses: ``(step, training loss)`` every ``report_every`` steps.
        cross: ``(tgt_len, src_len)`` head-averaged cross-attention of the last
            decoder layer on the probe string at the last report (or ``None``).
        cross_step: the step of ``cross``.
        state: "running", "finished" (cap reached), "stopped" (by ``stop``) or "failed".
        error: the error message when it failed.
    """

    step: int = 0
    max_steps: int = 0
    seconds: float = 0.0
    max_seconds: float = 0.0
    losses: list[tuple[int, float]] = field(default_factory=list)
    cross: np.ndarray | None = None
    cross_step: int = 0
    state: str = "running"
    error: str = ""

    @property
    def done(self) -> bool:
        return self.state != "running"


class LiveTraining:
    """One live training of the letters toy (see the module docstring).

    Args:
        max_steps, max_seconds: the caps (the page uses 800 steps, 60 s).
        report_every: steps between published losses and attention maps.
        probe: the letters whose cross-attention is redrawn.

    PyTorch's thread count is process-wide, so it is left as it is; a
    0.2 M-parameter model's steps are small enough not to need more than one core.
    """

    def __init__(self, max_steps: int = 800, max_seconds: float = 60.0, report_every: int = 25,
                 probe: str = "a b c d e f", seed: int = 1) -> None:
        self.cfg = load_config(TOY_CONFIG)
        self.settings = TrainSettings(**self.cfg.get("train", {}))
        self.max_steps, self.max_seconds, self.report_every = max_steps, max_seconds, report_every
        self.probe = probe
        self.seed = seed
        self.tokenizer = Tokenizer(TOY_TOKENIZER)
        self._progress = LiveProgress(max_steps=max_steps, max_seconds=max_seconds)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.model = None

    # ------------------------------------------------------------ control
    def start(self) -> "LiveTraining":
        self._thread = threading.Thread(target=self._run, name="attention-lab-live-training", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the training to end after its current step."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def progress(self) -> LiveProgress:
        with self._lock:
            return copy.deepcopy(self._progress)

    # ------------------------------------------------------------ result
    def translator(self) -> Translator:
        """The trained model as a ``Translator`` (after the job is done)."""
        if self.model is None or not self.progress.done:
            raise RuntimeError("the live training has not finished yet: wait for progress.done")
        info = CheckpointInfo(name="my-toy", source_language="toy", target_language="toy", source_tokenizer="spm.model",
                              target_tokenizer="spm.model", metadata={"title": "Toy trained live", "toy": True})
        return Translator(self.model.eval(), self.tokenizer, self.tokenizer, info)

    def save(self, folder: str | Path, name: str) -> Path:
        """Write the trained model as a checkpoint folder the app lists (``name`` = its folder name)."""
        folder = Path(folder)
        p = self.progress
        info = CheckpointInfo(
            name=name, source_language="toy", target_language="toy", source_tokenizer="spm.model", target_tokenizer="spm.model",
            metadata={"title": f"Toy trained live ({p.step} steps, {p.seconds:.0f} s)", "toy": True,
                      "examples": list(self.cfg.get("card", {}).get("examples", [])),
                      "quality": f"trained live for {p.step} steps"},
        )
        card = (f"# {name}\n\nThe letters-reversal toy, trained live on the Training page for {p.step} steps "
                f"({p.seconds:.0f} s) with the recipe of configs/toy-reverse.toml.\n")
        return save_checkpoint(folder, self.model, info, {"spm.model": TOY_TOKENIZER}, card)

    # ------------------------------------------------------------ the loop
    def _publish(self, **changes) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self._progress, k, v)

    def _probe_ids(self, cfg) -> tuple[list[int], list[int], list[int]]:
        """The probe teacher-forced on its right answer: source + ``</s>``, ``<s>`` + answer, answer + ``</s>``."""
        src = self.tokenizer.encode(self.probe) + [cfg.eos_id]
        out = self.tokenizer.encode(synthetic_target("reverse", self.probe)) + [cfg.eos_id]
        return src, [cfg.bos_id] + out[:-1], out

    def probe_tokens(self) -> tuple[list[str], list[str], list[str]]:
        """Labels of the published map's axes: source tokens (columns), decoder inputs and the
        tokens they should predict (rows). Available once the job has built its model."""
        if self.model is None:
            raise RuntimeError("the live training has not built its model yet: wait for progress.cross")
        return tuple(self.tokenizer.labels(ids) for ids in self._probe_ids(self.model.cfg))

    def _probe_cross(self, model) -> np.ndarray:
        src, tgt_in, _ = self._probe_ids(model.cfg)
        model.eval()
        with torch.inference_mode():
            _, maps = model(torch.tensor([src]), torch.tensor([tgt_in]))
        model.train()
        return maps.cross[0, -1].mean(0).numpy()  # (tgt_len, src_len), last decoder layer, head average

    def _run(self) -> None:
        try:
            self._train()
        except Exception as exc:  # noqa: BLE001 - reported to the page, never raised into it
            self._publish(state="failed", error=f"{type(exc).__name__}: {exc}")

    def _train(self) -> None:
        ts, data = self.settings, self.cfg["data"]
        torch.manual_seed(self.seed)
        pairs = synthetic_pairs("reverse", data.get("train_size", 6000), data.get("min_len", 3), data.get("max_len", 10), self.seed)
        encoded = encode_pairs(pairs, self.tokenizer, self.tokenizer, ts.max_tokens)
        batches = make_batches(encoded, ts.batch_tokens)
        model = build_model(self.cfg, self.tokenizer.vocab_size)
        self.model = model
        optimizer = torch.optim.Adam(model.parameters(), lr=0.0, betas=(0.9, 0.98), eps=1e-9)
        model.train()
        started = time.perf_counter()
        self._publish(cross=self._probe_cross(model), cross_step=0)
        step, epoch = 0, 0
        kept: list[dict[str, torch.Tensor]] = []  # the last weights at every checkpoint_every steps
        while True:
            for _, indices in epoch_batches(batches, epoch, ts.seed, 0):
                batch = collate(encoded, indices, model.cfg.pad_id, model.cfg.bos_id)
                loss, _ = optimization_step(model, optimizer, batch, step + 1, ts)  # the recipe's own update
                step += 1
                seconds = time.perf_counter() - started
                changes: dict = {"step": step, "seconds": seconds}
                if step % self.report_every == 0:
                    changes.update(losses=self._progress.losses + [(step, loss.item())],
                                   cross=self._probe_cross(model), cross_step=step)
                if self._stop.is_set():
                    changes["state"] = "stopped"
                elif step >= self.max_steps or seconds >= self.max_seconds:
                    changes["state"] = "finished"
                if step % ts.checkpoint_every == 0 or "state" in changes:
                    kept = (kept + [{k: v.detach().clone() for k, v in model.state_dict().items()}])[-ts.average_last:]
                if "state" in changes:
                    # The recipe's checkpoint averaging (§6.1), as for the shipped toy: one late update with a
                    # loss spike (measured at 1 thread: 0.009 at step 650, 0.875 at step 700) otherwise decides
                    # the result; the mean of the last weights smooths it out.
                    model.load_state_dict(mean_weights(kept))
                    changes.update(cross=self._probe_cross(model), cross_step=step)
                self._publish(**changes)
                if "state" in changes:
                    model.eval()
                    return
            epoch += 1
