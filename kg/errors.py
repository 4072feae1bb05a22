"""Errors the command line turns into one-line messages (kept apart so importing them is cheap)."""
from __future__ import annotations


class ModelError(RuntimeError):
    """No usable spaCy pipeline: names what was tried and how to install one."""
