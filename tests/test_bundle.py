"""The offline bundle (`make bundle`, scripts/make-bundle.py): its runtime lock agrees with
requirements.lock; and, given a built bundle (ZHAOSHANG_BUNDLE=dist/zhaoshang-…-offline.tar.gz, as
`make bundle-test` and CI pass it), install.sh installs it into a fresh directory without network —
inside a network namespace with no interfaces when the machine allows one, always with pip's
--no-index and no pip configuration — and the installed gunicorn serves the login page."""

import hashlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUNDLE = os.environ.get("ZHAOSHANG_BUNDLE")


def _pins(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name → (version, hashes) of a pip-compile lock file."""
    pins = {}
    for block in re.split(r"\n(?=[a-z0-9])", path.read_text()):
        match = re.match(r"([a-z0-9][a-z0-9._-]*)==(\S+)", block)
        if match:
            pins[match.group(1)] = (match.group(2), frozenset(re.findall(r"--hash=(sha256:\w+)", block)))
    return pins


def test_runtime_lock_pins_what_requirements_lock_pins():
    runtime = _pins(REPO / "deploy" / "requirements-runtime.lock")
    full = _pins(REPO / "requirements.lock")
    assert {"django", "gunicorn", "django-tasks", "django-tasks-db", "psycopg-binary"} <= set(runtime)
    assert "pytest" not in runtime and "playwright" not in runtime  # dev tools stay out of the bundle
    different = {name: (pin, full.get(name)) for name, pin in runtime.items() if full.get(name) != pin}
    assert not different, "run scripts/runtime-lock.sh after changing requirements.lock"


def _can_unshare_network() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    return subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not BUNDLE, reason="no built bundle: `make bundle-test` builds one and runs this")
def test_bundle_installs_offline_and_serves_the_login_page(tmp_path):
    with tarfile.open(BUNDLE) as tar:
        tar.extractall(tmp_path, filter="data")
    (bundle,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    for line in (bundle / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest, name

    prefix, var = tmp_path / "opt", tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "ZHAOSHANG_", "DATABASE_URL", "PYTHON", "VIRTUAL_ENV", "DJANGO_"))
    }
    env |= {
        "ZHAOSHANG_ENV": "production",
        "ZHAOSHANG_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHAOSHANG_FIELD_KEY": secrets.token_urlsafe(30),
        "ZHAOSHANG_ALLOWED_HOSTS": "127.0.0.1",
        "ZHAOSHANG_VAR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'zhaoshang.sqlite3'}",
        # This server is its own entry point here (no nginx in front): no redirect to HTTPS.
        "ZHAOSHANG_SSL_REDIRECT": "0",
    }
    # A fresh venv from the interpreter itself, not from the venv running the tests.
    python = getattr(sys, "_base_executable", sys.executable)
    command = [str(bundle / "install.sh"), "--no-system", "--prefix", str(prefix), "--python", python]
    if _can_unshare_network():
        command = ["unshare", "--net", *command]
    installed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (prefix / "venv" / "bin" / "gunicorn").exists()

    # The blank deployment's set-up (README 部署): without any account every page leads to /setup/.
    passwords = "".join(f"Zs-{secrets.token_hex(6)}!a\n" for _ in range(4))
    subprocess.run(
        [
            str(prefix / "venv" / "bin" / "zhaoshang"),
            "setup",
            "--region",
            "421003",
            "--bureau",
            "荆州区招商局",
            "--password-stdin",
        ],
        env=env
        | {"ZHAOSHANG_HOME": str(prefix), "ZHAOSHANG_ASSETS": str(prefix / "assets" / "node_modules")},
        input=passwords,
        capture_output=True,
        text=True,
        check=True,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env |= {
        "ZHAOSHANG_HOME": str(prefix),
        "ZHAOSHANG_ASSETS": str(prefix / "assets" / "node_modules"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [str(prefix / "venv" / "bin" / "gunicorn"), "-c", str(prefix / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=tmp_path,
    )
    try:
        # As nginx would send it: the production settings trust nginx's X-Forwarded-Proto.
        headers = {"X-Forwarded-Proto": "https"}
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/", headers=headers)
                with urllib.request.urlopen(request, timeout=10) as response:
                    page = response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(
                        (tmp_path / "error.log").read_text(errors="replace")[-3000:]
                    ) from None
                time.sleep(0.3)
        assert 'name="username"' in page and 'name="password"' in page
        # The page's stylesheet is the bundle's Bootstrap, collected (install.sh) and served by the app.
        css = re.search(r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"', page).group(
            1
        )
        request = urllib.request.Request(f"http://127.0.0.1:{port}{css}", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == (var / "static" / css.removeprefix("/static/")).read_bytes()
        # The application runs from the bundle's wheel, not from this checkout.
        where = subprocess.run(
            [str(prefix / "venv" / "bin" / "python"), "-c", "import zhaoshang; print(zhaoshang.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert str(prefix / "venv") in where
    finally:
        server.terminate()
        server.wait(timeout=30)
