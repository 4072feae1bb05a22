"""One query worker: a process that opens a read-only store and answers jobs until its pipe closes.

Queries run here rather than in the server so that one past its time limit can be stopped for real: the
server kills this process (a thread cannot be stopped), and the CPU is free at once. The answer is rendered
here too (rows counted and sized as they stream out of Oxigraph, never all built first), and it goes back as
(status, media type, body bytes).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from ..namespace import DCTERMS, DIP, NIF, PREFIXES
from ..store.graph_store import GraphStore
from .queries import QueryError, get_query, solutions
from .results import GRAPH_TYPES, RESULT_MEDIA, RESULT_TYPES, negotiate, render_ask, render_select

Reply = tuple[int, str, bytes]  # HTTP status, media type, body
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


@dataclass(frozen=True)
class Job:
    """What a worker is asked: a SPARQL protocol query, a saved query, or an article's text."""

    kind: str  # "sparql" | "saved" | "article"
    rows: int  # row limit
    bytes: int  # answer size limit
    store: str = ""  # the read-only store folder to answer from (set by the pool when a worker takes the job)
    text: str = ""  # sparql: the query; saved: the query's name; article: the article's IRI
    params: tuple[tuple[str, str], ...] = ()  # saved: its parameters
    accept: str = ""  # the media type asked for (or a format name)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class LimitError(Exception):
    """An answer past its row or size limit; str() says which limit and how to stay under it."""


def take(found: ox.QuerySolutions, limit_rows: int, limit_bytes: int, what: str = "rows") -> tuple[list[str], list[dict]]:
    """Rows as they stream, stopped at the first one past the row or size limit."""
    variables = [v.value for v in found.variables]
    rows: list[dict] = []
    size = 0
    for sol in found:
        if len(rows) >= limit_rows:
            raise LimitError(f"query stopped: more than {limit_rows:,} {what} (the row limit); "
                             "add LIMIT/OFFSET to page through the results")
        row = {v: sol[v] for v in variables if sol[v] is not None}
        size += sum(len(t.value) + 16 for t in row.values())
        if size > limit_bytes:
            raise LimitError(f"query stopped: the answer passed {limit_bytes:,} bytes (the size limit); "
                             "select fewer or shorter values, or page with LIMIT/OFFSET")
        rows.append(row)
    return variables, rows


def _error(kind: str, status: int, message: str) -> Reply:
    if kind == "sparql":
        return status, TEXT, (message + "\n").encode()
    return status, JSON, json.dumps({"error": message}).encode()


def answer_sparql(store: GraphStore, job: Job) -> Reply:
    kwargs: dict = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.ox.query(job.text, **kwargs)
    except SyntaxError as exc:
        return _error("sparql", 400, "not a SPARQL query (this endpoint is read-only: no updates): "
                      + str(exc).splitlines()[0])
    accept = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values",
              "xml": "application/xml"}.get(job.accept, job.accept)
    if isinstance(result, ox.QuerySolutions):
        fmt = negotiate(accept, RESULT_TYPES, "json")
        variables, rows = take(result, job.rows, job.bytes)
        return 200, RESULT_MEDIA[fmt], render_select(fmt, variables, rows).encode()
    if isinstance(result, ox.QueryBoolean):
        fmt = negotiate(accept, RESULT_TYPES, "json")
        return 200, RESULT_MEDIA[fmt], render_ask(fmt, bool(result)).encode()
    triples, size = [], 0
    for t in result:
        if len(triples) >= job.rows:
            raise LimitError(f"query stopped: more than {job.rows:,} triples (the row limit)")
        size += len(t.subject.value) + len(t.predicate.value) + len(t.object.value) + 8
        if size > job.bytes:
            raise LimitError(f"query stopped: the answer passed {job.bytes:,} bytes (the size limit)")
        triples.append(t)
    fmt = negotiate(accept, GRAPH_TYPES, ox.RdfFormat.TURTLE)
    body = ox.serialize(triples, format=fmt, **({"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
                                                if fmt == ox.RdfFormat.TURTLE else {}))
    return 200, fmt.media_type, body


def answer_saved(store: GraphStore, job: Job) -> Reply:
    fmt = job.accept if job.accept in ("json", "csv") else "json"
    variables, rows = take(solutions(store, get_query(job.text), dict(job.params)), job.rows, job.bytes)
    return 200, "text/csv; charset=utf-8" if fmt == "csv" else RESULT_MEDIA["json"], \
        render_select(fmt, variables, rows).encode()


def answer_article(store: GraphStore, job: Job) -> Reply:
    node = ox.NamedNode(job.text)
    out: dict[str, str] = {"iri": job.text}
    for key, prop in (("text", NIF.isString), ("name", DIP.fileName), ("title", DCTERMS.title)):
        for q in store.ox.quads_for_pattern(node, ox.NamedNode(str(prop)), None):
            out[key] = q.object.value
            break
    if "name" not in out:
        return _error("article", 404, f"no article {job.text}")
    return 200, JSON, json.dumps(out).encode()


ANSWERS = {"sparql": answer_sparql, "saved": answer_saved, "article": answer_article}


def answer(store: GraphStore, job: Job) -> Reply:
    """The reply to one job; a bad query or a limit is an error reply, never an exception."""
    try:
        return ANSWERS[job.kind](store, job)
    except LimitError as exc:
        return _error(job.kind, 400, str(exc))
    except QueryError as exc:
        return _error(job.kind, 404 if str(exc).startswith("unknown query") else 400, str(exc).replace("--param ", ""))
    except (OSError, ValueError) as exc:
        return _error(job.kind, 400, f"query failed: {str(exc).splitlines()[0]}")


def serve_jobs(conn: Connection) -> None:
    """The worker's loop (the target of its process): one job in, one reply out, until the pipe closes.
    The store of the newest job stays open; a job on a newer snapshot closes the older one."""
    store: GraphStore | None = None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or store.path != Path(job.store):
                if store is not None:
                    store.close()
                store = GraphStore(Path(job.store), read_only=True)
            reply = answer(store, job)
        except Exception as exc:  # noqa: BLE001 - one job's failure is its own 500, the worker goes on
            reply = _error(job.kind, 500, f"internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        conn.send(reply)
