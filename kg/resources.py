"""Where the ontology, shapes, saved queries and data files live, installed or in a checkout.

A wheel carries ontology/ and queries/ inside the package (pyproject force-include); a checkout or
an editable install reads them from the repository root, so both layouts work without copying.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rdflib import Graph

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _find(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder next to the kg package")


def ontology_path() -> Path:
    return _find("ontology") / "diplomacy.ttl"


def shapes_path() -> Path:
    return _find("ontology") / "shapes.ttl"


def queries_dir() -> Path:
    return _find("queries")


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The ontology graph, parsed once per process."""
    return Graph().parse(ontology_path())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line, as kg/data keeps its tables (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fold(text: str) -> str:
    """A name in plain ASCII letters ('Erdoğan' -> 'Erdogan', 'Путин' -> 'Putin'): news and reference data write
    one name with and without its accents, and in other scripts, and both must reach one actor."""
    return text if text.isascii() else anyascii(text)


def slug(text: str) -> str:
    """A stable IRI-safe key for a name ('Abdel Fattah al-Sisi' -> 'abdel-fattah-al-sisi', 'Erdoğan' -> 'erdogan')."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-") or "x"
