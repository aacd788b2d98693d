"""Two app replicas behind nginx with deploy/nginx/attention-lab.conf, under bench/load.py.

Everything runs on 127.0.0.1 with free ports: two ``streamlit run`` processes
sharing one cookie secret, and Debian's nginx (``/usr/sbin/nginx``, run as
the current user with ``daemon off`` and a temporary prefix) serving the
shipped configuration with only its ports and log path rewritten. The load
generator then drives sessions through nginx, and the access log (which
records each request's route cookie and upstream) shows where every request
of every session went.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.browser_support import LOAD_BENCH, ROOT, free_port, load_bench, running_app

NGINX = Path("/usr/sbin/nginx")
CONF = ROOT / "deploy" / "nginx" / "attention-lab.conf"
SESSIONS, REDRAWS = 10, 2

pytestmark = pytest.mark.skipif(not NGINX.exists(), reason=f"{NGINX} is not installed (apt-get install nginx)")


def render_conf(prefix: Path, listen: int, replicas: list[int]) -> Path:
    """The shipped site config with this test's ports and log path, inside a minimal main config."""
    site = CONF.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ [^;]*;$", site, flags=re.M)
    assert len(servers) >= 2, "the upstream block lists at least two replicas"
    site = site.replace(servers[0], f"    server 127.0.0.1:{replicas[0]} max_fails=3 fail_timeout=10s;")
    for extra in servers[1:]:
        site = site.replace(extra, "")
    site = site.replace(f"    server 127.0.0.1:{replicas[0]} max_fails=3 fail_timeout=10s;",
                        "\n".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in replicas))
    site, n = re.subn(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen};", site, flags=re.M)
    assert n == 1
    site, n = re.subn(r"access_log \S+ attnlab;", f"access_log {prefix / 'access.log'} attnlab;", site)
    assert n == 1
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = f"""daemon off;
{user}
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
{temp}
    include {prefix / 'site.conf'};
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


def wait_for(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)  # graceful: finishes and logs open requests
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def parse_log(path: Path) -> list[dict]:
    pattern = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ route=(?P<route>\S*) upstream=(?P<upstream>\S*) ')
    return [m.groupdict() for m in map(pattern.search, path.read_text().splitlines()) if m]


def test_two_replicas_behind_nginx_keep_each_session_on_its_replica(tmp_path):
    bench = load_bench()
    replica_ports = [free_port(), free_port()]
    listen = free_port()
    secret = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), "OMP_NUM_THREADS": "1"}
    with ExitStack() as stack:
        for port in replica_ports:
            stack.enter_context(running_app(port, env=secret))
        pids = [bench.listening_pid(p) for p in replica_ports]
        conf = render_conf(tmp_path, listen, replica_ports)
        check = subprocess.run([str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        nginx = subprocess.Popen(["nice", "-n", "15", str(NGINX), "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stack.callback(stop, nginx)
        url = f"http://127.0.0.1:{listen}"
        wait_for(f"{url}/_stcore/health", 20, nginx)

        reports = []
        for batch in range(2):  # a second batch only if the first all hashed to one replica (p ≈ 0.2 %)
            out = tmp_path / f"load-{batch}.json"
            cmd = [sys.executable, str(LOAD_BENCH), "--url", url, "--sessions", str(SESSIONS), "--redraws", str(REDRAWS),
                   "--think", "0.2", "--warmup", "0", "--timeout", "100", "--json", str(out)]
            for pid in pids:
                if pid:
                    cmd += ["--server-pid", str(pid)]
            run = subprocess.run(["nice", "-n", "15", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=160)
            print(run.stdout)
            assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
            reports.append(json.loads(out.read_text()))
            served = {r["cookies"].get("attnlab_route") for r in reports[-1]["results"]}
            time.sleep(0.5)
            stop_early = len({line["upstream"] for line in parse_log(tmp_path / "access.log") if line["route"] in served}) > 1
            if stop_early:
                break
        stop(nginx)  # flushes the websocket lines

    lines = parse_log(tmp_path / "access.log")
    sessions = [r for report in reports for r in report["results"]]
    upstreams = {f"127.0.0.1:{p}" for p in replica_ports}
    per_replica = {u: 0 for u in upstreams}
    for s in sessions:
        assert s["error"] is None and s["first"] is not None and len(s["redraws"]) == REDRAWS, s
        route = s["cookies"].get("attnlab_route")
        assert route, f"session {s['index']} got no route cookie from nginx"
        mine = [line for line in lines if line["route"] == route]
        streams = [line for line in mine if line["path"].startswith("/_stcore/stream")]
        assert len(streams) == 1 and streams[0]["status"] == "101", mine  # one websocket, upgraded
        served_by = {line["upstream"] for line in mine}
        assert len(served_by) == 1, f"session {s['index']} was split over {served_by}"  # page, config and websocket: one replica
        assert served_by <= upstreams
        per_replica[served_by.pop()] += 1
    assert all(n > 0 for n in per_replica.values()), f"sessions per replica: {per_replica}"
