"""``headshot push-model``: upload a trained model folder to the Hugging Face Hub (explicit command only)."""
from __future__ import annotations

import argparse
from pathlib import Path

from headshot.errors import HeadshotError

HELP = "upload a trained model to the Hugging Face Hub"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model_dir", help="model folder (has headshot_config.json)")
    parser.add_argument("--repo-id", required=True, help="owner/name on the Hub")
    parser.add_argument("--private", action="store_true")
    parser.add_argument("--card", help="model card to upload as README.md (default: the folder's, or ./model_card.md)")
    parser.add_argument("--message", default="Upload headshot attribute model")


def push_model(model_dir: str | Path, repo_id: str, private: bool = False, card: str | Path | None = None,
               message: str = "Upload headshot attribute model") -> str:
    from huggingface_hub import CommitOperationAdd, HfApi

    d = Path(model_dir)
    if not (d / "headshot_config.json").exists():
        raise HeadshotError(f"{d} is not a model folder (no headshot_config.json)")
    if repo_id.count("/") != 1:
        raise HeadshotError(f"--repo-id must be owner/name, not {repo_id!r}")
    ops = [CommitOperationAdd(path_in_repo=f.relative_to(d).as_posix(), path_or_fileobj=str(f))
           for f in sorted(d.rglob("*")) if f.is_file() and f.name != "README.md"]
    card_path = Path(card) if card else (Path("model_card.md") if Path("model_card.md").exists() else d / "README.md")
    if card_path.exists():
        ops.append(CommitOperationAdd(path_in_repo="README.md", path_or_fileobj=str(card_path)))
    api = HfApi()
    api.create_repo(repo_id, repo_type="model", private=private, exist_ok=True)
    info = api.create_commit(repo_id=repo_id, repo_type="model", operations=ops, commit_message=message)
    return str(getattr(info, "commit_url", info))


def run(args: argparse.Namespace) -> int:
    try:
        url = push_model(args.model_dir, args.repo_id, args.private, args.card, args.message)
    except HeadshotError:
        raise
    except Exception as e:  # offline, auth, network: one clear line
        raise HeadshotError(f"upload failed: {type(e).__name__}: {e}") from None
    print(f"pushed {args.model_dir} to {url}")
    return 0
