#!/usr/bin/env bash
# One command for a newcomer or CI: set up (system packages, venv) and run every test,
# browser and office-file checks included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${PINGAN_TEST_WORKERS:-2}" "$@"
