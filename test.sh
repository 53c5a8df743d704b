#!/usr/bin/env bash
# The whole test suite: set up (Chromium included, for the browser tests), then pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
exec .venv/bin/python -m pytest -q "$@"
