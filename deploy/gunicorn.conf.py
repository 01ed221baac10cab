"""gunicorn settings for zhaoshang-web.service (`gunicorn -c /opt/zhaoshang/deploy/gunicorn.conf.py`).

Every value can be overridden from the environment file (/etc/zhaoshang/zhaoshang.env):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_LOG_DIR.
Threads (gthread) keep the import page's progress polls answered while a long request runs.
"""

import multiprocessing
import os

wsgi_app = "zhaoshang.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "unix:/run/zhaoshang/gunicorn.sock").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Province-scale reports and exports (SPEC §5 bench: bulletin_docx_s ≈ 12 s) stay well inside this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host is the only client; with several app servers, list nginx's address here.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

_log_dir = os.environ.get("GUNICORN_LOG_DIR", "/var/log/zhaoshang")
accesslog = os.path.join(_log_dir, "access.log")
errorlog = os.path.join(_log_dir, "error.log")
loglevel = "info"
capture_output = True
