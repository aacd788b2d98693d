"""One live training at a time per server process, and a queue for the others.

A class on a hosted demo must not starve the explorer: ``request(session)``
starts a ``core.live_training.LiveTraining`` only when no other session's job
is running; otherwise the session joins a first-come queue and is told its
position. A waiting session that stops asking (it closed the tab) leaves the
queue after ``QUEUE_TIMEOUT`` seconds. Each job is capped (``MAX_STEPS``,
``MAX_SECONDS``). A finished model is saved once into a temporary folder,
named for its session, so the explorer can open it for that session.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.live_training import LiveTraining

MAX_STEPS = int(os.environ.get("ATTENTION_LAB_LIVE_STEPS", "800"))  # a hosted demo can lower the caps
MAX_SECONDS = float(os.environ.get("ATTENTION_LAB_LIVE_SECONDS", "60"))
QUEUE_TIMEOUT = 30.0  # seconds a waiting session may go without asking before it loses its place
SAVE_ROOT = Path(tempfile.gettempdir()) / "attention-lab-live"


@dataclass
class Slot:
    """The process's one training slot: the running job, its owner, and who waits."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    job: LiveTraining | None = None
    owner: str | None = None
    waiting: dict[str, float] = field(default_factory=dict)  # session → last time it asked (insertion = arrival order)
    finished: dict[str, LiveTraining] = field(default_factory=dict)  # session → its last finished job

    def _expire(self, now: float) -> None:
        for session, seen in list(self.waiting.items()):
            if now - seen > QUEUE_TIMEOUT:
                del self.waiting[session]

    def request(self, session: str) -> tuple[LiveTraining | None, int]:
        """Start ``session``'s training if the slot is free and it is first in line.

        Returns ``(job, 0)`` when this session's job runs (or has just started),
        ``(None, position)`` with its 1-based place in the queue otherwise.
        """
        now = time.monotonic()
        with self.lock:
            self._expire(now)
            if self.owner == session and self.job is not None:
                return self.job, 0
            busy = self.job is not None and not self.job.progress.done
            if not busy:
                self.job, self.owner = None, None
            first_in_line = not self.waiting or next(iter(self.waiting)) == session
            if not busy and first_in_line:
                self.waiting.pop(session, None)
                self.job = LiveTraining(max_steps=MAX_STEPS, max_seconds=MAX_SECONDS).start()
                self.owner = session
                return self.job, 0
            self.waiting[session] = now  # joins at the back, or keeps its place and refreshes it
            return None, list(self.waiting).index(session) + 1

    def current(self, session: str) -> LiveTraining | None:
        """This session's running job, or its last finished one."""
        with self.lock:
            if self.owner == session and self.job is not None:
                if self.job.progress.done:
                    self.finished[session] = self.job
                    self.job, self.owner = None, None
                    return self.finished[session]
                return self.job
            return self.finished.get(session)

    def position(self, session: str) -> int:
        """1-based place in the queue (0 when not waiting); asking keeps the place."""
        now = time.monotonic()
        with self.lock:
            self._expire(now)
            if session not in self.waiting:
                return 0
            self.waiting[session] = now
            return list(self.waiting).index(session) + 1

    def forget(self, session: str) -> None:
        """Drop this session's finished job (e.g. before it trains again)."""
        with self.lock:
            self.finished.pop(session, None)


SLOT = Slot()


SAVED: dict[int, Path] = {}  # id of a finished job → the folder it was saved to


def save_for_session(job: LiveTraining, session: str) -> Path:
    """Save a finished job's model once as ``<tmp>/attention-lab-live/my-toy-<session>`` and return the folder."""
    name = "my-toy-" + (re.sub(r"[^a-z0-9]", "", session.lower())[:8] or "session")
    folder = SAVE_ROOT / name
    if SAVED.get(id(job)) != folder or not (folder / "config.json").exists():
        job.save(folder, name)
        SAVED[id(job)] = folder
    return folder
