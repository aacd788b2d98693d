"""Cross-session micro-batching: the sentences of many users decoded as one padded batch.

When a lecturer says "now everyone type a sentence", a server receives many
single-sentence requests within the same second. Decoded one by one they
queue on the CPU; decoded together, greedy search runs them as one padded
batch (``Translator.translate_batch``), several times faster per sentence.

``TranslationBatcher`` is one worker thread per process with a queue:

* **No wait when idle.** The worker takes every request queued *at that
  moment* and starts at once; requests that arrive while it decodes wait for
  the next round and are batched together. A lone user adds only a thread
  hand-off (measured by ``bench/load.py``), a class fills the batches.
* **Same results as alone.** Requests are grouped by translator, beam size and
  length budget; a batch's results equal one-by-one ``translate`` calls (the
  batch == one-by-one property of ``core.decoding``, tested in
  ``tests/test_batching.py``). Identical requests in a round are decoded once.
* **Bounded batches.** A batch holds at most ``max_batch`` sentences and
  ``max_tokens`` source positions once padded (sentences × longest source):
  a class of 50 short sentences is one batch
  (two batches of 32 doubled the last sessions' wait: first-result p95 4.8 s
  against 2.5 s with one, measured with ``bench/load.py --class``), while a few
  very long inputs, whose recorded maps grow with length², split.
* **One user's problem stays theirs.** A request cancelled before its batch
  starts is dropped; a sentence with nothing to translate fails alone; if a
  batch fails, its requests are retried one by one so each gets its own
  result or error.

The batcher keeps no per-session state and never changes a translator.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field

from .translator import TranslationResult, Translator


@dataclass
class _Request:
    translator: Translator
    text: str
    beam_size: int
    max_len: int | None
    future: Future = field(default_factory=Future)

    @property
    def group(self) -> tuple[int, int, int | None]:
        """Requests that may share one ``translate_batch`` call."""
        return id(self.translator), self.beam_size, self.max_len


def _source_pieces(request: _Request) -> int:
    """How many pieces the encoder will read for this request: its text's pieces, cut
    as ``prepare_source`` cuts them, plus ``</s>``."""
    translator = request.translator
    try:
        pieces = len(translator.source_tokenizer.encode(request.text))
        return min(pieces, translator.max_source_tokens) + 1
    except Exception:  # noqa: BLE001 - a bad input fails in _decode, alone
        return 1


@dataclass
class BatcherStats:
    """What the worker did (for benchmarks and tests): batches decoded and their sizes."""

    batches: int = 0
    sentences: int = 0
    largest: int = 0
    sizes: list[int] = field(default_factory=list)


class TranslationBatcher:
    """One decoding worker shared by every session of a process.

    Args:
        max_batch: most sentences in one ``translate_batch`` call.
        max_tokens: most source positions in one call, padding included
            (sentences × longest source; memory bound: every attention map of every
            sentence is recorded, and they grow with the padded length²); a sentence
            longer than this is decoded alone. ``None``: no such bound.
    """

    def __init__(self, max_batch: int = 64, max_tokens: int | None = 4096) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        if max_tokens is not None and max_tokens < 1:
            raise ValueError("max_tokens must be at least 1 (or None for no bound)")
        self.max_batch = max_batch
        self.max_tokens = max_tokens
        self.stats = BatcherStats()
        self._queue: deque[_Request] = deque()
        self._wake = threading.Condition()
        self._paused = False
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------ public
    def submit(self, translator: Translator, text: str, beam_size: int = 1, max_len: int | None = None) -> Future:
        """Queue one translation; the ``Future`` gives its ``TranslationResult`` (or its exception)."""
        request = _Request(translator, text, beam_size, max_len)
        with self._wake:
            self._queue.append(request)
            self._start_worker()
            self._wake.notify()
        return request.future

    def translate(self, translator: Translator, text: str, beam_size: int = 1, max_len: int | None = None) -> TranslationResult:
        """``translator.translate(text, beam_size, max_len)``, decoded together with other sessions' requests.

        Raises what ``translate`` raises (``NothingToTranslate`` …) for this request only.
        """
        return self.submit(translator, text, beam_size, max_len).result()

    def pause(self) -> None:
        """Hold the queue (tests: make requests pile up as they do under load)."""
        with self._wake:
            self._paused = True

    def resume(self) -> None:
        with self._wake:
            self._paused = False
            self._wake.notify()

    @property
    def pending(self) -> int:
        return len(self._queue)

    # ------------------------------------------------------------ worker
    def _start_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="attention-lab-batcher", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue or self._paused:
                    self._wake.wait()
                taken = list(self._queue)  # everything queued now: no waiting for more
                self._queue.clear()
            groups: dict[tuple, list[_Request]] = {}
            for request in taken:
                groups.setdefault(request.group, []).append(request)
            for requests in groups.values():
                for chunk in self._chunks(requests):
                    self._decode(chunk)

    def _chunks(self, requests: list[_Request]) -> list[list[_Request]]:
        """Split one group into batches of at most ``max_batch`` distinct sentences whose
        *padded* size (sentences × longest source) stays within ``max_tokens``: a batch is
        padded to its longest sentence, and its recorded maps grow with that length².
        Requests for the same text stay in the same batch (it is decoded once)."""
        by_text: dict[str, list[_Request]] = {}
        for request in requests:
            by_text.setdefault(request.text, []).append(request)
        chunks: list[list[_Request]] = []
        current: list[_Request] = []
        texts = longest = 0
        for same in by_text.values():
            n = _source_pieces(same[0])
            padded = (texts + 1) * max(longest, n)
            if texts and (texts >= self.max_batch or (self.max_tokens is not None and padded > self.max_tokens)):
                chunks.append(current)
                current, texts, longest = [], 0, 0
            current += same
            texts += 1
            longest = max(longest, n)
        if current:
            chunks.append(current)
        return chunks

    def _decode(self, requests: list[_Request]) -> None:
        live = [r for r in requests if r.future.set_running_or_notify_cancel()]  # drop cancelled ones
        # Identical sentences in one round are decoded once and share the (read-only) result.
        unique: dict[str, list[_Request]] = {}
        for r in live:
            unique.setdefault(r.text, []).append(r)
        texts = []
        for text, same in unique.items():
            try:
                same[0].translator.prepare_source(text)  # the one error a single sentence can have
                texts.append(text)
            except Exception as exc:  # noqa: BLE001 - handed to that request's caller
                for r in same:
                    r.future.set_exception(exc)
        if not texts:
            return
        first = unique[texts[0]][0]
        try:
            results = first.translator.translate_batch(texts, first.beam_size, first.max_len)
        except Exception:  # noqa: BLE001 - retry one by one: each request gets its own outcome
            results = None
        for i, text in enumerate(texts):
            outcome: TranslationResult | Exception
            if results is not None:
                outcome = results[i]
            else:
                try:
                    outcome = first.translator.translate(text, first.beam_size, first.max_len)
                except Exception as exc:  # noqa: BLE001
                    outcome = exc
            for r in unique[text]:
                if isinstance(outcome, Exception):
                    r.future.set_exception(outcome)
                else:
                    r.future.set_result(outcome)
        self.stats.batches += 1
        self.stats.sentences += len(texts)
        self.stats.largest = max(self.stats.largest, len(texts))
        self.stats.sizes.append(len(texts))
        del self.stats.sizes[:-1000]  # keep the recent history only
