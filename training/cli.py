"""``headshot train``: train the attribute model from a YAML config (see :mod:`training.train`)."""
from __future__ import annotations

import argparse
import json
import shlex

from . import train as _train

HELP = "train the attribute model (also under accelerate launch)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _train.add_arguments(parser)


def command_line(args: argparse.Namespace) -> str:
    """The command as given, every flag that shapes the run included, so the model card can reproduce it."""
    parts = [f"--config={args.config}"] if args.config else []
    parts += [f"{flag}={val}" for _, flag, val in _train.given_flags(args)]
    if args.no_resume:
        parts.append("--no-resume")
    return "headshot train " + " ".join(shlex.quote(x) for x in parts + list(args.overrides or []))


def run(args: argparse.Namespace) -> int:
    cfg = _train.config_from_args(args)
    res = _train.train(cfg, command=command_line(args))
    if "wall_seconds" in res:
        print(json.dumps({k: res[k] for k in ("steps", "validation_macro_issue_f1_tuned", "train_images_per_second",
                                              "wall_seconds")}, indent=2))
        print(f"model saved to {cfg.output_dir}/model")
    return 0
