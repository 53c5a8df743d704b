"""Subcommands of the ``headshot`` CLI that belong to the scoring package."""
