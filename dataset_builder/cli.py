"""``headshot build-dataset``: build (or resume) the synthetic dataset."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "build the synthetic dataset from base portraits"
DEFAULT_PORTRAITS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "portraits"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--portraits", default=str(DEFAULT_PORTRAITS), help="folder of <source>/labels.csv + images")
    p.add_argument("--out", required=True, help="output dataset folder (resumes if it holds the same build)")
    p.add_argument("--variants", type=int, default=8, help="variants per base portrait (default 8)")
    p.add_argument("--backend", choices=["procedural", "diffusion"], default="procedural")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="worker processes")
    p.add_argument("--no-originals", action="store_true",
                   help="do not also store each portrait unedited (stored by default where all six of its labels are known)")
    p.add_argument("--limit", type=int, default=None, help="use only this many portraits (spread over sources)")
    p.add_argument("--sources", nargs="*", default=None, help="only these source subfolders")
    p.add_argument("--shard-portraits", type=int, default=16, help="base portraits per Parquet shard")
    p.add_argument("--model-id", default=None, help="diffusion: model id or local path")
    p.add_argument("--pipeline", default="sd-img2img", help="diffusion: pipeline kind (see backends/diffusion.py)")
    p.add_argument("--steps", type=int, default=28, help="diffusion: inference steps")


def run(args: argparse.Namespace) -> int:
    from headshot.errors import HeadshotError

    from .builder import BuildConfig, build

    if args.variants < 1:
        raise HeadshotError("--variants must be at least 1")
    if not Path(args.portraits).is_dir():
        raise HeadshotError(f"{args.portraits}: portraits folder not found")
    kw = {}
    if args.backend == "diffusion":
        if not args.model_id:
            raise HeadshotError("--backend diffusion needs --model-id (a model id or local path)")
        kw = {"model_id": args.model_id, "kind": args.pipeline, "steps": args.steps}
    cfg = BuildConfig(portraits=args.portraits, out=args.out, variants=args.variants, backend=args.backend, seed=args.seed,
                      originals=not args.no_originals,
                      workers=args.workers, shard_portraits=args.shard_portraits, limit=args.limit, sources=args.sources,
                      backend_kwargs=kw)
    try:
        res = build(cfg)
    except ValueError as e:
        raise HeadshotError(str(e)) from None
    print(json.dumps(res, indent=2))
    return 0
