"""The events table: one row per event and source/target pair, POLECAT/GDELT-like columns, CSV and Parquet."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from kg.cli.app import main
from kg.serving.events_table import COLUMN_NAMES, event_rows, locate

PAIRS = """
SELECT ?event (COUNT(DISTINCT ?s) AS ?ns) (COUNT(DISTINCT ?t) AS ?nt) WHERE {
  ?event dip:ploverType ?p ; dip:article ?a . OPTIONAL { ?event dip:sourceActor ?s } OPTIONAL { ?event dip:targetActor ?t }
} GROUP BY ?event
"""


@pytest.fixture(scope="module")
def rows(seeds_store):
    return event_rows(seeds_store)


def test_one_row_per_event_and_pair(seeds_store, rows):
    expected = sum(max(1, int(r["ns"].value)) * max(1, int(r["nt"].value)) for r in seeds_store.query(PAIRS))
    assert len(rows) == expected
    assert len({(r["event_id"], r["source_iri"], r["target_iri"]) for r in rows}) == len(rows)


def test_codes_places_and_sentences(rows):
    meeting = next(r for r in rows if r["source_label"] == "Egyptian delegation" and r["target_label"] == "Hamas officials")
    assert (meeting["source_code"], meeting["target_country"], meeting["plover_type"], meeting["plover_mode"],
            meeting["cameo_code"], meeting["factuality"]) == ("EGYGOV", "PSE", "CONSULT", "meet", "040", "asserted")
    assert meeting["place_name"] == "Gaza" and meeting["place_country"] == "PSE"
    assert abs(meeting["latitude"] - 31.5) < 0.1 and abs(meeting["longitude"] - 34.47) < 0.1
    assert "met with Hamas officials in Gaza" in meeting["sentence"]
    assert meeting["event_iri"].endswith(meeting["event_id"])
    assert all(r["article_name"].endswith(".txt") and r["sentence"] for r in rows)
    assert {r["plover_type"] for r in rows} >= {"CONSULT", "ASSAULT", "SUPPORT"}


def test_gazetteer_lookup():
    assert locate("Cairo")["place_country"] == "EGY"
    assert locate("Jordan", "JOR")["place_country"] == "JOR"  # a country: at its capital
    assert abs(locate("Jordan", "JOR")["latitude"] - 31.95) < 0.1
    assert locate("Nowhere-upon-Nothing") == {}


def test_cli_writes_csv_and_parquet(seeds_ttl, tmp_path, capsys, rows):
    out = tmp_path / "events.csv"
    assert main(["export", "--graph", str(seeds_ttl), "--events", str(out)]) == 0
    assert f"{len(rows)} event rows" in capsys.readouterr().out
    with out.open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == COLUMN_NAMES and len(table) == len(rows)
    assert [r["event_id"] for r in table] == [r["event_id"] for r in rows]  # stable ids and order
    pq = tmp_path / "events.parquet"
    assert main(["export", "--graph", str(seeds_ttl), "--events", str(pq)]) == 0
    frame = pd.read_parquet(pq)
    assert list(frame.columns) == COLUMN_NAMES and frame.latitude.dtype == float
    assert main(["export", "--graph", str(seeds_ttl), "--events", str(tmp_path / "e.xlsx")]) == 2
    assert "csv, .tsv or .parquet" in capsys.readouterr().err


def test_an_event_with_several_evidence_sentences_is_one_row_per_pair(seeds_store, rows):
    merged = [(r["e"].value, int(r["n"].value)) for r in seeds_store.query(
        "SELECT ?e (COUNT(?s) AS ?n) WHERE { ?e dip:evidence ?s } GROUP BY ?e HAVING (COUNT(?s) > 1)")]
    if not merged:
        pytest.skip("no merged event in the seeds with this extractor")
    for iri, n in merged:
        mine = [r for r in rows if r["event_iri"] == iri]
        assert mine and all(r["sentence"].count(" | ") == n - 1 for r in mine)
