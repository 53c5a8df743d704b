"""``headshot push-dataset DIR --repo-id org/name``: upload a built dataset folder to the Hub.

Uploads the card, the Parquet shards and the reports as they are (``HfApi.upload_folder``),
so the Hub copy is byte-identical to what ``load_dataset(DIR)`` reads locally.
"""
from __future__ import annotations

import argparse
from pathlib import Path

HELP = "upload a built dataset to the Hugging Face Hub"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="dataset folder written by build-dataset")
    p.add_argument("--repo-id", required=True, help="org/name on the Hub")
    p.add_argument("--private", action="store_true")
    p.add_argument("--token", default=None, help="Hub token (default: the logged-in one)")


def push(folder: str | Path, repo_id: str, private: bool = False, token: str | None = None) -> str:
    from huggingface_hub import HfApi

    from headshot.errors import HeadshotError

    folder = Path(folder)
    if not (folder / "README.md").exists() or not list((folder / "data").glob("*.parquet")):
        raise HeadshotError(f"{folder}: not a built dataset (README.md and data/*.parquet needed)")
    if "/" not in repo_id:
        raise HeadshotError(f"--repo-id must look like org/name, got {repo_id!r}")
    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    info = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="dataset",
                             allow_patterns=["README.md", "data/*.parquet", "reports/**"],
                             commit_message="Upload synthetic headshot dataset")
    return str(getattr(info, "commit_url", info))


def run(args: argparse.Namespace) -> int:
    url = push(args.dir, args.repo_id, args.private, args.token)
    print(f"pushed {args.dir} to {args.repo_id}: {url}")
    return 0
