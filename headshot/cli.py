"""The ``headshot`` command. Subcommands live in their own modules and are listed in COMMANDS.

Each subcommand module exposes ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
modules are imported only when their command runs, so ``headshot score`` starts fast.
Errors the user can fix print one line and exit with status 2, without a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

# command name -> (module, one-line help). Order is the order shown in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("headshot.commands.score", "score portraits: a table, JSON or CSV"),
    "build-dataset": ("dataset_builder.cli", "build the synthetic dataset from base portraits"),
    "validate-dataset": ("dataset_builder.validate_cli", "re-check a built dataset and write its report"),
    "push-dataset": ("dataset_builder.push_cli", "upload a built dataset to the Hugging Face Hub"),
    "train": ("training.cli", "train the attribute model (also under accelerate launch)"),
    "evaluate": ("training.evaluate_cli", "evaluate a model on a dataset split or real labelled photos"),
    "push-model": ("training.push_cli", "upload a trained model to the Hugging Face Hub"),
}


def _quiet_native_logs() -> None:
    """MediaPipe and TFLite print C++ log lines on stderr; they are noise for a CLI user."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def build_parser(load: Optional[str] = None) -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="headshot", description="Professional headshot checks for one photo or many.")
    parser.add_argument("--version", action="version", version=f"headshot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        if name == load:
            importlib.import_module(module).add_arguments(p)
        else:
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    _quiet_native_logs()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in COMMANDS:
        build_parser().parse_args(argv or ["--help"])
        return 2
    module = COMMANDS[command][0]
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        print(f"headshot {command}: not available ({e})", file=sys.stderr)
        return 2
    args = build_parser(load=command).parse_args(argv)
    from .errors import HeadshotError

    try:
        return int(mod.run(args) or 0)
    except HeadshotError as e:
        print(f"headshot {command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"headshot {command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
