"""``headshot score PATH...``: a readable table, ``--json`` reports, or ``--csv FILE`` rows."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from ..errors import HeadshotError, ImageLoadError

HELP = "score portraits: a table, JSON or CSV"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="image files or folders (folders are scored in batch)")
    p.add_argument("--sample", action="store_true", help="score the packaged sample portrait (skimage astronaut)")
    p.add_argument("--json", action="store_true", help="print one JSON report per image (a list for several)")
    p.add_argument("--csv", metavar="FILE", help="write one row per image to FILE")
    p.add_argument("--model", default="auto",
                   help="model folder or Hub id; 'measures' for the rule layer; default: the installed model")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def expand(paths: list[str]) -> list[Path]:
    """Files as given, folders expanded to their images (sorted, recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        try:
            is_dir = p.is_dir()
        except OSError:
            is_dir = False  # an unreadable or over-long name: load_image reports it in its row
        if is_dir:
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES))
        else:
            out.append(p)
    return out


def _check_writable(out: Path) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.with_suffix(out.suffix + ".tmp").open("w"):
            pass
    except OSError as e:
        raise HeadshotError(f"cannot write {out}: {e.strerror or e}") from None


def _table(report) -> str:
    lines = [f"{report.file}  [{report.predictor}]"]
    if report.error:
        return lines[0] + f"\n  error: {report.error}"
    for name, a in report.attributes.items():
        bar = "#" * round(a.probability * 20)
        lines.append(f"  {name:<11} {a.probability:5.2f} {bar:<20} {'pass' if a.passed else 'FAIL'}")
        if a.advice:
            lines.append(f"    -> {a.advice}")
    lines.append(f"  verdict: {'professional headshot' if report.passed else 'not yet: ' + ', '.join(report.failed)}")
    lines.extend(f"  warning: {w}" for w in report.warnings)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.sample:
        import tempfile

        from ..samples import write_sample

        args.paths = [*args.paths, str(write_sample(Path(tempfile.mkdtemp()) / "astronaut.png"))]
    if not args.paths:
        raise ImageLoadError("give at least one image path (or --sample)")
    files = expand(args.paths)
    if not files:
        raise ImageLoadError("no images found in " + ", ".join(args.paths))
    if args.csv:  # fail before scoring, not after, when the CSV cannot be written
        _check_writable(Path(args.csv))
    from ..scorer import HeadshotScorer

    scorer = HeadshotScorer(model=args.model)
    single = len(files) == 1 and len(args.paths) == 1 and files[0] == Path(args.paths[0])
    if single:
        report = scorer.score_file(files[0])
        reports = [report]
    else:
        from tqdm import tqdm

        reports = [scorer.score_file(f) for f in tqdm(files, desc="scoring", unit="img", file=sys.stderr,
                                                       disable=args.no_progress)]
    if args.csv:
        from ..report import CSV_COLUMNS

        out = Path(args.csv)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(out.suffix + ".tmp")
        with tmp.open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            w.writeheader()
            for r in reports:
                w.writerow(r.csv_row())
        tmp.replace(out)  # never leave a half-written CSV behind
    if args.json:
        data = [r.to_dict() for r in reports]
        print(json.dumps(data[0] if single else data, indent=2))
    elif not args.csv:
        print("\n\n".join(_table(r) for r in reports))
    errors = [r for r in reports if r.error]
    if single and errors:
        if not args.json:
            print(f"headshot score: error: {errors[0].error}", file=sys.stderr)
        return 2
    if errors and not args.json:
        print(f"{len(errors)} of {len(reports)} images could not be scored", file=sys.stderr)
    return 2 if errors and len(errors) == len(reports) else 0


__all__ = ["HELP", "add_arguments", "run", "expand", "HeadshotError"]
