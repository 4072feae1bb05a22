"""Why a happening holds its reports: each report, its outlet and sentence, and what it shares with the first."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespace import RES
from ..store.graph_store import GraphStore
from .clustering import _order
from .matching import Matcher
from .reports import read_reports

MEMBERS = "SELECT ?event ?label WHERE { ?happening a dip:Happening ; rdfs:label ?label ; dip:reportedBy ?event }"
REPORT_TEXT = """
SELECT ?event ?sentence ?begin ?outletLabel ?fileName WHERE {
  VALUES ?event { %s }
  ?event dip:evidence ?s ; dip:article ?article .
  ?s nif:anchorOf ?sentence ; nif:beginIndex ?begin .
  ?article dip:fileName ?fileName .
  OPTIONAL { ?article dcterms:publisher/rdfs:label ?outletLabel }
} ORDER BY ?event ?begin"""


@dataclass
class ReportWhy:
    event: str
    file: str
    outlet: str | None
    published: str | None
    plover: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    date: str | None
    sentence: str
    matched: list[str] = field(default_factory=list)  # empty for the first report, which the others match


@dataclass
class HappeningWhy:
    happening: str
    label: str
    reports: list[ReportWhy]


def happening_iri(needle: str) -> str:
    """A happening's IRI from what a user types: the IRI, 'happening/ID' or the bare ID."""
    if needle.startswith(("http://", "https://")):
        return needle
    return f"{RES}happening/{needle.removeprefix('happening/')}"


def explain(store: GraphStore, needle: str) -> HappeningWhy | None:
    """The reports of one happening and what matched, or None when the store has no such happening."""
    iri = happening_iri(needle)
    rows = list(store.query(MEMBERS, {"happening": ox.NamedNode(iri)}))
    members = [row["event"].value for row in rows]
    if not members:
        return None
    label = rows[0]["label"].value
    reports, actors = read_reports(store, set(members))  # its reports only, and their actors
    m = Matcher(actors)
    found = sorted((reports[e] for e in members if e in reports), key=lambda r: _order(m, r))
    texts: dict[str, tuple[str, str | None, str]] = {}
    wanted = {r.event for r in found}
    for row in store.query(REPORT_TEXT % " ".join(str(ox.NamedNode(e)) for e in sorted(wanted))):  # IRIs as Oxigraph writes them
        e = row["event"].value
        if e in wanted and e not in texts:
            outlet = row["outletLabel"].value if row["outletLabel"] is not None else None
            texts[e] = (row["sentence"].value, outlet, row["fileName"].value)
    out = []
    for i, r in enumerate(found):
        sentence, outlet, file = texts.get(r.event, ("", None, ""))
        span = m.span(r)
        out.append(ReportWhy(event=r.event, file=file, outlet=outlet,
                             published=r.published.isoformat() if r.published else None, plover=r.plover,
                             sources=m.keys(r.sources), targets=m.keys(r.targets),
                             date=f"{span} ({'stated' if span.stated else 'by publication'})" if span else None,
                             sentence=sentence, matched=m.agreement(found[0], r) if i else []))
    return HappeningWhy(happening=iri, label=label, reports=out)
