"""Concurrent sessions against a running Attention Lab: latency of the first result and of re-draws, server memory.

    python bench/load.py --start-server --sessions 25            # starts the app itself, stops it after
    python bench/load.py --url http://127.0.0.1:8501 --sessions 1 --server-pid 1234

Each session is what one student's browser does, spoken over Streamlit's own
websocket protocol (the ``BackMsg`` / ``ForwardMsg`` protobufs of
``streamlit.proto``) instead of a real browser, so 25 sessions fit on a small
machine next to the server and the figures measure the server:

1. ``GET /?model=…&text=…`` (the page; keeps the cookies it sets, e.g. a load
   balancer's route cookie) and ``GET /_stcore/host-config``, then opens the
   websocket ``/_stcore/stream`` with those cookies and asks for a script run
   with that query string, as the browser does on load.
   **first result** = from the ``GET`` to the end of the first script run that
   drew the heatmaps (``script_finished`` after ``plotly_chart`` elements).
2. ``--redraws`` times: after a think time, switch the explorer's "Layer" or
   "Head" segmented control or its attention tab (encoder self / decoder self /
   encoder–decoder), sending the widget state as the browser does.
   **re-draw** = from sending that state to the end of the script run, which
   must again contain heatmaps. Browser-side Plotly drawing is not included.
   A widget drawn inside an ``st.fragment`` re-runs only that fragment, as the
   browser asks (``--full-reruns``: the whole page, as without fragments).
   Like the browser, a session keeps Streamlit's message cache (large
   elements it already has come back as ``ref_hash`` references).

Every session enters its own sentence (worst case: each first result runs the
model) unless ``--same-sentence``.

``--class`` is the lecturer's "now everyone type a sentence": every session
first opens the page as the link gives it (the model's first example, the
same for all), then they wait for each other at a barrier and all type their
own sentence at the same moment (a change of the sentence box, as the browser
sends it). **first result** is then timed from that change; the page load
before it is reported as **connect**. A warm-up session runs first (model load,
imports) and is reported separately as the cold start.

Memory: the server's RSS (``/proc/<pid>/status``) before the sessions (after
the warm-up), its peak while they run, and with all of them still connected
at the end; per session = (connected − before) / sessions. The server is
``--server-pid``, else the process listening on the URL's port, else the one
``--start-server`` launched. Its CPU seconds per script run are printed too:
a figure that does not depend on what else the machine is doing.

Everything is bounded: ``--sessions`` (≤ 200), ``--redraws``, a per-step
``--step-timeout`` and a hard overall ``--timeout``; sessions still running at
the deadline are cancelled and counted as failed. Exit status 0 only if every
session got its first result and all its re-draws without an error.

Targets (issue: 2 cores, shipped en-de model): one session's re-draw p95
≤ 0.5 s; 25 sessions' re-draw p95 ≤ 1.5 s; server RSS ≤ 450 MB and ≤ 1 MB per
session. ``--json PATH`` writes every measurement (used by
tests/test_nginx_replicas.py).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
PRETRAINED = Path(os.environ.get("ATTENTION_LAB_PRETRAINED") or ROOT / "pretrained")
PREFERRED_MODELS = ["multi30k-en-de", "multi30k-en-fr", "ko-en", "en-ko", "toy-reverse"]
# The explorer's English labels (app/i18n/explorer.toml): the three attention views and the selectors.
KIND_TABS = ["Encoder self-attention", "Masked decoder self-attention", "Encoder–decoder attention"]
VIEW_LABEL, LAYER_LABEL, HEAD_LABEL = "View", "Layer", "Head"
MAX_SESSIONS = 200
FALLBACK_SENTENCES = [
    "A dog runs through the snow.",
    "Two children are playing with a ball in the park.",
    "A man in a blue shirt is riding a bike down the street.",
    "A woman sings on a stage while people watch.",
    "The old man sells vegetables at the market.",
]
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
FINISHED_OK = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}


# --------------------------------------------------------------------------- the server process


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on TCP ``port`` (Linux /proc; same user), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{parts[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def rss_mb(pids: list[int]) -> float | None:
    """Resident memory of ``pids`` together, in MB (None if one of them is gone)."""
    total = 0.0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return None
        total += next((int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:")), 0.0)
    return total if pids else None


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time of ``pids`` together (all their threads)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None
    return total if pids else None


class Sampler:
    """Peak RSS of the server, sampled every 0.2 s while the sessions run."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak = pids, None
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            value = rss_mb(self.pids)
            if value is not None:
                self.peak = max(self.peak or 0.0, value)
            await asyncio.sleep(0.2)

    def start(self) -> None:
        if self.pids:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """``streamlit run app/main.py`` on 127.0.0.1:``port`` with the repository's settings."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_healthy(base: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if http_get(base + "/_stcore/health", {}, 2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base}/_stcore/health did not answer 200 within {timeout:.0f} s")


# --------------------------------------------------------------------------- one session


def http_get(url: str, cookies: dict[str, str], timeout: float) -> tuple[int, list[tuple[str, str]], bytes]:
    """A plain GET (no proxies from the environment) sending ``cookies``; returns status, headers, body."""
    parts = urllib.parse.urlsplit(url)
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(parts.hostname, parts.port, timeout=timeout)
    try:
        headers = {"Accept": "text/html,application/json,*/*"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()


def store_cookies(headers: list[tuple[str, str]], jar: dict[str, str]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                key, val = pair.split("=", 1)
                jar[key.strip()] = val.strip()


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    status: str
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    widgets: dict[str, tuple[str, list[str], list[int]]] = field(default_factory=dict)  # label → (id, options, default)
    fragments: dict[str, str] = field(default_factory=dict)  # widget id → the fragment it is drawn in
    html: list[str] = field(default_factory=list)  # bodies of the st.html elements (the translation, the chips)
    text_inputs: list[str] = field(default_factory=list)  # widget ids of the text boxes, in page order
    values: dict[str, str] = field(default_factory=dict)  # widget id → value the server set (from session state)
    bytes: int = 0


@dataclass
class SessionResult:
    index: int
    sentence: str
    first: float | None = None
    connect: float | None = None  # --class: the page load before the barrier
    redraws: list[tuple[str, float]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    bytes_received: int = 0
    runs: int = 0
    fragment_runs: int = 0  # re-draws that re-ran only the fragment they were drawn in


class Session:
    """One browser tab of the explorer, spoken over the websocket."""

    def __init__(self, base: str, model: str, sentence: str | None, step_timeout: float, index: int, full_reruns: bool = False):
        self.base, self.step_timeout = base.rstrip("/"), step_timeout
        self.full_reruns = full_reruns  # re-run the whole page even for a widget drawn in a fragment
        # sentence None: the page as a bare link opens it (the model's first example)
        params = {"model": model, "lang": "en"} if sentence is None else {"model": model, "text": sentence, "lang": "en"}
        self.query = urllib.parse.urlencode(params)
        self.result = SessionResult(index, sentence or "")
        self.page_hash = ""
        self.states: dict[str, WidgetState] = {}
        self.ws = None
        self.last: Run | None = None
        self.sentence_box: str | None = None  # the page's first text box, from its last full run
        self.values: dict[str, str] = {}  # widget id → the value it shows
        # The browser's message cache: large elements it already has are sent
        # again only as a reference (ForwardMsg.ref_hash). hash → (message, run it was last used in).
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}
        self.max_cache_age = 2

    async def open(self) -> None:
        start = time.perf_counter()
        status, headers, _ = await asyncio.to_thread(http_get, f"{self.base}/?{self.query}", self.result.cookies, self.step_timeout)
        if status != 200:
            raise RuntimeError(f"GET / answered {status}")
        store_cookies(headers, self.result.cookies)
        status, headers, _ = await asyncio.to_thread(http_get, f"{self.base}/_stcore/host-config", self.result.cookies, self.step_timeout)
        store_cookies(headers, self.result.cookies)
        parts = urllib.parse.urlsplit(self.base)
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
        cookie = "; ".join(f"{k}={v}" for k, v in self.result.cookies.items())
        self.ws = await connect(
            ws_url, origin=f"{parts.scheme}://{parts.netloc}", subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None, compression=None, proxy=None,
            max_size=None, open_timeout=self.step_timeout, ping_interval=None,
        )
        run = await self.run_script()
        run.seconds = time.perf_counter() - start
        self.check(run, "first result")
        self.result.first = run.seconds

    async def type_sentence(self, sentence: str) -> None:
        """Type ``sentence`` into the sentence box and press Enter (one widget change)."""
        if self.sentence_box is None:
            raise RuntimeError("no sentence box on the page")
        state = WidgetState()
        state.id = self.sentence_box
        state.string_value = sentence
        self.states[state.id] = state
        self.result.sentence = sentence
        run = await self.run_script()
        self.check(run, "first result after typing")
        self.result.first = run.seconds

    def client_state(self, fragment_id: str = "") -> ClientState:
        cs = ClientState(query_string=self.query, page_script_hash=self.page_hash, page_name="", fragment_id=fragment_id)
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self.cache)
        info = cs.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url, info.is_embedded, info.color_scheme = f"{self.base}/?{self.query}", False, "light"
        return cs

    async def run_script(self, fragment_id: str = "") -> Run:
        """Ask for a script run with the current widget states; collect it until ``script_finished``.

        ``fragment_id``: re-run only that fragment (``st.fragment``), as the browser asks
        when a widget drawn inside one changes.
        """
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self.client_state(fragment_id))
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0, "running")
        deadline = time.monotonic() + self.step_timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic()))
            run.bytes += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":  # an element the browser has cached: use that copy
                cached = self.cache.get(fwd.ref_hash)
                if cached is None:
                    raise RuntimeError(f"the server referred to a message this session never received ({fwd.ref_hash})")
                metadata = fwd.metadata
                fwd = ForwardMsg()
                fwd.CopyFrom(cached[0])
                fwd.metadata.CopyFrom(metadata)
                kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self.cache[fwd.hash] = (fwd, self.result.runs)
            if kind == "new_session":  # a (re)run starts: forget what an earlier, interrupted run drew
                run = Run(0.0, "running", bytes=run.bytes)
                self.max_cache_age = fwd.new_session.config.max_cached_message_age or self.max_cache_age
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta":
                self.collect(fwd, run)
            elif kind == "script_finished":
                if fwd.script_finished in DONE:
                    run.seconds = time.perf_counter() - start
                    run.status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                    self.result.bytes_received += run.bytes
                    self.result.runs += 1
                    self.cache = {h: v for h, v in self.cache.items() if self.result.runs - v[1] <= self.max_cache_age}
                    self.last = run
                    self.values.update(run.values)
                    if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:  # a whole page: forget widgets it no longer has
                        self.sentence_box = run.text_inputs[0] if run.text_inputs else None
                        present = {w[0] for w in run.widgets.values()} | set(run.text_inputs)
                        self.states = {k: v for k, v in self.states.items() if k in present}
                    return run

    @staticmethod
    def collect(fwd: ForwardMsg, run: Run) -> None:
        delta = fwd.delta
        if delta.HasField("new_element"):
            el = delta.new_element
            kind = el.WhichOneof("type")
            if kind == "plotly_chart":
                run.charts += 1
            elif kind == "button_group":
                bg = el.button_group
                run.widgets[bg.label] = (bg.id, [o.content for o in bg.options], list(bg.default))
                if delta.fragment_id:
                    run.fragments[bg.id] = delta.fragment_id
                if bg.set_value and bg.raw_values:
                    run.values[bg.id] = bg.raw_values[0]
            elif kind == "text_input":
                run.text_inputs.append(el.text_input.id)
                if delta.fragment_id:
                    run.fragments[el.text_input.id] = delta.fragment_id
            elif kind == "html":
                run.html.append(el.html.body)
            elif kind == "exception":
                run.exceptions.append(f"{el.exception.type}: {el.exception.message}")
            elif kind == "alert" and el.alert.format == Alert.ERROR:
                run.errors.append(el.alert.body)

    @staticmethod
    def check(run: Run, what: str) -> None:
        if run.status not in FINISHED_OK or run.exceptions or run.errors or run.charts == 0:
            problem = run.exceptions or run.errors or [f"status {run.status}, {run.charts} charts"]
            raise RuntimeError(f"{what}: {problem[0][:300]}")

    def next_change(self, step: int) -> tuple[str, WidgetState]:
        """The step-th re-draw: switch head, layer or attention tab, in turn, to another value."""
        run = self.last
        what = ("head", "layer", "tab")[step % 3]
        state = WidgetState()
        label = {"head": HEAD_LABEL, "layer": LAYER_LABEL, "tab": VIEW_LABEL}[what]
        if label not in run.widgets:
            raise RuntimeError(f"no '{label}' selector on the page (widgets: {sorted(run.widgets)})")
        wid, options, default = run.widgets[label]
        if what == "tab":  # switch between the three attention views only
            default = [options.index(o) for o in options[:1]]
            options = [o for o in options if o in KIND_TABS]
        current = self.values.get(wid) or (options[default[0]] if default else options[0])
        choice = options[(options.index(current) + 1) % len(options)] if current in options else options[0]
        state.id = wid
        state.string_array_value.data.append(choice)
        self.values[wid] = choice
        return what, state

    async def redraw(self, step: int) -> None:
        what, state = self.next_change(step)
        self.states[state.id] = state
        fragment = "" if self.full_reruns else self.last.fragments.get(state.id, "")
        run = await self.run_script(fragment)
        self.result.fragment_runs += bool(fragment)
        self.check(run, f"re-draw {step + 1} ({what})")
        self.result.redraws.append((what, run.seconds))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


class Gate:
    """The --class barrier: opens once every session has connected or failed (a failed
    session must not keep the others waiting)."""

    def __init__(self, count: int) -> None:
        self.count, self.arrived, self.opened = count, 0, asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.count:
            self.opened.set()


async def one_session(
    base: str, model: str, sentence: str, index: int, redraws: int, think: float, step_timeout: float,
    start_delay: float, done: asyncio.Event, rng: random.Random, reported: dict[int, SessionResult],
    gate: Gate | None = None, full_reruns: bool = False,
) -> SessionResult:
    session = Session(base, model, None if gate else sentence, step_timeout, index, full_reruns)
    arrived = False
    try:
        await asyncio.sleep(start_delay)
        await session.open()
        if gate is not None:  # everyone has the page; now all type at the same moment
            session.result.connect, session.result.first = session.result.first, None
            gate.arrive()
            arrived = True
            await asyncio.wait_for(gate.opened.wait(), step_timeout)
            await session.type_sentence(sentence)
        for step in range(redraws):
            if think > 0:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            await session.redraw(step)
    except Exception as exc:  # noqa: BLE001 - every failure is reported per session
        session.result.error = f"{type(exc).__name__}: {exc}"[:400]
    if gate is not None and not arrived:
        gate.arrive()
    reported[index] = session.result
    try:
        await done.wait()  # stay connected until every session is done (memory with N sessions)
    finally:
        await asyncio.shield(session.close())
    return session.result


# --------------------------------------------------------------------------- the run


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def pick_model(requested: str | None) -> str:
    if requested:
        return requested
    names = {p.parent.name for p in PRETRAINED.glob("*/config.json")}
    for name in PREFERRED_MODELS:
        if name in names:
            return name
    return sorted(names)[0] if names else "toy-reverse"


def pick_sentences(model: str, count: int, same: bool, path: str | None) -> list[str]:
    """``count`` sentences: from ``path`` if given, else the model's examples, made distinct per session."""
    if path:
        base = [s.strip() for s in Path(path).read_text(encoding="utf-8").splitlines() if s.strip()]
    else:
        try:
            meta = json.loads((PRETRAINED / model / "config.json").read_text(encoding="utf-8")).get("metadata", {})
            base = list(meta.get("examples") or [])
        except (OSError, json.JSONDecodeError):
            base = []
        base = base or FALLBACK_SENTENCES
    if same:
        return [base[0]] * count
    out: list[str] = []
    seen: set[str] = set()
    rng = random.Random(0)
    for candidate in base:
        if candidate not in seen:
            seen.add(candidate)
            out.append(candidate)
    attempts = 0
    while len(out) < count and attempts < 100 * count:  # new word orders, then pairs of sentences
        attempts += 1
        words = rng.choice(base).split()
        if attempts > 20 * count or len(words) < 3:
            words = (rng.choice(base) + " " + rng.choice(base)).split()
        rng.shuffle(words)
        candidate = " ".join(words)
        if candidate not in seen:
            seen.add(candidate)
            out.append(candidate)
    return (out * (count // max(len(out), 1) + 1))[:count]


def fmt(value: float | None, unit: str = "s", digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} {unit}".strip()


async def measure(args: argparse.Namespace, base: str, pids: list[int]) -> dict:
    deadline = time.monotonic() + args.timeout
    model = pick_model(args.model)
    sentences = pick_sentences(model, args.sessions + args.warmup, args.same_sentence, args.sentences)
    if args.same_sentence:
        warm_sentences, sentences = sentences[: args.warmup], sentences[args.warmup :]
    else:
        warm_sentences, sentences = sentences[args.sessions :], sentences[: args.sessions]
    report: dict = {
        "url": base, "model": model, "sessions": args.sessions, "redraws": args.redraws, "think_s": args.think,
        "ramp_s": args.ramp, "same_sentence": args.same_sentence, "server_pids": pids, "class_mode": args.class_mode,
        "cpus": os.cpu_count(), "loadavg_before": os.getloadavg(), "full_reruns": args.full_reruns,
    }

    warm = []
    for i, sentence in enumerate(warm_sentences):
        done = asyncio.Event()
        done.set()
        remaining = deadline - time.monotonic()
        warm.append(await asyncio.wait_for(
            one_session(base, model, sentence, -1 - i, 2, 0.0, min(args.step_timeout, remaining), 0.0, done, random.Random(i), {}),
            max(1.0, remaining),
        ))
    report["warmup"] = [asdict(w) for w in warm]
    await asyncio.sleep(0.5)
    rss_before, cpu_before = rss_mb(pids), cpu_seconds(pids)

    sampler = Sampler(pids)
    sampler.start()
    done = asyncio.Event()
    rng = random.Random(1)
    reported: dict[int, SessionResult] = {}
    gate = Gate(args.sessions) if args.class_mode else None
    tasks = [
        asyncio.create_task(one_session(
            base, model, sentences[i], i, args.redraws, args.think, args.step_timeout,
            args.ramp * i / max(args.sessions - 1, 1), done, random.Random(rng.random()), reported, gate, args.full_reruns,
        ))
        for i in range(args.sessions)
    ]
    started = time.perf_counter()
    remaining = deadline - time.monotonic()
    try:
        await asyncio.wait_for(all_reported(reported, args.sessions), max(1.0, remaining - 5))
    except TimeoutError:
        report["deadline_hit"] = True
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.3 + args.hold)
    rss_connected, cpu_after = rss_mb(pids), cpu_seconds(pids)
    await sampler.stop()
    done.set()
    _, pending = await asyncio.wait(tasks, timeout=10)
    for t in pending:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    results = [reported.get(i) or SessionResult(i, sentences[i], error="cancelled at the deadline") for i in range(args.sessions)]

    firsts = [r.first for r in results if r.first is not None]
    connects = [r.connect for r in results if r.connect is not None]
    redraws = [s for r in results for _, s in r.redraws]
    ok = [r for r in results if r.error is None and r.first is not None and len(r.redraws) == args.redraws]
    runs = sum(r.runs for r in results)
    report.update(
        elapsed_s=elapsed,
        sessions_ok=len(ok),
        errors=[f"session {r.index}: {r.error}" for r in results if r.error],
        first={"n": len(firsts), "p50": percentile(firsts, 50), "p95": percentile(firsts, 95), "max": max(firsts, default=None)},
        connect={"n": len(connects), "p50": percentile(connects, 50), "p95": percentile(connects, 95)},
        redraw={"n": len(redraws), "p50": percentile(redraws, 50), "p95": percentile(redraws, 95), "max": max(redraws, default=None)},
        fragment_runs=sum(r.fragment_runs for r in results),
        redraw_by_kind={
            what: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95)}
            for what in ("layer", "head", "tab")
            for v in [[s for r in results for w, s in r.redraws if w == what]]
        },
        rss_mb={
            "before": rss_before, "peak": sampler.peak, "connected": rss_connected,
            "per_session": (rss_connected - rss_before) / args.sessions if rss_before and rss_connected else None,
        },
        server_cpu_s_per_run=((cpu_after - cpu_before) / runs) if cpu_before is not None and cpu_after is not None and runs else None,
        kb_per_run=(sum(r.bytes_received for r in results) / runs / 1024) if runs else None,
        loadavg_after=os.getloadavg(),
        results=[asdict(r) for r in results],
    )
    return report


async def all_reported(reported: dict[int, SessionResult], count: int) -> None:
    """Return when every session has its outcome (they then wait, still connected, for ``done``)."""
    while len(reported) < count:
        await asyncio.sleep(0.1)


def print_report(r: dict) -> None:
    print(f"Attention Lab load: {r['sessions']} session(s) × {r['redraws']} re-draws against {r['url']}, model {r['model']}")
    print(f"  think time {r['think_s']} s (×0.5–1.5), ramp {r['ramp_s']} s, {'one shared sentence' if r['same_sentence'] else 'one sentence per session'}, "
          f"{r['cpus']} CPUs, load average before {r['loadavg_before'][0]:.2f}, after {r['loadavg_after'][0]:.2f}")
    for w in r["warmup"]:
        print(f"  warm-up (cold start): first result {fmt(w['first'])}" + (f"  ERROR {w['error']}" if w["error"] else ""))
    f, d = r["first"], r["redraw"]
    print(f"  sessions ok: {r['sessions_ok']}/{r['sessions']} in {r['elapsed_s']:.1f} s" + ("  (deadline hit)" if r.get("deadline_hit") else ""))
    if r.get("class_mode"):
        c = r["connect"]
        print(f"  connect       p50 {fmt(c['p50'])}  p95 {fmt(c['p95'])}  (n={c['n']}; then all typed at once)")
    print(f"  first result  p50 {fmt(f['p50'])}  p95 {fmt(f['p95'])}  max {fmt(f['max'])}  (n={f['n']})")
    print(f"  re-draw       p50 {fmt(d['p50'])}  p95 {fmt(d['p95'])}  max {fmt(d['max'])}  (n={d['n']}, "
          f"{r['fragment_runs']} of them fragment runs{', --full-reruns' if r['full_reruns'] else ''})")
    for what, v in r["redraw_by_kind"].items():
        print(f"    {what:<5}       p50 {fmt(v['p50'])}  p95 {fmt(v['p95'])}  (n={v['n']})")
    m = r["rss_mb"]
    print(f"  server RSS    before {fmt(m['before'], 'MB', 1)}  peak {fmt(m['peak'], 'MB', 1)}  with all sessions connected {fmt(m['connected'], 'MB', 1)}"
          f"  per session {fmt(m['per_session'], 'MB', 2)}")
    print(f"  server CPU per script run {fmt(r['server_cpu_s_per_run'])}, {fmt(r['kb_per_run'], 'kB', 0)} sent per run")
    for e in r["errors"][:10]:
        print(f"  {e}")
    if len(r["errors"]) > 10:
        print(f"  … and {len(r['errors']) - 10} more errors")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8501", help="the running app (default %(default)s)")
    parser.add_argument("--start-server", action="store_true", help="start the app on a free loopback port, stop it after")
    parser.add_argument("--server-pid", type=int, action="append",
                        help="the app's pid, for RSS and CPU; repeat for replicas (summed). Default: whoever listens on the URL's port")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--redraws", type=int, default=6, help="layer/head/tab switches per session")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a session's re-draws (uniform ×0.5–1.5)")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the session starts over this many seconds (0: all at once)")
    parser.add_argument("--model", help="model folder name (default: the best shipped one)")
    parser.add_argument("--sentences", help="a text file of sentences, one per line (default: the model's examples)")
    parser.add_argument("--same-sentence", action="store_true", help="every session enters the same sentence")
    parser.add_argument("--class", dest="class_mode", action="store_true",
                        help="connect all sessions first, then all type their sentence at the same moment")
    parser.add_argument("--warmup", type=int, default=1, help="sequential warm-up sessions before the measured ones")
    parser.add_argument("--step-timeout", type=float, default=60.0, help="seconds one page load or re-draw may take")
    parser.add_argument("--timeout", type=float, default=120.0, help="hard limit for the whole run, in seconds")
    parser.add_argument("--hold", type=float, default=0.0, help="keep the sessions connected this many seconds after they finish (to inspect the server)")
    parser.add_argument("--json", help="write every measurement to this file")
    parser.add_argument("--full-reruns", action="store_true",
                        help="re-draws re-run the whole page, not only the fragment (st.fragment) their widget is in: "
                             "the page as it would be without fragments, for a before/after in one run")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be 1–{MAX_SESSIONS}")
    if args.redraws < 0 or args.timeout <= 0:
        parser.error("--redraws ≥ 0 and --timeout > 0")

    hard_deadline = time.monotonic() + args.timeout
    proc = None
    try:
        if args.start_server:
            port = free_port()
            proc = start_server(port)
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, min(60, args.timeout), proc)
            pids = args.server_pid or [proc.pid]
        else:
            base = args.url.rstrip("/")
            wait_healthy(base, min(10, args.timeout))
            found = listening_pid(urllib.parse.urlsplit(base).port or 80)
            pids = args.server_pid or ([found] if found else [])
        args.timeout = max(5.0, hard_deadline - time.monotonic())
        report = asyncio.run(asyncio.wait_for(measure(args, base, pids), args.timeout + 15))
    finally:
        if proc is not None:
            stop_server(proc)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0 if report["sessions_ok"] == args.sessions and not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
