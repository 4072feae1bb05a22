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
    return rows_block(sorted(bindings), [bindings])


def rows_block(names: list[str], rows: list[dict[str, object]]) -> str:
    """A VALUES block of `rows` (RDF terms by variable name, serialised); no rows give no solution.

    One block for all of a query's known values: two blocks side by side leave the optimiser free to start
    from the wrong one (a bound type joins every event of the type before a page's events narrow them)."""
    return ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { "
            + " ".join("(" + " ".join(str(row[n]) for n in names) + ")" for row in rows) + " }")


def inject_block(sparql: str, block: str) -> str:
    """`sparql` with a VALUES block joined at the top of its WHERE group, where the optimiser starts from it."""
    at = where_group_start(sparql)
    return sparql[:at] + "\n  " + block + "\n" + sparql[at:]


def inject_values(sparql: str, bindings: dict[str, object]) -> str:
    """`sparql` with `bindings` joined at the top of its WHERE group (as rdflib's initBindings does)."""
    return inject_block(sparql, values_block(bindings)) if bindings else sparql


def append_values(sparql: str, bindings: dict[str, object]) -> str:
    """`sparql` with a trailing VALUES clause, the way generic SPARQL clients bind parameters."""
    return sparql.rstrip() + "\n" + values_block(bindings) + "\n" if bindings else sparql
