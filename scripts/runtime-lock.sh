#!/usr/bin/env bash
# Regenerate deploy/requirements-runtime.lock: the runtime dependencies only (no dev extra), hash
# pinned, at exactly the versions requirements.lock pins — what the offline bundle ships and
# install.sh installs. Run after regenerating requirements.lock; tests/test_bundle.py checks they agree.
set -euo pipefail
cd "$(dirname "$0")/.."
COMPILE=${ZS_PIP_COMPILE:-pip-compile}  # not PIP_*: pip reads those as its own options
mkdir -p var
constraints=var/requirements-pins.txt
sed -n 's/^\([A-Za-z0-9][A-Za-z0-9._-]*==[^ ]*\) \\$/\1/p' requirements.lock >"$constraints"
"$COMPILE" -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --constraint "$constraints" \
    --output-file=deploy/requirements-runtime.lock pyproject.toml
