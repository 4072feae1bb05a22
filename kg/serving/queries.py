"""Saved SPARQL queries (queries/*.rq) with grlc-style headers, run with bound parameters.

A header is YAML behind `#+` (summary, params, defaults). Parameters live in variable names:
`?_name` is required, `?__name` optional. Values are bound as RDF terms through Oxigraph's
substitutions (SEP-0007), never pasted into the query text.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..namespace import PREFIXES
from ..resources import queries_dir
from ..store.graph_store import GraphStore
from ..store.sparql_text import inject_block, rows_block

# grlc's parameter names: `?_name` required, `?__name` optional, an optional type suffix (`?_actor_iri`).
PARAM_RX = re.compile(r"\?(?P<underscores>__?)(?P<name>[a-zA-Z0-9]+)(?:_(?P<type>iri|number|literal|integer))?(?![A-Za-z0-9_])")
GRLC_TYPES = {"iri": "iri", "integer": "integer", "number": "number", "literal": "string"}
PAGE_KEY_RX = re.compile(r"^\s*\?(\w+)\s")  # the variable a `page_by` pattern starts with


class QueryError(Exception):
    """A bad query name, header or parameter; str() says which and why."""


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    params: dict[str, dict] = field(default_factory=dict)  # name -> {required, description, type, default}
    pagination: int | None = None  # grlc's `#+ pagination: N`: rows per page, asked for with the `page` parameter
    page_by: str | None = None  # DiploKG's `#+ page_by: PATTERN`: a page is N values of the pattern's first variable
    page_order: str | None = None  # `#+ page_order: EXPR`: the order of those values across pages (else index order)

    def variables(self) -> list[str]:
        m = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\s*WHERE", self.text, re.S | re.I)
        return re.findall(r"\?(\w+)", m.group(2)) if m else []


def parse_header(path: Path, text: str) -> dict:
    lines = [ln[2:].removeprefix(" ") for ln in text.splitlines() if ln.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: bad YAML header: {exc}") from None
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryError(f"{path}: header needs '#+ summary: ...'")
    return header


def load_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    header = parse_header(path, text)
    described = header.get("params") or {}
    params: dict[str, dict] = {}
    for m in PARAM_RX.finditer(text):
        name = m.group("name")
        if name in params:
            continue
        spec = dict(described.get(name) or {}) if isinstance(described.get(name), dict) else \
            {"description": str(described.get(name) or "")}
        spec["required"] = m.group("underscores") == "_"
        spec["var"] = m.group(0)[1:]  # the variable as written, e.g. _actor_iri
        spec.setdefault("type", GRLC_TYPES.get(m.group("type") or "", "string"))
        params[name] = spec
    pagination = header.get("pagination")
    if pagination is not None:
        if not isinstance(pagination, int) or isinstance(pagination, bool) or pagination < 1:
            raise QueryError(f"{path}: '#+ pagination:' must be a positive number of rows")
        page_by = header.get("page_by")
        unit = "rows"
        if page_by is not None:
            if not isinstance(page_by, str) or not PAGE_KEY_RX.search(page_by):
                raise QueryError(f"{path}: '#+ page_by:' must be a triple pattern whose first variable keys the pages")
            unit = PAGE_KEY_RX.search(page_by).group(1) + "s, every row of each"
        params["page"] = {"required": False, "type": "integer", "var": None,
                          "description": f"page K of {pagination} {unit} (1 = the first); without it, every row"}
    return SavedQuery(name=path.stem, path=path, text=text, summary=str(header["summary"]).strip(), params=params,
                      pagination=pagination, page_by=header.get("page_by") if pagination is not None else None,
                      page_order=str(header["page_order"]) if pagination is not None and header.get("page_order") else None)


_LOADED: dict[Path, tuple[tuple, dict[str, SavedQuery]]] = {}  # folder -> (its files' stamps, the queries)


def saved_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    """The saved queries of a folder (queries/ by default), parsed once and again only when a file changes:
    the server looks one up on every request."""
    folder = folder or queries_dir()
    files = sorted(folder.glob("*.rq"))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _LOADED.get(folder)
    if cached is None or cached[0] != stamp:
        cached = _LOADED[folder] = (stamp, {p.stem: load_query(p) for p in files})
    return dict(cached[1])


def get_query(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def _term(store: GraphStore, q: SavedQuery, name: str, value: str) -> ox.NamedNode | ox.Literal:
    spec = q.params[name]
    kind = spec.get("type", "string")
    if kind in ("iri", "actor"):
        for prefix, ns in PREFIXES.items():
            if value.startswith(prefix + ":") and "://" not in value:
                value = str(ns) + value[len(prefix) + 1:]
                break
        if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value):
            try:
                return ox.NamedNode(value)
            except ValueError as exc:  # '>', '"', spaces, ...: not an IRI Oxigraph accepts
                raise QueryError(f"--param {name}={value!r}: not a valid IRI ({exc})") from None
        if kind == "actor" or name.endswith("actor"):
            found = resolve_actor(store, value)
            if found is None:
                raise QueryError(f"--param {name}={value!r}: no actor with that IRI, label or ISO3 code in the graph")
            return found
        raise QueryError(f"--param {name}={value!r}: not an IRI")
    if kind == "number":
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise QueryError(f"--param {name}={value!r}: not a number")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" +
                                                       ("decimal" if "." in value else "integer")))
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"--param {name}={value!r}: not an integer")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise QueryError(f"--param {name}={value!r}: not a date (YYYY-MM-DD)")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    if kind == "plover":
        value = value.upper()
    return ox.Literal(value)


ACTOR_LOOKUP = """
SELECT ?actor WHERE {
  ?actor a ?type .
  { ?actor dip:iso3 ?key } UNION { ?actor rdfs:label ?key } UNION { ?actor skos:altLabel ?key }
  FILTER (LCASE(STR(?key)) = LCASE(STR(?needle)))
} LIMIT 1
"""


EXACT_LOOKUPS = [("dip:iso3", "upper"), ("rdfs:label", "needle"), ("skos:altLabel", "needle")]


def resolve_actor(store: GraphStore, needle: str) -> ox.NamedNode | None:
    """An actor IRI from a label or ISO3 code, so analysts can write --param actor=Egypt.

    The key as written (an ISO3 code in any case) is an index look-up; only a label in other letter case
    falls back to comparing every actor's keys, which on a large store on disk costs seconds."""
    values = {"needle": ox.Literal(needle), "upper": ox.Literal(needle.upper())}
    for prop, var in EXACT_LOOKUPS:
        for row in store.query(f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                               f"SELECT ?actor WHERE {{ ?actor {prop} ?{var} . ?actor a ?type }} LIMIT 1",
                               {var: values[var]}):
            return row["actor"]
    for row in store.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + ACTOR_LOOKUP,
                           {"needle": ox.Literal(needle)}):
        return row["actor"]
    return None


def solutions(store: GraphStore, q: SavedQuery, params: dict[str, str]) -> ox.QuerySolutions:
    """The query's solutions with its parameters bound, as Oxigraph streams them (a caller can stop early)."""
    unknown = sorted(set(params) - set(q.params))
    if unknown:
        raise QueryError(f"query {q.name!r} has no parameter {', '.join(unknown)}; "
                         f"parameters: {', '.join(q.params) or 'none'}")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    text = q.text
    page = None
    if q.pagination is not None and params.get("page") is not None:
        # LIMIT and OFFSET take no variables, so the page is the one number written into the text: an int
        # checked here, never the client's string (grlc pages the same way)
        if not re.fullmatch(r"[1-9]\d{0,8}", str(params["page"])):
            raise QueryError(f"--param page={params['page']!r}: not a page number (1, 2, ...)")
        page = f"LIMIT {q.pagination} OFFSET {(int(params['page']) - 1) * q.pagination}"
        if q.page_by is None:
            text += f"\n{page}\n"
    for name, spec in q.params.items():
        if spec.get("var") is None:
            continue
        value = params.get(name, spec.get("default"))
        if value is None:
            if spec["required"]:
                raise QueryError(f"query {q.name!r} needs --param {name}=VALUE ({spec.get('description') or 'required'})")
            continue
        bindings[spec["var"]] = _term(store, q, name, str(value))
    try:
        if page is not None and q.page_by is not None:
            key, keys = _page_keys(store, q, page, bindings)
            names = sorted(bindings) + [key]
            return store.query(inject_block(text, rows_block(names, [{**bindings, key: k} for k in keys])))
        return store.query(text, bindings)
    except SyntaxError as exc:
        raise QueryError(f"{q.path}: SPARQL syntax error: {exc}") from None


def _page_keys(store: GraphStore, q: SavedQuery, page: str, bindings: dict) -> tuple[str, list]:
    """The page's keys (`page_by`'s first variable), found by an unordered index scan of the pattern alone.

    Ordering or joining a whole large store to cut a page of rows costs seconds on disk; a page of keys
    costs milliseconds, and the query then runs for those keys only, every row of each (a key's rows are
    never split over two pages). Pages follow `page_order` (a timeline's dates), else the store's index
    order; ties keep the index order, which is stable while the store is unchanged.
    """
    key = PAGE_KEY_RX.search(q.page_by).group(1)
    select = re.search(r"^\s*SELECT\b", q.text, re.M | re.I)
    prologue = q.text[:select.start()] if select else ""  # the PREFIXes the pattern may use
    used = {name: term for name, term in bindings.items() if re.search(rf"\?{name}(?!\w)", q.page_by)}
    order = f"ORDER BY {q.page_order} " if q.page_order else ""
    found = store.query(f"{prologue}SELECT DISTINCT ?{key} WHERE {{ {q.page_by} }} {order}{page}", used)
    return key, [row[key] for row in found]


def run_query(store: GraphStore, q: SavedQuery, params: dict[str, str]) -> tuple[list[str], list[dict]]:
    """The query's variables and all its rows (terms by variable; unbound ones left out)."""
    found = solutions(store, q, params)
    variables = [v.value for v in found.variables]
    return variables, [{v: sol[v] for v in variables if sol[v] is not None} for sol in found]


# ---------------------------------------------------------------------- output formats
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(variables: list[str], rows: list[dict]) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    return json.dumps({"head": {"vars": variables},
                       "results": {"bindings": [{k: _json_term(v) for k, v in r.items()} for r in rows]}}, indent=1)


def _plain(term) -> str:
    if term is None:
        return ""
    value = term.value
    for prefix, ns in PREFIXES.items():
        if isinstance(term, ox.NamedNode) and value.startswith(str(ns)):
            return f"{prefix}:{value[len(str(ns)):]}"
    return value


CONTROL_RX = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """Control characters (terminal escapes, bidi overrides) as visible \\xNN / \\uNNNN: article text
    must not drive the analyst's terminal. Newlines and tabs stay (CSV quotes them)."""
    return CONTROL_RX.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                          text)


def to_csv(variables: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(variables)
    for r in rows:
        w.writerow([escape_controls(r[v].value) if v in r else "" for v in variables])
    return buf.getvalue()


def to_table(variables: list[str], rows: list[dict], width: int = 48) -> str:
    cells = [[escape_controls(_plain(r.get(v)).replace("\n", " ").replace("\t", " ")) for v in variables] for r in rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(variables)]
    line = lambda vals: " | ".join(val.ljust(w) for val, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


FORMATTERS = {"table": to_table, "csv": to_csv, "json": to_json}
