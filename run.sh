#!/usr/bin/env bash
# The main job: set up, then start the Gradio app on the shipped default model
# (before the app existed, this scored the packaged sample portrait).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
if [ -f app.py ]; then
  exec .venv/bin/python app.py "$@"
else
  exec .venv/bin/headshot score --sample "$@"
fi
