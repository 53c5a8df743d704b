"""Synthetic headshot data: base portraits -> g (targets -> edit plan) -> backend -> validated dataset.

Data flows one way (STYLE.md): this package reads ``headshot`` (attributes, analysis, measures)
and nothing in ``headshot`` reads it back.
"""
