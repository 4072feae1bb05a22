"""Every saved query runs on the seeds graph and answers its question; parameters are bound, not pasted."""
from __future__ import annotations

import json

import pytest

from kg.serving.queries import QueryError, get_query, run_query, saved_queries, to_json

EVENT_VARS = ["event", "plover", "cameo", "eventType", "source", "sourceLabel", "sourceCountry", "target", "targetLabel",
              "targetCountry", "place", "placeLabel", "date", "factuality", "sentence", "docName", "happening"]
ACTOR_VARS = ["actor", "label", "actorType", "country", "position", "wikidata"]


def test_queries_have_headers_and_summaries():
    queries = saved_queries()
    assert {"events", "actors", "meetings", "mediations", "timeline", "statements", "evidence"} <= set(queries)
    for q in queries.values():
        assert q.summary and q.text.lstrip().startswith("#+ summary:")
        assert "{" not in q.summary


def test_events_variables_are_the_public_interface(seeds_store):
    variables, rows = run_query(seeds_store, get_query("events"), {})
    assert variables == EVENT_VARS
    assert len(rows) >= 30


def test_events_query_is_one_row_per_source_target_pair(seeds_store, run):
    """README promises one row per event and source/target pair: an event merged from several sentences is one
    row with its first sentence (the evidence query lists them all), as in the events table."""
    from kg.serving.events_table import event_rows

    rows = run("events")
    keys = [(r["event"], r.get("source"), r.get("target")) for r in rows]
    assert len(set(keys)) == len(keys) == len(event_rows(seeds_store))
    merged = [r["e"].value for r in seeds_store.query(
        "SELECT ?e WHERE { ?e dip:evidence ?s } GROUP BY ?e HAVING (COUNT(?s) > 1)")]
    assert merged, "the seeds have events stated in several sentences"
    for iri in merged:
        first = min(run("evidence", event=iri), key=lambda r: int(r["begin"]))
        assert {r["sentence"] for r in rows if r["event"] == iri} == {first["sentence"]}


def test_actors_query(seeds_store, run):
    variables, _ = run_query(seeds_store, get_query("actors"), {})
    assert variables == ACTOR_VARS
    rows = {r["label"]: r for r in run("actors")}
    assert rows["Egypt"]["country"] == "EGY" and rows["Egypt"]["wikidata"] == "Q79"
    assert rows["Sameh Shukry"]["position"] == "Foreign Minister" and rows["Sameh Shukry"]["country"] == "EGY"
    assert rows["Antony Blinken"]["country"] == "USA"
    assert rows["Antony Blinken"]["actorType"].endswith("#Person")
    assert rows["UN Security Council"]["actorType"].endswith("#IntergovernmentalOrganization")
    assert rows["Hamas"]["actorType"].endswith("#ArmedGroup")
    assert rows["Egyptian delegation"]["actorType"].endswith("#Delegation")


def test_meetings_who_met_whom(run):
    rows = run("meetings")
    pairs = {(r["sourceLabel"], r.get("targetLabel")) for r in rows}
    assert ("Egyptian delegation", "Hamas officials") in pairs
    assert ("Sameh Shukry", "Gabi Ashkenazi") in pairs
    asserted = run("meetings", factuality="asserted")
    assert asserted and all(r["factuality"] == "asserted" for r in asserted)
    # PLOVER: a meeting reported in the future tense is AGREE, so no meeting is future ('Blinken will head to Jordan')
    assert not run("meetings", factuality="future")
    assert any(r["factuality"] == "future" and r["eventType"].endswith("#Agree") and r.get("sourceLabel") == "Antony Blinken"
               for r in run("events"))


def test_timeline_of_an_actor_by_label_iso3_or_iri(run):
    by_label = run("timeline", actor="Egypt")
    by_iso = run("timeline", actor="EGY")
    by_iri = run("timeline", actor="res:country/EGY")
    assert by_label == by_iso == by_iri
    types = {r["eventType"].split("#")[1] for r in by_label}
    assert {"Recognition", "TreatySigning", "Mediation", "Condemnation"} <= types  # Shukry acts for Egypt
    dated = [r["date"] for r in by_label if "date" in r]
    assert dated == sorted(dated)


def test_statements_condemnations_and_support(run):
    rows = run("statements")
    assert {r["plover"] for r in rows} == {"ACCUSE", "SUPPORT"}
    assert run("statements", plover="accuse") and all(r["plover"] == "ACCUSE" for r in run("statements", plover="ACCUSE"))


def test_evidence_returns_the_sentence_behind_an_event(run):
    call = next(r for r in run("events") if r["eventType"].endswith("#PhoneCall"))
    rows = run("evidence", event=call["event"])
    assert len(rows) == 1
    ev = rows[0]
    assert "phone call" in ev["sentence"] and ev["docName"] == call["docName"]
    assert int(ev["end"]) - int(ev["begin"]) == len(ev["sentence"])
    # a text with a credit line and no page metadata: the credit stands in for the outlet's name
    assert ev["credit"] == ev["publisher"] == "TRTWorld and agencies" and ev["extractorVersion"]


def test_parameters_are_bound_not_pasted(seeds_store):
    hostile = 'Egypt" } UNION { ?s ?p ?o } #'
    with pytest.raises(QueryError, match="no actor"):
        run_query(seeds_store, get_query("timeline"), {"actor": hostile})
    rows = run_query(seeds_store, get_query("statements"), {"plover": 'ACCUSE" || true || "'})[1]
    assert rows == []


def test_bad_parameters_are_named(seeds_store):
    with pytest.raises(QueryError, match="needs --param actor"):
        run_query(seeds_store, get_query("timeline"), {})
    with pytest.raises(QueryError, match="has no parameter colour"):
        run_query(seeds_store, get_query("events"), {"colour": "red"})
    with pytest.raises(QueryError, match="unknown query"):
        get_query("nope")


def test_json_is_sparql_results_format(seeds_store):
    variables, rows = run_query(seeds_store, get_query("events"), {})
    doc = json.loads(to_json(variables, rows))
    assert doc["head"]["vars"] == EVENT_VARS
    first = doc["results"]["bindings"][0]
    assert first["event"]["type"] == "uri" and first["plover"]["type"] == "literal"


def test_a_paginated_query_gives_its_events_a_page_at_a_time(seeds_store, tmp_path):
    from kg.serving.queries import load_query

    events = get_query("events")
    assert events.pagination and events.page_by and "page" in events.params and not events.params["page"]["required"]
    text = events.text.replace(f"#+ pagination: {events.pagination}", "#+ pagination: 7")
    (tmp_path / "events7.rq").write_text(text, encoding="utf-8")
    q = load_query(tmp_path / "events7.rq")
    _, every = run_query(seeds_store, q, {})
    n_events = len({r["event"] for r in every})
    pages = [run_query(seeds_store, q, {"page": str(k)})[1] for k in range(1, n_events // 7 + 3)]
    per_page = [{r["event"] for r in p} for p in pages]
    assert all(len(e) == 7 for e in per_page[:n_events // 7]) and pages[-1] == []
    # every row exactly once, an event's rows never split over two pages, each page in the query's order
    key = lambda r: tuple(sorted((k, str(v)) for k, v in r.items()))  # noqa: E731
    assert sorted(map(key, (r for p in pages for r in p))) == sorted(map(key, every))
    assert sum(len(e) for e in per_page) == n_events
    for p in pages:
        assert p == [r for r in every if r["event"] in {x["event"] for x in p}]
    # a bound parameter narrows the pages' events as well as the rows
    consult = [r for k in (1, 2, 3) for r in run_query(seeds_store, q, {"page": str(k), "plover": "CONSULT"})[1]]
    assert consult and {r["plover"].value for r in consult} == {"CONSULT"}
    assert sorted(map(key, consult)) == sorted(map(key, run_query(seeds_store, q, {"plover": "CONSULT"})[1]))
    for bad in ("0", "-1", "2.5", "1 } UNION { ?s ?p ?o", "99999999999"):
        with pytest.raises(QueryError, match="not a page number"):
            run_query(seeds_store, q, {"page": bad})
    (tmp_path / "bad.rq").write_text(text.replace("#+ pagination: 7", "#+ pagination: many"), encoding="utf-8")
    with pytest.raises(QueryError, match="pagination"):
        load_query(tmp_path / "bad.rq")
    (tmp_path / "bad2.rq").write_text(text.replace('#+ page_by: "?event', '#+ page_by: "event'), encoding="utf-8")
    with pytest.raises(QueryError, match="page_by"):
        load_query(tmp_path / "bad2.rq")


def test_a_timeline_pages_in_date_order(seeds_store, tmp_path):
    from kg.serving.queries import load_query

    timeline = get_query("timeline")
    text = timeline.text.replace(f"#+ pagination: {timeline.pagination}", "#+ pagination: 1")  # an event a page
    (tmp_path / "timeline1.rq").write_text(text, encoding="utf-8")
    q = load_query(tmp_path / "timeline1.rq")
    _, every = run_query(seeds_store, q, {"actor": "ISR"})
    date = lambda r: str(r["date"].value) if "date" in r else ""  # noqa: E731
    pages = [run_query(seeds_store, q, {"actor": "ISR", "page": str(k)})[1] for k in range(1, len(every) + 2)]
    rows = [r for p in pages for r in p]
    assert len(rows) == len(every) and len({r["event"] for r in every}) > 6 and len({date(r) for r in every}) > 1
    assert [date(r) for r in rows] == sorted(date(r) for r in every)  # across pages, the dates keep their order
