"""Training and evaluation of the attribute model (imports :mod:`headshot.model`, never the reverse)."""
