#!/usr/bin/env bash
# One command for a newcomer: set up, build the warehouse from the bundled sample bulletin
# plus a synthetic demo corpus, and serve the dashboard on http://127.0.0.1:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
PINGAN_SKIP_OFFICE=1 bash scripts/setup.sh requirements.txt
PY=.venv/bin/python
export PINGAN_WAREHOUSE="${PINGAN_WAREHOUSE:-$PWD/data/warehouse}"
# bound to another address with no accounts: refuse now, in one line, not at the first request
"$PY" -m dashboard.preflight "$@"
DEMO_DIR="${PINGAN_DEMO_DIR:-data/demo}"
DEMO_N="${PINGAN_DEMO_BULLETINS:-400}"
if [ ! -f "$DEMO_DIR/manifest.csv" ]; then
  "$PY" -m etl demo --bulletins "$DEMO_N" --out "$DEMO_DIR" --seed 7
fi
# exit status 1 means some files were refused (listed above); the rest still loaded
"$PY" -m etl ingest data/bulletins "$DEMO_DIR" || [ $? -eq 1 ]
"$PY" -m etl status
exec .venv/bin/streamlit run app.py "$@"
