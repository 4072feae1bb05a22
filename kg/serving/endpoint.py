"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, the saved queries as a REST API, and a web page.

- /sparql       GET or POST (query=... or an application/sparql-query body); results as JSON, CSV, TSV or
                XML by content negotiation (graphs as Turtle, N-Triples, RDF/XML or JSON-LD); updates refused.
- /api/NAME     a saved query, parameters bound as in `kg query` (?actor=EGY); JSON or CSV (Accept or ?format=).
- /api/article?iri=...     an article's text and metadata (the page shows evidence sentences in it).
- /api/happening?iri=...   a happening's label, type, date, actors, place, counts and confidence, as one object.
- /api/openapi.json   the API described in OpenAPI 3.
- /             the page: saved queries with forms, sortable result tables, evidence in its article,
                actors' timelines, happenings with their reports side by side, a SPARQL editor. Assets are files
                of the package (kg/static), no CDN.

Queries run in worker processes (kg/serving/pool.py) with a time limit, a row limit and a size limit; the
server process only parses requests and moves bytes. Built on Starlette (ASGI) and served by uvicorn.
"""
from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..resources import PACKAGE_DIR
from ..store.graph_store import GraphStore
from .pool import Busy, Limits, Stopped, WorkerPool
from .queries import saved_queries
from .results import negotiate
from .snapshots import StoreFolders
from .worker import Job

STATIC_DIR = PACKAGE_DIR / "static"
HAPPENINGS = "https://w3id.org/diplokg/resource/happening/"
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]')  # what may not stand between < and > in SPARQL
# A happening's facts, one row per property value (and the value's label); /api/happening folds them into one object.
HAPPENING_FACTS = """SELECT ?key ?value ?label WHERE {
  <%s> a dip:Happening ; ?p ?value .
  VALUES (?p ?key) { (rdfs:label "label") (dip:ploverType "plover") (dip:date "date") (dip:reportCount "reports")
                     (dip:outletCount "outlets") (dip:confidence "confidence") (dip:firstReported "firstReported")
                     (dip:lastReported "lastReported") (dip:place "place") (dip:sourceActor "sources")
                     (dip:targetActor "targets") (sem:hasEarliestBeginTimeStamp "weekStart")
                     (sem:hasLatestEndTimeStamp "weekEnd") }
  OPTIONAL { ?value rdfs:label ?label }
} ORDER BY ?key ?value ?label"""


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Endpoint:
    """The request handlers over the worker pool and the served data's folders."""

    def __init__(self, folders: StoreFolders, limits: Limits):
        self.folders = folders
        self.limits = limits
        self.pool = WorkerPool(limits, current=lambda: str(folders.current))

    def job(self, kind: str, **fields) -> Job:
        return Job(kind=kind, rows=self.limits.rows, bytes=self.limits.bytes, **fields)

    async def _run(self, job: Job, saved: bool) -> Response:
        """The worker's reply as a response; a refusal before or a stop during the run as 503."""
        as_json = job.kind != "sparql"
        try:
            status, media, body = await self.pool.run(job, saved)
        except Busy as exc:
            return _refusal(503, str(exc), as_json, {"Retry-After": str(exc.retry_after)})
        except Stopped as exc:
            return _refusal(503, str(exc), as_json)
        finally:
            self.folders.retire(self.pool.stores_in_use)
        return Response(body, status_code=status, media_type=media)

    async def sparql(self, request: Request) -> Response:
        try:
            text, default_graphs, named_graphs = await self._protocol_request(request)
        except Refused as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=exc.status)
        accept = request.query_params.get("format") or request.headers.get("accept", "")
        return await self._run(self.job("sparql", text=text, accept=accept, default_graphs=tuple(default_graphs),
                                        named_graphs=tuple(named_graphs)), saved=False)

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
        fmt = request.query_params.get("format") or negotiate(request.headers.get("accept", ""),
                                                               {"text/csv": "csv", "application/json": "json",
                                                                "application/sparql-results+json": "json"}, "json")
        params = {k: v for k, v in request.query_params.items() if k != "format" and v != ""}
        if fmt not in ("json", "csv"):
            return JSONResponse({"error": f"format {fmt!r}: use json or csv"}, status_code=400)
        return await self._run(self.job("saved", text=name, params=tuple(sorted(params.items())), accept=fmt),
                               saved=True)

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
        return await self._run(self.job("article", text=iri), saved=True)

    async def api_happening(self, request: Request) -> Response:
        """One happening as an object, for the top of the page's happening view (its reports: /api/reports)."""
        iri = request.query_params.get("iri", "")
        if not iri.startswith(HAPPENINGS) or IRI_UNSAFE.search(iri):
            return JSONResponse({"error": f"give ?iri=HAPPENING_IRI (one starting {HAPPENINGS})"}, status_code=400)
        try:
            status, _, body = await self.pool.run(self.job("sparql", text=HAPPENING_FACTS % iri, accept="json"),
                                                  saved=True)
        except Busy as exc:
            return _refusal(503, str(exc), True, {"Retry-After": str(exc.retry_after)})
        except Stopped as exc:
            return _refusal(503, str(exc), True)
        finally:
            self.folders.retire(self.pool.stores_in_use)
        if status != 200:
            return JSONResponse({"error": body.decode("utf-8", "replace").strip()}, status_code=status)
        found = happening_object(iri, json.loads(body)["results"]["bindings"])
        if found is None:
            return JSONResponse({"error": f"no happening {iri}"}, status_code=404)
        return JSONResponse(found)

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


def happening_object(iri: str, bindings: list[dict]) -> dict | None:
    """The rows of HAPPENING_FACTS as one object: numbers as numbers, actors and place as {iri, label}."""
    if not bindings:
        return None
    out: dict = {"iri": iri, "label": None, "plover": None, "date": None, "reports": None, "outlets": None,
                 "confidence": None, "firstReported": None, "lastReported": None, "place": None,
                 "sources": [], "targets": []}
    for b in bindings:
        key, value = b["key"]["value"], b["value"]["value"]
        label = b.get("label", {}).get("value")
        if key in ("sources", "targets"):
            if all(a["iri"] != value for a in out[key]):
                out[key].append({"iri": value, "label": label})
        elif key == "place":
            out["place"] = out["place"] or {"iri": value, "label": label}
        elif key in ("weekStart", "weekEnd"):
            out[key] = value
        elif out[key] is None:
            out[key] = int(value) if key in ("reports", "outlets") else float(value) if key == "confidence" else value
    week = (out.pop("weekStart", None), out.pop("weekEnd", None))
    if out["date"] is None and None not in week:
        out["date"] = "/".join(week)  # dated by a week: the ISO 8601 interval, as the saved queries show it
    return out


def openapi_document() -> dict:
    """OpenAPI 3 description of /api/NAME, one path per saved query (what grlc derives from the same headers), and
    of the page's two lookups by IRI, /api/article and /api/happening."""
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
                "400": {"description": "a bad parameter, or past the row or size limit"},
                "503": {"description": "stopped at the time limit, or the server is busy (see Retry-After)"},
            }}}
    json_object = {"application/json": {"schema": {"type": "object"}}}
    for path, operation, summary, what in (
            ("/api/article", "article", "An article's text, file name and title (the page shows evidence in it).",
             "the article's IRI (res:article/ID)"),
            ("/api/happening", "happening", "A happening as one object: label, PLOVER type, date, source and target "
             "actors, place, numbers of reports and outlets, confidence (its reports: /api/reports).",
             "the happening's IRI (res:happening/ID)")):
        paths[path] = {"get": {
            "operationId": operation, "summary": summary,
            "parameters": [{"name": "iri", "in": "query", "required": True, "description": what,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the object", "content": json_object},
                          "400": {"description": "no IRI, or not one of this kind", "content": json_object},
                          "404": {"description": "no such " + operation + " in the graph", "content": json_object},
                          "503": {"description": "stopped at the time limit, or the server is busy "
                                                  "(see Retry-After)"}}}}
    return {"openapi": "3.0.3",
            "info": {"title": "DiploKG saved queries", "version": __version__,
                     "description": "DiploKG's saved SPARQL queries; parameters are bound as RDF terms."},
            "paths": paths}


def create_app(store: GraphStore | None = None, limits: Limits | None = None, *, live: Path | None = None) -> Starlette:
    """The app over a graph (copied once for the workers) or over a live store folder (builds seen as they
    commit). The workers start with the app and stop with it."""
    limits = limits or Limits()
    folders = StoreFolders(store=store, live=live, poll=limits.poll)
    ep = Endpoint(folders, limits)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        ep.pool.start()
        folders.watch()
        try:
            yield
        finally:
            ep.pool.close()
            folders.close()
    routes = [
        Route("/", ep.page),
        Route("/sparql", ep.sparql, methods=["GET", "POST"]),
        Route("/api/openapi.json", ep.openapi),
        Route("/api/queries", ep.api_queries),
        Route("/api/article", ep.api_article),
        Route("/api/happening", ep.api_happening),
        Route("/api/{name}", ep.api_query),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.endpoint = ep
    return app


def serve(app: Starlette, host: str = "127.0.0.1", port: int = 7879) -> None:
    """Serve until interrupted (uvicorn)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")


def _refusal(status: int, message: str, as_json: bool, headers: dict | None = None) -> Response:
    if as_json:
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)
