"""A happening as quads of the happenings graph: every triple has the happening as its subject, so replacing a
happening is dropping its subject's triples and writing the new ones."""
from __future__ import annotations

import pyoxigraph as ox

from ..namespace import DIP, RDF, RDFS, SEM, XSD
from ..store.quads import HAPPENINGS_GRAPH
from .clustering import Happening

DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _lit(value: str, datatype=None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(datatype)) if datatype is not None else ox.Literal(value)


def happening_quads(h: Happening) -> list[ox.Quad]:
    s, g = _n(h.iri), HAPPENINGS_GRAPH
    out = [ox.Quad(s, _n(RDF.type), _n(DIP.Happening), g),
           ox.Quad(s, _n(RDFS.label), _lit(h.label), g),
           ox.Quad(s, _n(DIP.ploverType), _lit(h.plover), g),
           ox.Quad(s, _n(DIP.reportCount), _lit(str(h.report_count), XSD.integer), g),
           ox.Quad(s, _n(DIP.outletCount), _lit(str(h.outlet_count), XSD.integer), g),
           ox.Quad(s, _n(DIP.confidence), _lit(f"{h.confidence:.4f}".rstrip("0").rstrip(".") or "0", XSD.decimal), g)]
    out.append(ox.Quad(s, _n(DIP.matchingBlock), _lit(h.block), g))
    out += [ox.Quad(s, _n(DIP.matchingPeriod), _lit(p), g) for p in h.periods]
    out += [ox.Quad(s, _n(DIP.reportedBy), _n(r.event), g) for r in h.reports]
    out += [ox.Quad(s, _n(DIP.sourceActor), _n(a), g) for a in h.sources]
    out += [ox.Quad(s, _n(DIP.targetActor), _n(a), g) for a in h.targets]
    if h.place:
        out.append(ox.Quad(s, _n(DIP.place), _n(h.place), g))
    if h.date and "/" in h.date:  # dated by a week, as its reports are
        first, last = h.date.split("/", 1)
        out.append(ox.Quad(s, _n(SEM.hasEarliestBeginTimeStamp), _lit(first, XSD.date), g))
        out.append(ox.Quad(s, _n(SEM.hasLatestEndTimeStamp), _lit(last, XSD.date), g))
    elif h.date and len(h.date) in DATE_TYPES:
        out.append(ox.Quad(s, _n(DIP.date), _lit(h.date, DATE_TYPES[len(h.date)]), g))
    if h.first_reported:
        out.append(ox.Quad(s, _n(DIP.firstReported), _lit(h.first_reported.isoformat(), XSD.date), g))
    if h.last_reported:
        out.append(ox.Quad(s, _n(DIP.lastReported), _lit(h.last_reported.isoformat(), XSD.date), g))
    return out
