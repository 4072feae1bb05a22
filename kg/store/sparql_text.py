"""Where a SPARQL query's WHERE group opens, found by a tokenizer that skips comments, strings and IRIs.

Parameters are joined into a query as a VALUES block at the start of its WHERE group; a regular
expression for "WHERE {" would also match inside a comment or a string, so the text is scanned
token by token instead.
"""
from __future__ import annotations

import re

# Comments, IRIs and strings (long and short) are consumed whole, so a "{" inside them is never taken.
_TOKEN = re.compile(r"""#[^\n]*|<[^<>"{}|^`\\\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\{""")


def where_group_start(sparql: str) -> int:
    """The offset just after the `{` that opens the query's WHERE group (the first `{` outside comments,
    strings and IRIs: the prologue and SELECT clause have none)."""
    for m in _TOKEN.finditer(sparql):
        if m.group(0) == "{":
            return m.end()
    raise SyntaxError("query has no WHERE group to bind parameters in")


def values_block(bindings: dict[str, object]) -> str:
    """A one-row VALUES block; the values are RDF terms already serialised (escaped N-Triples syntax)."""
    names = sorted(bindings)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(str(bindings[n]) for n in names) + ") }"


def inject_values(sparql: str, bindings: dict[str, object]) -> str:
    """`sparql` with `bindings` joined at the top of its WHERE group (as rdflib's initBindings does)."""
    if not bindings:
        return sparql
    at = where_group_start(sparql)
    return sparql[:at] + "\n  " + values_block(bindings) + "\n" + sparql[at:]


def append_values(sparql: str, bindings: dict[str, object]) -> str:
    """`sparql` with a trailing VALUES clause, the way generic SPARQL clients bind parameters."""
    return sparql.rstrip() + "\n" + values_block(bindings) + "\n" if bindings else sparql
