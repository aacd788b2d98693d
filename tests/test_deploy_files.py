"""Static checks of the deployment files (no Docker engine or nginx needed).

Dockerfile, .dockerignore, .streamlit/config.toml, packages.txt,
requirements.txt, deploy/nginx/attention-lab.conf and deploy/run_replicas.sh.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
NGINX_CONF = ROOT / "deploy" / "nginx" / "attention-lab.conf"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def requirement_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def test_requirements_pin_torch_and_install_from_the_standard_index():
    pins = requirement_pins()
    assert re.fullmatch(r"\d+\.\d+\.\d+", pins.get("torch", "")), "torch is pinned to an exact version"
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    # The project's own install and CI must work with only PyPI reachable: no extra index in the file.
    assert "--index-url" not in text and "--extra-index-url" not in text and "download.pytorch.org" not in text


def test_dockerfile_slim_base_cpu_torch_fonts_chromium_nonroot_healthcheck():
    steps = dockerfile_instructions()
    kinds = [k for k, _ in steps]
    froms = [a for k, a in steps if k == "FROM"]
    assert len(froms) == 1 and re.fullmatch(r"python:3\.11-slim(-\w+)?", froms[0])
    runs = " ".join(a for k, a in steps if k == "RUN")
    assert re.search(r"apt-get install[^&]*\bchromium\b", runs) and re.search(r"apt-get install[^&]*\bfonts-noto-cjk\b", runs)
    assert "rm -rf /var/lib/apt/lists" in runs  # no apt cache in the image
    # torch from the CPU index (a build argument), at the version requirements.txt pins, then the requirements.
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] if "=" in a else None for k, a in steps if k == "ARG"}
    assert args.get("TORCH_INDEX_URL") == "https://download.pytorch.org/whl/cpu"
    assert re.search(r'pip install --no-deps --index-url "\$TORCH_INDEX_URL"[^&]*"torch==\$\{TORCH_VERSION\}"', runs)
    assert "grep -E '^torch==' requirements.txt" in runs
    assert re.search(r"pip install [^&]*-r requirements\.txt", runs)
    assert runs.index("TORCH_INDEX_URL") < runs.index("-r requirements.txt")
    copies = [a for k, a in steps if k == "COPY"]
    for folder in ("app", "core", "pretrained", ".streamlit"):
        assert any(shlex.split(c)[0] == folder for c in copies), f"COPY {folder}"
    # Non-root: a USER that is not root, after the last RUN (so nothing later runs as root).
    users = [(i, a) for i, (k, a) in enumerate(steps) if k == "USER"]
    assert users and users[-1][1] not in ("root", "0")
    assert users[-1][0] > max(i for i, k in enumerate(kinds) if k == "RUN")
    assert any(k == "EXPOSE" and "8501" in a.split() for k, a in steps)
    health = [a for k, a in steps if k == "HEALTHCHECK"]
    assert len(health) == 1 and "CMD" in health[0] and "/_stcore/health" in health[0]
    cmd = [a for k, a in steps if k == "CMD"][-1]
    assert "streamlit" in cmd and "app/main.py" in cmd and "0.0.0.0" in cmd
    assert "COOKIE_SECRET=" not in DOCKERFILE.read_text(encoding="utf-8").replace("STREAMLIT_SERVER_COOKIE_SECRET=...", "")


def test_dockerignore_keeps_the_context_small_but_ships_the_app():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    assert {".git", "runs", "artifacts", ".venv"} <= ignored
    assert not {"app", "core", "pretrained", ".streamlit", "requirements.txt"} & ignored


def test_streamlit_config_is_production_ready():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
    assert 1 <= server["maxMessageSize"] <= 200
    assert "cookieSecret" not in server  # shared secrets come from the environment, never from git
    assert config["browser"]["gatherUsageStats"] is False


def test_streamlit_config_options_exist():
    """Every option in config.toml is one Streamlit knows (a typo would be ignored silently)."""
    from streamlit import config as st_config

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    known = set(st_config._config_options_template)
    for section, options in config.items():
        for name in options:
            assert f"{section}.{name}" in known, f"unknown Streamlit option {section}.{name}"


def test_packages_txt_lists_chromium_and_a_cjk_font():
    packages = {line.split("#", 1)[0].strip() for line in (ROOT / "packages.txt").read_text(encoding="utf-8").splitlines()} - {""}
    assert "chromium" in packages
    assert packages & {"fonts-noto-cjk", "fonts-nanum", "fonts-noto-cjk-extra"}


def nginx_blocks() -> tuple[str, dict[str, str]]:
    text = re.sub(r"#.*", "", NGINX_CONF.read_text(encoding="utf-8"))
    upstream = re.search(r"upstream\s+(\w+)\s*\{([^}]*)\}", text)
    assert upstream, "an upstream block"
    locations = dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", text))
    return text, {"name": upstream.group(1), "body": upstream.group(2), **{f"location {k}": v for k, v in locations.items()}}


def test_nginx_upstream_is_sticky_with_two_or_more_replicas():
    text, blocks = nginx_blocks()
    body = blocks["body"]
    servers = re.findall(r"^\s*server\s+(\S+)", body, flags=re.M)
    assert len(servers) >= 2 and len(set(servers)) == len(servers)
    hashed = re.search(r"^\s*hash\s+(\$\S+)(\s+consistent)?\s*;", body, flags=re.M)
    assert hashed or re.search(r"^\s*ip_hash\s*;", body, flags=re.M), "sticky: hash or ip_hash"
    if hashed:
        key = hashed.group(1)
        assert "cookie" in key or re.search(r"map\s+\$cookie_\w+\s+" + re.escape(key) + r"\s*\{", text), "the hash key comes from a cookie"
        assert re.search(r"add_header\s+Set-Cookie", text), "nginx sets the route cookie for new browsers"


def test_nginx_proxies_websockets_with_long_timeouts():
    text, blocks = nginx_blocks()
    assert re.search(r"proxy_http_version\s+1\.1\s*;", text)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;", text)
    assert re.search(r"proxy_set_header\s+Connection\s+\$\w+\s*;", text)
    assert re.search(r"map\s+\$http_upgrade\s+\$\w+\s*\{[^}]*default\s+upgrade", text)
    assert re.search(r"proxy_set_header\s+Host\s+\$http_host\s*;", text), "Host with its port: Streamlit compares it to Origin"
    stream = blocks.get("location /_stcore/stream")
    assert stream, "a location for Streamlit's websocket"
    assert f"proxy_pass http://{blocks['name']}" in stream
    assert re.search(r"proxy_buffering\s+off\s*;", stream)
    timeout = re.search(r"proxy_read_timeout\s+(\d+)([smhd]?)\s*;", stream)
    seconds = int(timeout.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[timeout.group(2)]
    assert seconds >= 600


def test_run_replicas_script_is_valid_bash_and_shares_the_secret():
    script = ROOT / "deploy" / "run_replicas.sh"
    assert script.stat().st_mode & 0o111, "executable"
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    text = script.read_text(encoding="utf-8")
    assert "export STREAMLIT_SERVER_COOKIE_SECRET" in text
    assert re.search(r"--server\.port \"\$port\"", text)


@pytest.mark.parametrize("path", ["deploy/README.md", "deploy/nginx/attention-lab.conf", "deploy/run_replicas.sh", "Dockerfile", ".dockerignore"])
def test_deployment_files_exist(path):
    assert (ROOT / path).is_file()
