#!/bin/sh
# Zhaoshang offline installer: everything comes from this directory (the bundle `make bundle` built);
# nothing is downloaded. Run as root on Debian 12 / Kylin-style x86_64 or aarch64 with Python 3.11+:
#
#   sudo ./install.sh                       # install, configure and start the services
#   sudo ./install.sh --database-url postgres://zhaoshang:密码@127.0.0.1:5432/zhaoshang
#   ./install.sh --no-system --prefix DIR   # only the application in DIR (no user, systemd, nginx);
#                                           # settings from the caller's environment
#   ./install.sh --no-system --skip-setup   # ... without migrate/collectstatic (an image build)
#
# What it does (system mode): a `zhaoshang` system user; the application in /opt/zhaoshang (a Python
# virtual environment installed from wheels/ with --no-index and the hashes of requirements.lock,
# the front-end files in assets/, deploy/); data in /var/lib/zhaoshang, logs in /var/log/zhaoshang;
# /etc/zhaoshang/zhaoshang.env with generated keys (kept if it exists: an upgrade keeps its settings);
# a self-signed certificate if none is there; the systemd units, logrotate and the nginx site;
# then `migrate`, `collectstatic`, `check --deploy` and starts the web service, the worker and the
# timers. An upgrade is the same command with the new bundle (README 部署: back up first).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/zhaoshang
VAR=/var/lib/zhaoshang
ETC=/etc/zhaoshang
SYSTEM=1
PYTHON=${PYTHON:-python3}
DATABASE_URL_ARG=""
SETUP=1

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$2; shift 2 ;;
        --no-system) SYSTEM=0; shift ;;
        --python) PYTHON=$2; shift 2 ;;
        --database-url) DATABASE_URL_ARG=$2; shift 2 ;;
        --skip-setup) SETUP=0; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

say() { echo "install.sh: $*"; }

ARCH=$(uname -m)
WHEELS="$HERE/wheels/$ARCH"
[ -d "$WHEELS" ] || { echo "install.sh: this bundle has no wheels for $ARCH (built for: $(ls "$HERE/wheels" | grep -v '\.whl$' | tr '\n' ' '))" >&2; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "install.sh: Python 3.11 or later is needed ($PYTHON)" >&2; exit 1; }

# The machine's pip configuration (an index, find-links) must not add anything: only this bundle.
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
say "Python packages from $WHEELS"
mkdir -p "$PREFIX"
[ -x "$PREFIX/venv/bin/python" ] || "$PYTHON" -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install -q --no-index --find-links "$WHEELS" --require-hashes -r "$HERE/requirements.lock"
"$PREFIX/venv/bin/python" -m pip install -q --no-index --no-deps --force-reinstall "$HERE"/wheels/zhaoshang-*.whl
rm -rf "$PREFIX/assets" "$PREFIX/deploy"
cp -R "$HERE/assets" "$PREFIX/assets"
cp -R "$HERE/deploy" "$PREFIX/deploy"
ZS="$PREFIX/venv/bin/zhaoshang"

if [ "$SYSTEM" = 0 ]; then
    export ZHAOSHANG_HOME="${ZHAOSHANG_HOME:-$PREFIX}" ZHAOSHANG_ASSETS="${ZHAOSHANG_ASSETS:-$PREFIX/assets/node_modules}"
    if [ "$SETUP" = 1 ]; then
        "$ZS" migrate --noinput -v 0
        "$ZS" collectstatic --noinput -v 0
    fi
    say "installed in $PREFIX (no services configured: --no-system)"
    exit 0
fi

[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (or use --no-system)" >&2; exit 1; }
id zhaoshang >/dev/null 2>&1 || useradd --system --home-dir "$VAR" --shell /usr/sbin/nologin zhaoshang
install -d -o zhaoshang -g zhaoshang -m 0750 "$VAR" /var/log/zhaoshang
install -d -m 0750 -g zhaoshang "$ETC" "$ETC/tls"

if [ ! -f "$ETC/zhaoshang.env" ]; then
    say "writing $ETC/zhaoshang.env (new keys; edit ZHAOSHANG_ALLOWED_HOSTS and DATABASE_URL)"
    key() { "$PREFIX/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))'; }
    {
        echo "ZHAOSHANG_ENV=production"
        echo "ZHAOSHANG_HOME=$PREFIX"
        echo "ZHAOSHANG_VAR=$VAR"
        echo "ZHAOSHANG_ASSETS=$PREFIX/assets/node_modules"
        echo "DATABASE_URL=${DATABASE_URL_ARG:-sqlite:///$VAR/zhaoshang.sqlite3}"
        echo "ZHAOSHANG_SECRET_KEY=$(key)"
        echo "ZHAOSHANG_FIELD_KEY=$(key)"
        echo "ZHAOSHANG_ALLOWED_HOSTS=$(hostname -f 2>/dev/null || hostname),localhost,127.0.0.1"
    } >"$ETC/zhaoshang.env"
    chmod 0640 "$ETC/zhaoshang.env"
    chgrp zhaoshang "$ETC/zhaoshang.env"
fi

if [ ! -f "$ETC/tls/zhaoshang.crt" ]; then
    say "no certificate in $ETC/tls: a self-signed one for now (replace it with the bureau's)"
    openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=$(hostname -f 2>/dev/null || hostname)" \
        -keyout "$ETC/tls/zhaoshang.key" -out "$ETC/tls/zhaoshang.crt" 2>/dev/null
    chmod 0600 "$ETC/tls/zhaoshang.key"
fi

run_as_app() {
    # As the services run: the application user, with the settings file as environment.
    runuser -u zhaoshang -- sh -c 'set -a; . "$0"; set +a; exec "$@"' "$ETC/zhaoshang.env" "$@"
}
say "database migrations, static files, deployment check"
run_as_app "$ZS" migrate --noinput -v 0
run_as_app "$ZS" collectstatic --noinput -v 0
run_as_app "$ZS" check --deploy --fail-level WARNING

install -m 0644 "$PREFIX"/deploy/systemd/zhaoshang-* /etc/systemd/system/
install -m 0644 "$PREFIX/deploy/logrotate/zhaoshang" /etc/logrotate.d/zhaoshang
if [ -d /etc/nginx ]; then
    install -m 0644 "$PREFIX/deploy/nginx/proxy.conf" "$ETC/nginx-proxy.conf"
    install -m 0644 "$PREFIX/deploy/nginx/zhaoshang.conf" /etc/nginx/sites-available/zhaoshang
    ln -sf /etc/nginx/sites-available/zhaoshang /etc/nginx/sites-enabled/zhaoshang
    rm -f /etc/nginx/sites-enabled/default
    nginx -t && systemctl reload-or-restart nginx
else
    say "nginx is not installed: install it from the system's DVD or mirror (apt-get install nginx-light), then run install.sh again"
fi
systemctl daemon-reload
systemctl enable --now zhaoshang-web.service zhaoshang-worker.service zhaoshang-scheduler.timer zhaoshang-health.timer
systemctl restart zhaoshang-web.service zhaoshang-worker.service
say "done: https://$(hostname -f 2>/dev/null || hostname)/ ; status: systemctl status zhaoshang-web zhaoshang-worker; $ZS health"
