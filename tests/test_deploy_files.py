"""deploy/ stays consistent: the compose stack's nginx site is the shipped one with gunicorn at
app:8000, and every command the systemd units and the compose file run is one this release has."""

import re
import shlex
from pathlib import Path

from django.core.management import get_commands

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def _body(text: str) -> str:
    """The configuration without its leading comment block."""
    return text[text.index("upstream ") :]


def test_compose_nginx_is_the_shipped_site_with_the_app_container_upstream():
    shipped = _body((DEPLOY / "nginx" / "zhaoshang.conf").read_text())
    compose = _body((DEPLOY / "compose" / "nginx.conf").read_text())
    assert compose == shipped.replace("server unix:/run/zhaoshang/gunicorn.sock", "server app:8000")


def _zhaoshang_commands() -> list[str]:
    commands = []
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "/bin/zhaoshang " in line:
                commands.append(shlex.split(line.split("/bin/zhaoshang ", 1)[1])[0])
    # compose.yaml's `command:` lines (JSON-style lists; no YAML parser among the dependencies).
    for line in (DEPLOY / "compose" / "compose.yaml").read_text().splitlines():
        if line.strip().startswith("command:") or line.strip().startswith("test:"):
            words = re.findall(r'"([^"]*)"', line)
            text = " ".join(words)
            commands += re.findall(r"\bzhaoshang ([a-z][a-z_-]*)", text)
            commands += [words[i + 1] for i, w in enumerate(words[:-1]) if w == "zhaoshang"]
    return commands


def test_every_command_the_units_and_compose_run_exists():
    commands = _zhaoshang_commands()
    assert {"db_worker", "jobs", "health", "migrate", "collectstatic", "check"} <= set(commands)
    assert set(commands) <= set(get_commands())


def test_units_run_what_install_sh_installs():
    install = (DEPLOY / "bundle" / "install.sh").read_text()
    assert "PREFIX=/opt/zhaoshang" in install and "ETC=/etc/zhaoshang" in install
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/zhaoshang/zhaoshang.env" in text, unit.name
        for exec_line in re.findall(r"^ExecStart=(\S+)", text, re.M):
            assert exec_line.startswith("/opt/zhaoshang/venv/bin/"), (unit.name, exec_line)
