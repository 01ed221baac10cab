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
    db = settings.DATABASES["default"]
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


@pytest.fixture
def stack(tmp_path, make_user):
    """gunicorn + nginx on loopback; yields the https and http base addresses and the paths."""
    var = tmp_path / "var"
    (var / "static").mkdir(parents=True)
    tls = tmp_path / "tls"
    tls.mkdir()
    _self_signed(tls)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "ZHAOSHANG_ENV": "production",
        "ZHAOSHANG_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHAOSHANG_FIELD_KEY": settings.FIELD_KEY,
        "ZHAOSHANG_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHAOSHANG_HOME": str(REPO),
        "ZHAOSHANG_VAR": str(var),
        "DATABASE_URL": _database_url(),
        "GUNICORN_BIND": f"unix:{tmp_path / 'gunicorn.sock'}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_DIR": str(tmp_path),
    }
    manage = [sys.executable, "-m", "zhaoshang.manage"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    deploy_check = subprocess.run(
        [*manage, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deploy_check.returncode == 0, deploy_check.stdout + deploy_check.stderr

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
        [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
            "static": var / "static",
            "gunicorn_access": tmp_path / "access.log",
            "user": user_row,
        }
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
        for process in (nginx, gunicorn):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


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
    log = stack["gunicorn_access"].read_text()
    assert "GET /accounts/login/" in log and css not in log

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
    assert "POST /accounts/login/" in stack["gunicorn_access"].read_text()
