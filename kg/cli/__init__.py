"""The `kg` command: one module per command, each a thin layer over a library function that returns data."""
from .app import main, parser

__all__ = ["main", "parser"]
