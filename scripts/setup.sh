#!/usr/bin/env bash
# Sets up a fresh machine for Ping'an Metrics: system packages (Chromium for chart images
# and browser tests, Noto CJK fonts for every export, LibreOffice for the pptx->pdf check,
# a C compiler), then a virtualenv in .venv with the pinned requirements, and the
# extractor compiled into .native/ (scripts/build_native.py). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -qi "noto" || need_apt+=(fonts-noto-cjk)
# a C compiler and the interpreter's headers: mypyc compiles the extractor (build_native.py)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)
inc=$("${PYTHON:-python3}" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null || true)
[ -f "$inc/Python.h" ] || need_apt+=(python3-dev)
if [ "${PINGAN_SKIP_OFFICE:-0}" != 1 ]; then
  command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-impress libreoffice-writer)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
req=${1:-requirements-dev.txt}
stamp=".venv/.installed-$(sha256sum requirements.txt "$req" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r "$req"
  touch "$stamp"
fi

# the extractor's hot modules compiled with mypyc (about 1.2x faster, same output); a no-op
# when the build matches the source, and plain Python (with a warning) when it cannot be made
.venv/bin/python scripts/build_native.py
