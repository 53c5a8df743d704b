"""Start the headshot Gradio app (also the Hugging Face Space entry point, see README front matter).

    python app.py [--host 0.0.0.0] [--port 7860] [--model auto|measures|PATH] [--eval-dir DIR]

Host and port default to $GRADIO_SERVER_NAME / $GRADIO_SERVER_PORT, else 0.0.0.0:7860.
Analytics are off and nothing is fetched at start-up: the app runs offline.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "0.0.0.0"))
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    p.add_argument("--model", default=os.environ.get("HEADSHOT_MODEL", "auto"),
                   help="auto (shipped model, else measures), measures, or a model folder")
    p.add_argument("--eval-dir", default=None, help="evaluation folder (default reports/evaluation)")
    p.add_argument("--concurrency", type=int, default=4, help="jobs run at once per event")
    args = p.parse_args(argv)

    from headshot.app import build_app, launch_kwargs, queue

    demo = queue(build_app(model=args.model, eval_dir=args.eval_dir), concurrency=args.concurrency)
    demo.launch(server_name=args.host, server_port=args.port, **launch_kwargs())


if __name__ == "__main__":
    main()
