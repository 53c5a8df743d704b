"""Write the app's example photos to headshot/examples/ from the packaged astronaut portrait.

Derived only from ``skimage.data.astronaut()`` (NASA, public domain) through
``headshot.samples``, so the files may be committed and shown on a public Space.
Run: python scripts/make_examples.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from headshot.app.examples import EXAMPLES_DIR, write_examples  # noqa: E402

if __name__ == "__main__":
    for p in write_examples(EXAMPLES_DIR):
        print(p)
