"""The happenings table: one row per happening and source/target pair, the unit an analyst counts.

Where the events table has a row per report (so counts grow with the number of outlets that covered a story),
this one has a row per real-world event, with how many articles and outlets report it and which events they are.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..namespace import DIP
from ..store.graph_store import GraphStore
from .events_table import _actor_columns, _empty, _local, _place, _v, actor_index, write_table

COLUMNS: list[tuple[str, str]] = [
    ("happening_id", "stable happening id: the hash that ends its IRI"),
    ("happening_iri", "the happening's IRI in the graph"),
    ("plover_type", "PLOVER event type its reports agree on"),
    ("date", "the date its reports state (YYYY-MM-DD, YYYY-MM or YYYY), else its first report's publication date"),
    ("first_reported", "publication date of its first dated report"),
    ("last_reported", "publication date of its last dated report"),
    ("n_reports", "how many articles report it"),
    ("n_outlets", "how many distinct outlets report it (an article of no known outlet counts as one)"),
    ("confidence", "the chance that at least one of its independent outlets reports it rightly, 0-1"),
    ("source_label", "source actor's label"),
    ("source_country", "source actor's country (ISO3)"),
    ("source_sector", "source actor's sector code"),
    ("source_code", "source combined code, country + sector"),
    ("source_iri", "source actor's IRI"),
    ("target_label", "target actor's label"),
    ("target_country", "target actor's country (ISO3)"),
    ("target_sector", "target actor's sector code"),
    ("target_code", "target combined code"),
    ("target_iri", "target actor's IRI"),
    ("place_name", "where it happened"),
    ("place_country", "the place's country (ISO3)"),
    ("latitude", "the place's latitude (GeoNames)"),
    ("longitude", "the place's longitude"),
    ("geonames_id", "the GeoNames id the coordinates come from"),
    ("outlets", "the outlets that report it, ';'-separated"),
    ("event_ids", "the article-level events that report it (events table's event_id), ';'-separated"),
]
COLUMN_NAMES = [c for c, _ in COLUMNS]

HAPPENINGS = """
SELECT ?happening ?plover ?date ?first ?last ?reports ?outlets ?confidence ?place WHERE {
  ?happening a dip:Happening ; dip:ploverType ?plover ; dip:reportCount ?reports ; dip:outletCount ?outlets ;
             dip:confidence ?confidence .
  OPTIONAL { ?happening dip:date ?date }
  OPTIONAL { ?happening dip:firstReported ?first }
  OPTIONAL { ?happening dip:lastReported ?last }
  OPTIONAL { ?happening dip:place ?place }
}"""
PARTS = """
SELECT ?happening ?property ?value WHERE {
  VALUES ?property { dip:sourceActor dip:targetActor dip:reportedBy }
  ?happening a dip:Happening ; ?property ?value .
}"""
OUTLETS = """
SELECT DISTINCT ?happening ?outlet WHERE {
  ?happening a dip:Happening ; dip:reportedBy/dip:article/dcterms:publisher/rdfs:label ?outlet
}"""


def happening_rows(store: GraphStore) -> list[dict[str, object]]:
    """The table's rows, by date, happening, source and target."""
    actors = actor_index(store)
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in store.query(PARTS):
        parts[r["happening"].value][_local(r["property"].value)].append(r["value"].value)
    outlets: dict[str, set[str]] = defaultdict(set)
    for r in store.query(OUTLETS):
        outlets[r["happening"].value].add(r["outlet"].value)
    rows: list[dict[str, object]] = []
    for r in store.query(HAPPENINGS):
        iri = r["happening"].value
        base: dict[str, object] = {
            "happening_id": _local(iri), "happening_iri": iri, "plover_type": _v(r, "plover"), "date": _v(r, "date"),
            "first_reported": _v(r, "first"), "last_reported": _v(r, "last"), "n_reports": int(_v(r, "reports")),
            "n_outlets": int(_v(r, "outlets")), "confidence": float(_v(r, "confidence")),
            "outlets": ";".join(sorted(outlets[iri])),
            "event_ids": ";".join(sorted(_local(e) for e in parts[iri][_local(str(DIP.reportedBy))])),
        }
        base.update(_place(store, r["place"], actors) if r["place"] is not None else {})
        for source in sorted(parts[iri]["sourceActor"]) or [None]:
            for target in sorted(parts[iri]["targetActor"]) or [None]:
                row = _empty(COLUMN_NAMES) | base
                row.update(_actor_columns("source", source, actors))
                row.update(_actor_columns("target", target, actors))
                rows.append(row)
    rows.sort(key=lambda x: (str(x["date"]), x["happening_id"], x["source_iri"], x["target_iri"]))
    return rows


def write_happenings(store: GraphStore, path: Path) -> int:
    """Write the happenings table as CSV, TSV or Parquet; returns the row count."""
    return write_table(happening_rows(store), COLUMN_NAMES, path, "happenings")
