"""SPARQL results as the protocol's formats (JSON, CSV, TSV, XML) and graphs as RDF, with content negotiation.

Rendered where the query runs (a worker process), so the server process only moves bytes.
"""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .queries import _json_term

RESULT_TYPES = {  # SPARQL results: media type -> format name
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
}
RESULT_MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
                "tsv": "text/tab-separated-values; charset=utf-8", "xml": "application/sparql-results+xml"}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


def negotiate(accept: str, choices: dict, default: str):
    """The first acceptable media type in `accept` (q-values respected) that we can give."""
    ranked = []
    for n, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        ranked.append((-q, n, media.lower()))
    for _, _, media in sorted(ranked):
        if media in choices:
            return choices[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def _tsv_term(term) -> str:
    return str(term) if term is not None else ""


def render_select(fmt: str, variables: list[str], rows: list[dict]) -> str:
    if fmt == "json":
        return json.dumps({"head": {"vars": variables},
                           "results": {"bindings": [{k: _json_term(v) for k, v in r.items()} for r in rows]}})
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(variables)
            w.writerows([r[v].value if v in r else "" for v in variables] for r in rows)
        else:
            buf.write("\t".join("?" + v for v in variables) + "\n")
            for r in rows:
                buf.write("\t".join(_tsv_term(r.get(v)) for v in variables) + "\n")
        return buf.getvalue()
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables] + ["</head>", "<results>"]
    for r in rows:
        out.append("<result>")
        for v, term in r.items():
            if isinstance(term, ox.NamedNode):
                body = f"<uri>{escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                body = f"<bnode>{escape(term.value)}</bnode>"
            elif term.language:
                body = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
            else:
                body = f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{body}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def render_ask(fmt: str, value: bool) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value})
    if fmt in ("csv", "tsv"):
        return ("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + ("true" if value else "false") + "\n"
    return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>")


