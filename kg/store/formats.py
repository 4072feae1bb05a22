"""RDF file formats: names and suffixes, export prefixes, compact JSON-LD, and guards on what is loaded."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..graph.terms import to_rdflib
from ..namespace import PREFIXES, RES
from .files import StoreError

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML, "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}


SUFFIX_FORMAT = {".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".rdf": "xml", ".xml": "xml",
                 ".owl": "xml", ".jsonld": "jsonld", ".json": "jsonld", ".n3": "n3"}


PREFIX_FOR_KIND = {"org": "organization"}  # `org:` is the W3C Organization Ontology's prefix, not ours


def export_prefixes() -> dict[str, str]:
    """Prefixes for written files: one per resource kind, so IRIs read as `event:1a2b...`, `country:EGY`."""
    out = {k: str(v) for k, v in PREFIXES.items() if k != "res"}
    for kind in ("event", "sentence", "article", "run", "country", "person", "org", "group", "place", "agent", "author",
                 "graph"):
        out[PREFIX_FOR_KIND.get(kind, kind)] = str(RES[kind + "/"])
    return out


def format_for(name: str | None, path: Path | None = None) -> ox.RdfFormat:
    key = (name or (SUFFIX_FORMAT.get(path.suffix.lower()) if path else None) or "turtle").lower()
    if key not in FORMATS:
        raise StoreError(f"unknown RDF format {name!r}; use one of: turtle, nt, nq, trig, xml, jsonld, n3")
    return FORMATS[key]


MAX_GRAPH_BYTES = 2_000_000_000  # a graph file is loaded whole into memory


MAX_XML_DEPTH = 200  # RDF/XML from DiploKG nests a handful of levels; 200k levels never finish parsing


def max_graph_bytes() -> int:
    try:
        return int(os.environ.get("DIPLOKG_MAX_GRAPH_BYTES", MAX_GRAPH_BYTES))
    except ValueError:
        return MAX_GRAPH_BYTES


def check_xml(path: Path, max_depth: int = MAX_XML_DEPTH) -> None:
    """Scan RDF/XML with expat (streaming, no entity expansion) before Oxigraph sees it: refuse DTD
    entity declarations and nesting deeper than `max_depth`, each with one line naming the file."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = [0]

    def entity(name, *_):
        raise StoreError(f"{path}: RDF/XML declares a DTD entity ({name!r}); entities are refused (they can expand "
                         "without bound)")

    def start(*_):
        depth[0] += 1
        if depth[0] > max_depth:
            raise StoreError(f"{path}: RDF/XML nests deeper than {max_depth} elements; refused")

    def end(*_):
        depth[0] -= 1

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except expat.ExpatError as exc:
        raise StoreError(f"{path}: not valid RDF/XML: {expat.ErrorString(exc.code)} at line {exc.lineno}") from None


def write_compact_jsonld(triples: Iterator[ox.Triple], path: Path, prefixes: dict[str, str]) -> None:
    """JSON-LD compacted with an @context of DiploKG's prefixes (keys read `dip:ploverType`, ids `event:1a2b`);
    Oxigraph writes expanded JSON-LD only, rdflib's serializer compacts."""
    g = Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    context = {k: v for k, v in sorted(prefixes.items())}
    g.serialize(destination=str(path), format="json-ld", context=context, auto_compact=True, encoding="utf-8")
