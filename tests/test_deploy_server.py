"""The production server as deploy/ ships it: gunicorn (deploy/gunicorn.conf.py) behind nginx
(deploy/nginx/zhaoshang.conf with its proxy headers), production settings, on loopback.

The shipped nginx site is used as it is, with only its install paths and ports rewritten to this
test's temporary directory. Skips when nginx is not installed (`make system-deps` installs it; CI
sets ZHAOSHANG_REQUIRE_NGINX=1 so that a missing nginx fails instead of skipping).
"""

import http.cookiejar
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from factories import TEST_PASSWORD
from zhaoshang.organisation.choices import Role

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
)

if NGINX is None and os.environ.get("ZHAOSHANG_REQUIRE_NGINX") == "1":
    raise RuntimeError("ZHAOSHANG_REQUIRE_NGINX=1 but nginx is not installed (make system-deps)")

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make system-deps installs it)"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _self_signed(directory: Path) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "zhaoshang.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "zhaoshang.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _database_url() -> str:
    """The test database, for processes started by a test (pytest-django's test name, not the
    configured one)."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    quote = urllib.parse.quote
    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(path: Path, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


# Set by the browser tests' conftest for Playwright in the test process; a production process must not
# inherit it (`check --deploy` refuses it: async.E001).
TEST_ONLY_ENV = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_env(var: Path) -> dict[str, str]:
    return {
        **{name: value for name, value in os.environ.items() if name not in TEST_ONLY_ENV},
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "ZHAOSHANG_ENV": "production",
        "ZHAOSHANG_SECRET_KEY": _SECRET_KEY,
        "ZHAOSHANG_FIELD_KEY": settings.FIELD_KEY,
        "ZHAOSHANG_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHAOSHANG_HOME": str(REPO),
        "ZHAOSHANG_VAR": str(var),
    }


_SECRET_KEY = secrets.token_urlsafe(50)
MANAGE = [sys.executable, "-m", "zhaoshang.manage"]


def unit_command(unit: str, *extra: str) -> list[str]:
    """The ``ExecStart`` of the shipped systemd unit ``unit``, its install paths (/opt/zhaoshang/venv,
    /opt/zhaoshang/deploy) mapped to this checkout's virtual environment and deploy/: the test runs
    what the unit runs (systemd itself is not available here; ``systemd-analyze verify`` checks the
    units in tests/test_deploy_files.py)."""
    lines = (DEPLOY / "systemd" / unit).read_text().splitlines()
    argv = shlex.split(
        next(line for line in lines if line.startswith("ExecStart=")).removeprefix("ExecStart=")
    )
    here = {
        "/opt/zhaoshang/venv/bin/": f"{Path(sys.executable).parent}/",
        "/opt/zhaoshang/deploy/": f"{DEPLOY}/",
    }
    for shipped, local in here.items():
        argv = [arg.replace(shipped, local) for arg in argv]
    assert Path(argv[0]).exists(), argv[0]
    return [*argv, *extra]


@pytest.fixture(scope="session")
def collected(tmp_path_factory) -> Path:
    """`collectstatic` with the production settings (hashed, compressed names), once a run; and
    `check --deploy`, which must be clean with them."""
    var = tmp_path_factory.mktemp("collected")
    env = _production_env(var) | {"DATABASE_URL": f"sqlite:///{var / 'unused.sqlite3'}"}
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    deploy_check = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deploy_check.returncode == 0, deploy_check.stdout + deploy_check.stderr
    return var / "static"


@pytest.fixture
def stack(tmp_path, make_user, collected):
    """gunicorn + nginx on loopback, and the worker (`zhaoshang db_worker`), each started by its systemd
    unit's own command line (``unit_command``); yields the https and http base addresses and the paths."""
    var = tmp_path / "var"
    var.mkdir()
    (var / "static").symlink_to(collected)
    tls = tmp_path / "tls"
    tls.mkdir()
    _self_signed(tls)
    env = _production_env(var) | {
        "DATABASE_URL": _database_url(),
        "GUNICORN_BIND": f"unix:{tmp_path / 'gunicorn.sock'}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_DIR": str(tmp_path),
    }

    https_port, http_port = _free_port(), _free_port()
    site = (DEPLOY / "nginx" / "zhaoshang.conf").read_text()
    for shipped, here in [
        ("unix:/run/zhaoshang/gunicorn.sock", f"unix:{tmp_path / 'gunicorn.sock'}"),
        ("/etc/zhaoshang/tls/", f"{tls}/"),
        ("/var/lib/zhaoshang/static/", f"{var / 'static'}/"),
        ("/etc/zhaoshang/nginx-proxy.conf", str(DEPLOY / "nginx" / "proxy.conf")),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
    ]:
        assert shipped in site, shipped
        site = site.replace(shipped, here)
    (tmp_path / "site.conf").write_text(site)
    temp = tmp_path / "nginx-temp"
    temp.mkdir()
    # As root the workers would otherwise run as nobody, who cannot enter pytest's 0700 directory.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp_path / "nginx.pid"};
error_log {tmp_path / "nginx-error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp_path / "nginx-access.log"};
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path / "site.conf"};
}}
"""
    )
    user_row = make_user(Role.BUREAU, username="bureau_smoke")
    gunicorn = subprocess.Popen(
        unit_command("zhaoshang-web.service"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        unit_command("zhaoshang-worker.service", "--no-startup-delay", "--interval", "0.2"),
        env=env,
        stdout=open(tmp_path / "worker.log", "w"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )
    nginx = subprocess.Popen(
        [
            NGINX,
            "-c",
            str(tmp_path / "nginx.conf"),
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "nginx-error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(tmp_path / "gunicorn.sock", gunicorn, "gunicorn", tmp_path / "error.log")
        _wait_for(tmp_path / "nginx.pid", nginx, "nginx", tmp_path / "nginx-error.log")
        yield {
            "https": f"https://127.0.0.1:{https_port}",
            "http": f"http://127.0.0.1:{http_port}",
            "static": collected,
            "worker_log": tmp_path / "worker.log",
            "gunicorn_access": tmp_path / "access.log",
            "user": user_row,
        }
    finally:
        for process in (nginx, gunicorn, worker):
            process.terminate()
        for process in (nginx, gunicorn, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _log_with(path: Path, text: str) -> str:
    """The log once it has ``text`` (gunicorn writes the access line just after the response)."""
    deadline = time.monotonic() + 10
    while True:
        log = path.read_text() if path.exists() else ""
        if text in log or time.monotonic() > deadline:
            assert text in log, log[-2000:]
            return log
        time.sleep(0.1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(follow: bool = True):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    handlers = [
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    ]
    if not follow:
        handlers.append(_NoRedirect())
    return urllib.request.build_opener(*handlers)


def _get(opener, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_login_page_and_sign_in_through_nginx_and_gunicorn(stack):
    opener = _opener(follow=False)

    # Plain HTTP is sent to HTTPS by nginx.
    status, headers, _ = _get(opener, stack["http"] + "/accounts/login/")
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1") and headers["Location"].endswith(
        "/accounts/login/"
    )

    # The login page over HTTPS, rendered by gunicorn: production headers (HSTS, secure cookies) show
    # that Django saw the request as secure through nginx's X-Forwarded-Proto.
    status, headers, body = _get(opener, stack["https"] + "/accounts/login/")
    page = body.decode()
    assert status == 200
    assert 'name="username"' in page and 'name="password"' in page
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in headers["Set-Cookie"]

    # Its stylesheet comes from nginx off disk: the collected file, byte for byte, and no request for
    # it in gunicorn's access log.
    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    status, headers, body = _get(opener, stack["https"] + css)
    assert status == 200
    assert body == (stack["static"] / css.removeprefix("/static/")).read_bytes()
    assert "immutable" in headers["Cache-Control"]
    log = _log_with(stack["gunicorn_access"], "GET /accounts/login/")
    assert css not in log

    # Signing in: the POST through the proxy passes Django's CSRF check for HTTPS (origin and referer
    # are the https address nginx serves).
    login = stack["https"] + "/accounts/login/"
    _, _, body = _get(opener, login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "bureau_smoke", "password": TEST_PASSWORD}
    ).encode()
    status, headers, _ = _get(opener, login, data=form, headers={"Referer": login, "Origin": stack["https"]})
    assert status == 302, "the sign-in was refused"
    # Production enforces the first-login password change: the signed-in user is sent there.
    assert headers["Location"] != "/accounts/login/"
    status, _, body = _get(opener, stack["https"] + headers["Location"])
    assert status in (200, 302)
    _log_with(stack["gunicorn_access"], "POST /accounts/login/")


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.slow
def test_import_of_10k_rows_from_the_page_through_nginx_runs_in_the_worker(
    stack, tmp_path, units, region_tree, make_user
):
    """The issue's "done when": a 10 000-row import started from the page, through nginx and
    gunicorn, is checked and imported by the worker process while the page's polls show how far it is."""
    from django.utils import timezone

    from test_exchange_support import write_xlsx
    from zhaoshang.leads.models import Lead
    from zhaoshang.security.services import security_of

    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau_import")
    state = security_of(bureau)
    state.must_change_password, state.password_changed_at = False, timezone.now()
    state.save()
    rows = [["信息名称", "上报单位", "上报日期", "是否有价值"]]
    rows += [[f"信息{i}", "川店镇" if i % 2 else "马山镇", "2022-03-01", "是"] for i in range(10_000)]
    content = write_xlsx(tmp_path / "leads.xlsx", rows).read_bytes()

    base = stack["https"]
    jar = http.cookiejar.CookieJar()
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
    )

    def csrf() -> str:
        return next(c.value for c in jar if c.name == "csrftoken")

    def post(path, data: bytes, content_type="application/x-www-form-urlencoded", htmx=False):
        headers = {
            "Content-Type": content_type,
            "Referer": base + path,
            "Origin": base,
            "X-CSRFToken": csrf(),
        }
        if htmx:
            headers["HX-Request"] = "true"
        return _get(opener, base + path, data=data, headers=headers)

    _, _, body = _get(opener, base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    login = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "bureau_import", "password": TEST_PASSWORD}
    ).encode()
    status, headers, _ = post("/accounts/login/", login)
    assert (status, headers["Location"]) == (302, "/")

    _get(opener, base + "/exchange/import/leads/")
    data, content_type = _multipart({"csrfmiddlewaretoken": csrf()}, "file", "leads.xlsx", content)
    status, headers, _ = post("/exchange/import/leads/", data, content_type)
    assert status == 302, "the upload through nginx was refused"
    job = headers["Location"]  # /exchange/jobs/N/

    def run(step: str) -> tuple[str, list[tuple[int, int]]]:
        status, _, body = post(f"{job}{step}/", b"", htmx=True)
        assert status == 200 and 'hx-trigger="every 1s"' in body.decode()
        seen, deadline = [], time.monotonic() + 300
        while time.monotonic() < deadline:
            status, headers, body = _get(opener, base + f"{job}progress/", headers={"HX-Request": "true"})
            if status == 286:
                assert headers["HX-Retarget"] == "#job-result"
                return body.decode(), seen
            seen += [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+) 行", body.decode())]
            time.sleep(0.25)
        raise AssertionError(stack["worker_log"].read_text()[-3000:])

    result, seen_check = run("check")
    assert "检查通过(未写入)招商信息:将新增10000条" in result
    result, seen_import = run("confirm")
    assert "已导入招商信息:新增10000条" in result
    assert Lead.objects.count() == 10_000
    partial = [(done, total) for done, total in seen_check + seen_import if 0 < done < total]
    assert partial and all(total == 10_000 for _, total in partial), (seen_check, seen_import)
    # The requests were gunicorn's, the work the worker's.
    assert "zhaoshang.core.jobs.import_job_task" in stack["worker_log"].read_text()
