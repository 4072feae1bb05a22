"""Regenerate kg/namespace.py's DIP class from ontology/diplomacy.ttl (rdflib's defined_namespace_creator habit).

Run `python tools/gen_namespace.py > /tmp/ns.py` and compare; tests/test_ontology.py checks they agree.
"""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
DIP_IRI = "https://w3id.org/diplokg/ontology#"
GROUPS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
]


def dip_terms(path: Path = ROOT / "ontology" / "diplomacy.ttl") -> list[tuple[str, str, str]]:
    """(group, local name, comment) for every dip: term, sorted within its group."""
    g = Graph().parse(path)
    rows: list[tuple[str, str, str]] = []
    seen: set[URIRef] = set()
    for cls, group in GROUPS:
        for s in sorted(g.subjects(RDF.type, cls)):
            if str(s).startswith(DIP_IRI) and s not in seen:
                seen.add(s)
                rows.append((group, str(s)[len(DIP_IRI):], str(g.value(s, RDFS.comment) or "")))
    for s in sorted(set(g.subjects()) - seen):
        if isinstance(s, URIRef) and str(s).startswith(DIP_IRI):
            rows.append(("Individuals", str(s)[len(DIP_IRI):], str(g.value(s, RDFS.comment) or "")))
    return rows


def render() -> str:
    lines = []
    group = None
    for grp, name, comment in dip_terms():
        if grp != group:
            lines.append(f"\n    # {grp}")
            group = grp
        lines.append(f"    {name}: URIRef  # {comment[:90]}")
    return "\n".join(lines).lstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
