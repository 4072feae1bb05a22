"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, the saved queries as a REST API, and a web page.

- /sparql       GET or POST (query=... or an application/sparql-query body); results as JSON, CSV, TSV or
                XML by content negotiation (graphs as Turtle, N-Triples, RDF/XML or JSON-LD); updates refused.
                Each query has a time limit and a row limit, and past them a clear error (503 / 400).
- /api/NAME     a saved query, parameters bound as in `kg query` (?actor=EGY); JSON or CSV (Accept or ?format=).
- /api/openapi.json   the API described in OpenAPI 3.
- /             the page: saved queries with forms, sortable result tables, evidence in its article,
                actors' timelines, a SPARQL editor. Assets are files of the package (kg/static), no CDN.

Built on Starlette (ASGI) and served by uvicorn; the graph is Oxigraph (pyoxigraph).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import parse_qs
from xml.sax.saxutils import escape, quoteattr

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..namespace import DCTERMS, DIP, NIF, PREFIXES
from ..resources import PACKAGE_DIR
from ..store.graph_store import GraphStore
from .queries import QueryError, _json_term, get_query, run_query, saved_queries

STATIC_DIR = PACKAGE_DIR / "static"

RESULT_TYPES = {  # SPARQL results: media type -> format name
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
}
RESULT_MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
                "tsv": "text/tab-separated-values; charset=utf-8", "xml": "application/sparql-results+xml"}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


@dataclass
class Limits:
    seconds: float = 30.0  # per query
    rows: int = 10_000  # per answer


class LimitError(Exception):
    """A query past its row limit."""


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------- results
def _negotiate(accept: str, choices: dict, default: str):
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


# ---------------------------------------------------------------------- the app
class Endpoint:
    """The graph, its limits, and the request handlers."""

    def __init__(self, store: GraphStore, limits: Limits | None = None):
        self.store = store
        self.limits = limits or Limits()
        self.limiter = anyio.CapacityLimiter(2)  # queries running at once (each holds a thread)

    async def _in_thread(self, fn, *args):
        """Run `fn` in a worker thread; past the time limit answer 503 (the thread finishes on its own)."""
        try:
            with anyio.fail_after(self.limits.seconds):
                return await anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True, limiter=self.limiter)
        except TimeoutError:
            raise Refused(503, f"query stopped: it ran longer than the time limit of {self.limits.seconds:g} s; "
                               "narrow it (LIMIT, more specific patterns)") from None
        except LimitError as exc:
            raise Refused(400, str(exc)) from None

    def _rows(self, solutions) -> tuple[list[str], list[dict]]:
        variables = [v.value for v in solutions.variables]
        rows = []
        for sol in solutions:
            if len(rows) >= self.limits.rows:
                raise LimitError(f"query stopped: more than {self.limits.rows:,} rows (the row limit); "
                                 "add LIMIT/OFFSET to page through the results")
            rows.append({v: sol[v] for v in variables if sol[v] is not None})
        return variables, rows

    def _sparql(self, text: str, default_graphs: list[str], named_graphs: list[str]):
        kwargs: dict = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            result = self.store.ox.query(text, **kwargs)
        except SyntaxError as exc:
            first = str(exc).splitlines()[0]
            raise Refused(400, f"not a SPARQL query (this endpoint is read-only: no updates): {first}") from None
        except (OSError, ValueError) as exc:
            raise Refused(400, f"query failed: {str(exc).splitlines()[0]}") from None
        if isinstance(result, ox.QuerySolutions):
            return ("select", *self._rows(result))
        if isinstance(result, ox.QueryBoolean):
            return ("ask", bool(result))
        triples = []
        for t in result:
            if len(triples) >= self.limits.rows:
                raise LimitError(f"query stopped: more than {self.limits.rows:,} triples (the row limit)")
            triples.append(t)
        return ("graph", triples)

    async def sparql(self, request: Request) -> Response:
        try:
            text, default_graphs, named_graphs = await self._protocol_request(request)
            result = await self._in_thread(self._sparql, text, default_graphs, named_graphs)
        except Refused as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=exc.status)
        accept = request.query_params.get("format") or request.headers.get("accept", "")
        accept = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                  "xml": "application/xml"}.get(accept, accept)
        if result[0] == "graph":
            fmt = _negotiate(accept, GRAPH_TYPES, ox.RdfFormat.TURTLE)
            body = ox.serialize(result[1], format=fmt, **({"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
                                                         if fmt == ox.RdfFormat.TURTLE else {}))
            return Response(body, media_type=fmt.media_type)
        fmt = _negotiate(accept, RESULT_TYPES, "json")
        body = render_select(fmt, result[1], result[2]) if result[0] == "select" else render_ask(fmt, result[1])
        return Response(body, media_type=RESULT_MEDIA[fmt])

    @staticmethod
    async def _protocol_request(request: Request) -> tuple[str, list[str], list[str]]:
        """The query and dataset of a SPARQL 1.1 Protocol request (GET, POST form or POST direct)."""
        params = request.query_params
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
            if ctype == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
                return text, params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
            if ctype == "application/x-www-form-urlencoded":
                form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
                if "query" not in form:
                    raise Refused(400, "no query: send query=... (form) or an application/sparql-query body")
                return form["query"][0], form.get("default-graph-uri", []), form.get("named-graph-uri", [])
            raise Refused(415, f"unsupported content type {ctype!r}: use application/x-www-form-urlencoded "
                               "or application/sparql-query")
        if "update" in params:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if "query" not in params:
            raise Refused(400, "no query: GET /sparql?query=... (the page for people is at /)")
        return params["query"], params.getlist("default-graph-uri"), params.getlist("named-graph-uri")

    # ------------------------------------------------------------------ REST API
    async def api_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        fmt = request.query_params.get("format") or _negotiate(request.headers.get("accept", ""),
                                                                {"text/csv": "csv", "application/json": "json",
                                                                 "application/sparql-results+json": "json"}, "json")
        params = {k: v for k, v in request.query_params.items() if k != "format" and v != ""}
        if fmt not in ("json", "csv"):
            return JSONResponse({"error": f"format {fmt!r}: use json or csv"}, status_code=400)

        def run():
            q = get_query(name)
            variables, rows = run_query(self.store, q, params)
            if len(rows) > self.limits.rows:
                raise LimitError(f"more than {self.limits.rows:,} rows (the row limit)")
            return variables, rows

        try:
            variables, rows = await self._in_thread(run)
        except QueryError as exc:
            status = 404 if str(exc).startswith("unknown query") else 400
            return JSONResponse({"error": str(exc).replace("--param ", "")}, status_code=status)
        except Refused as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        return Response(render_select(fmt, variables, rows),
                        media_type="text/csv; charset=utf-8" if fmt == "csv" else "application/sparql-results+json")

    async def api_queries(self, request: Request) -> Response:
        return JSONResponse([{"name": q.name, "summary": q.summary,
                              "params": [{"name": n, "required": s["required"], "type": s.get("type", "string"),
                                          "description": s.get("description", "")} for n, s in q.params.items()]}
                             for q in saved_queries().values()])

    async def api_article(self, request: Request) -> Response:
        """An article's text and metadata, for showing an evidence sentence in place."""
        iri = request.query_params.get("iri", "")
        if not iri.startswith(("http://", "https://")):
            return JSONResponse({"error": "give ?iri=ARTICLE_IRI"}, status_code=400)
        node = ox.NamedNode(iri)
        out: dict[str, str] = {"iri": iri}
        for key, prop in (("text", NIF.isString), ("name", DIP.fileName),
                          ("title", DCTERMS.title)):
            for q in self.store.ox.quads_for_pattern(node, ox.NamedNode(str(prop)), None):
                out[key] = q.object.value
                break
        if "name" not in out:
            return JSONResponse({"error": f"no article {iri}"}, status_code=404)
        return JSONResponse(out)

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


def openapi_document() -> dict:
    """OpenAPI 3 description of /api/NAME, one path per saved query (what grlc derives from the same headers)."""
    paths: dict = {}
    for q in saved_queries().values():
        parameters = [{"name": n, "in": "query", "required": s["required"],
                       "description": s.get("description") or n, "schema": {"type": "string"}}
                      for n, s in q.params.items()]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["json", "csv"]}})
        paths[f"/api/{q.name}"] = {"get": {
            "operationId": q.name, "summary": q.summary, "parameters": parameters,
            "responses": {
                "200": {"description": "SPARQL 1.1 query results",
                        "content": {"application/sparql-results+json": {"schema": {"type": "object"}},
                                    "text/csv": {"schema": {"type": "string"}}}},
                "400": {"description": "a bad parameter, or past the row or time limit"},
            }}}
    return {"openapi": "3.0.3",
            "info": {"title": "DiploKG saved queries", "version": __version__,
                     "description": "DiploKG's saved SPARQL queries; parameters are bound as RDF terms."},
            "paths": paths}


def create_app(store: GraphStore, limits: Limits | None = None) -> Starlette:
    ep = Endpoint(store, limits)
    routes = [
        Route("/", ep.page),
        Route("/sparql", ep.sparql, methods=["GET", "POST"]),
        Route("/api/openapi.json", ep.openapi),
        Route("/api/queries", ep.api_queries),
        Route("/api/article", ep.api_article),
        Route("/api/{name}", ep.api_query),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    return Starlette(routes=routes)


def serve(store: GraphStore, host: str = "127.0.0.1", port: int = 7879, limits: Limits | None = None) -> None:
    """Serve until interrupted (uvicorn)."""
    import uvicorn

    uvicorn.run(create_app(store, limits), host=host, port=port, log_level="warning")
