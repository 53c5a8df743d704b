"""``headshot validate-dataset DIR``: re-run the checks on a built dataset and rewrite its report."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "re-check a built dataset and write its report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="dataset folder written by build-dataset")
    p.add_argument("--no-recheck", action="store_true", help="only re-aggregate the stored checks (fast)")


def run(args: argparse.Namespace) -> int:
    from headshot.errors import HeadshotError

    from .validate import validate_dataset

    if not (Path(args.dir) / "data").is_dir():
        raise HeadshotError(f"{args.dir}: not a dataset folder (no data/)")
    rep = validate_dataset(args.dir, recheck=not args.no_recheck)
    print(json.dumps({k: rep[k] for k in ("variants", "faces_lost", "flagged_any_disagreement")} |
                     {"agreement": {a: p["agreement"] for a, p in rep["agreement_per_attribute"].items()}}, indent=2))
    return 0
