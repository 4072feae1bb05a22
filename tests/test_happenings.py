"""Happenings: one node per real-world event across articles (kg/happenings), on the same-story sets.

The sets (tests/fixtures/stories) are several outlets' reports of the same events in the shapes real coverage
takes; stories.json says which events each set holds and which files report them. Builds use the real
pipeline and store; nothing is mocked.
"""
from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pytest

import kg
from kg.evaluation.stories import score_set
from kg.happenings import refresh_happenings
from kg.store.graph_store import GraphStore
from kg.store.graphs import graph_quads
from kg.store.quads import HAPPENINGS_GRAPH

STORIES = Path(__file__).parent / "fixtures" / "stories"
MANIFEST = json.loads((STORIES / "stories.json").read_text(encoding="utf-8"))
SETS = {s["name"]: s for s in MANIFEST["sets"]}
ALL_PAGES = sorted(STORIES.glob("*/*.html"))

pytestmark = pytest.mark.slow


def happenings_of(store: GraphStore) -> list[str]:
    """The happenings graph as sorted lines: equal lists are equal graphs (IRIs are deterministic)."""
    return sorted(str(q.triple) for q in graph_quads(store, HAPPENINGS_GRAPH))


def members(store: GraphStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in store.query("SELECT ?h ?name WHERE { ?h dip:reportedBy/dip:article/dip:fileName ?name }"):
        out.setdefault(r["h"].value, set()).add(r["name"].value)
    return out


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> list[str]:
    """The happenings of every set built in one go, in file order, into a store on disk."""
    folder = tmp_path_factory.mktemp("one-build") / "store"
    g = kg.build([str(p) for p in ALL_PAGES], store=folder)
    try:
        return happenings_of(g.store)
    finally:
        g.close()


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_happening_merges_two_key_events(name):
    """A wrong merge is a wrong count: two strikes days apart, talks in two cities, this month's meeting and
    next month's, a threat and the act it threatens stay apart."""
    score = score_set(STORIES / name, SETS[name])
    assert score.wrong_merges == []
    assert score.happenings > 0


def test_one_wire_story_rerun_by_four_sites_is_one_happening():
    score = score_set(STORIES / "mali_ambassador", SETS["mali_ambassador"])
    (expulsion,) = score.key_events
    assert expulsion.happenings == 1


def test_two_strikes_of_one_dyad_days_apart_are_two_happenings():
    score = score_set(STORIES / "two_strikes", SETS["two_strikes"])
    by_id = {k.id: k for k in score.key_events}
    assert by_id["strike_1"].happenings == 1 and by_id["strike_2"].happenings == 1
    assert by_id["strike_1"].linked >= 2 and by_id["strike_2"].linked == 2  # each strike's reports from two outlets


def test_a_meeting_reported_by_several_outlets_counts_its_outlets(tmp_path):
    g = kg.build([str(p) for p in sorted((STORIES / "visit_as_meeting").glob("*.html"))])
    table = g.happenings()
    visit = table[(table.plover_type == "CONSULT") & (table.n_reports == 2)]
    assert len(visit) >= 1
    row = visit.iloc[0]
    assert row.n_outlets == 2 and row.source_country == "USA" and row.target_country == "UKR"
    assert len(row.outlets.split(";")) == 2
    events = g.events()
    linked = events[events.happening_id == row.happening_id]
    assert set(linked.article_name) == {p.name for p in (STORIES / "visit_as_meeting").glob("*.html")}
    assert (linked.n_reports == 2).all()


def test_same_articles_in_any_order_or_in_parts_give_the_same_happenings(everything, tmp_path):
    pages = [str(p) for p in ALL_PAGES]
    random.Random(7).shuffle(pages)
    store = tmp_path / "store"
    for part in (pages[:9], pages[9:20], pages[20:]):  # three builds into one store, shuffled
        g = kg.build(part, store=store)
        g.close()
    with GraphStore(store, read_only=True) as s:
        assert happenings_of(s) == everything


def test_a_removed_article_updates_or_dissolves_its_happenings(everything, tmp_path):
    store = tmp_path / "store"
    g = kg.build([str(p) for p in ALL_PAGES], store=store)
    try:
        before = members(g.store)
        gone = "gulfpost_2022-02-01.html"
        g.remove(gone)
        after = members(g.store)
        assert all(gone not in files for files in after.values())
        for h, files in before.items():
            if files == {gone}:
                assert h not in after  # its only report went: the happening is dissolved
            elif gone in files:  # it lost a report: still there with the others, or reclustered with them
                assert any(files - {gone} <= other for other in after.values())
    finally:
        g.close()
    g = kg.build([str(STORIES / "mali_ambassador" / gone)], store=store)  # back again: as before
    try:
        assert happenings_of(g.store) == everything
    finally:
        g.close()


def test_a_changed_article_updates_its_happenings(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(STORIES / "visit_as_meeting", folder)
    store = tmp_path / "store"
    g = kg.build([str(folder)], store=store)
    g.close()
    page = folder / "courier_2023-02-20.html"
    html = page.read_text(encoding="utf-8")
    assert "Kyiv" in html
    page.write_text(html.replace("Kyiv", "Lviv"), encoding="utf-8")  # the place changes: the reports disagree now
    g = kg.build([str(folder)], store=store)
    try:
        changed = happenings_of(g.store)
    finally:
        g.close()
    fresh = kg.build([str(folder)])
    assert changed == happenings_of(fresh.store)


def test_a_build_stopped_before_its_happenings_is_mended_by_the_next(everything, tmp_path):
    """The articles are in, the happenings are not (as when a build is killed between the two transactions): the
    store says so, and the next build, with no article to build, redoes them."""
    from kg.pipeline.options import BuildOptions
    from kg.pipeline.runner import build

    store = tmp_path / "store"
    with GraphStore(store) as s:
        build(ALL_PAGES, s, BuildOptions(happenings=False), log=lambda _m: None)
    with GraphStore(store) as s:
        assert s.happenings_stale and happenings_of(s) == []
        summary = build(ALL_PAGES, s, BuildOptions(), log=lambda _m: None)
        assert summary.unchanged == len(ALL_PAGES) and not s.happenings_stale
        assert happenings_of(s) == everything
    with GraphStore(store) as s:
        assert not s.happenings_stale


def test_rules_changed_rebuild_everything(everything, tmp_path):
    store = tmp_path / "store"
    g = kg.build([str(p) for p in ALL_PAGES], store=store)
    try:
        done = refresh_happenings(g.store, everything=True)
        assert done.written == 0 and done.dissolved == 0  # nothing to change: the graph was already right
        assert happenings_of(g.store) == everything
    finally:
        g.close()


def test_a_graph_clustered_under_other_rules_is_redone_whole(everything, tmp_path):
    """The happenings graph carries the fingerprint of the rules it was clustered under (dip:matchingRules): a
    store from before an edit of kg/data/happenings.json redoes every block at its next build, not only the
    touched ones."""
    import pyoxigraph as ox

    from kg.happenings.refresh import MATCHING_RULES
    from kg.pipeline.options import BuildOptions
    from kg.pipeline.runner import build

    store = tmp_path / "store"
    g = kg.build([str(p) for p in ALL_PAGES], store=store)
    g.close()
    with GraphStore(store) as s:
        (rules,) = s.ox.quads_for_pattern(HAPPENINGS_GRAPH, MATCHING_RULES, None, HAPPENINGS_GRAPH)
        s.ox.remove(rules)
        s.ox.add(ox.Quad(HAPPENINGS_GRAPH, MATCHING_RULES, ox.Literal("other rules"), HAPPENINGS_GRAPH))
        total = refresh_happenings(s, everything=True).blocks
        s.ox.remove(next(s.ox.quads_for_pattern(HAPPENINGS_GRAPH, MATCHING_RULES, None, HAPPENINGS_GRAPH)))
        s.ox.add(ox.Quad(HAPPENINGS_GRAPH, MATCHING_RULES, ox.Literal("other rules"), HAPPENINGS_GRAPH))
        summary = build(ALL_PAGES, s, BuildOptions(), log=lambda _m: None)  # no article changed
        assert summary.unchanged == len(ALL_PAGES)
        assert summary.happenings.blocks == total  # every block redone
        assert happenings_of(s) == everything  # with the current rules' fingerprint again


def test_an_incremental_refresh_reads_only_the_reports_near_the_new_ones(everything, tmp_path):
    """One more article reads the reports of its blocks whose days meet its own (found by dip:matchingPeriod),
    not the store's, and gives what a build of everything gives."""
    store = tmp_path / "store"
    late = STORIES / "mali_ambassador" / "gulfpost_2022-02-01.html"
    g = kg.build([str(p) for p in ALL_PAGES if p != late], store=store)
    g.close()
    g = kg.build([str(late)], store=store)
    try:
        done = g.summary.happenings
        reports = len(list(g.store.query("SELECT ?e WHERE { ?e dip:article ?a ; dip:ploverType ?p }")))
        assert 0 < done.reports < reports / 4
        assert happenings_of(g.store) == everything
    finally:
        g.close()


def test_why_lists_the_reports_and_what_matched(tmp_path):
    g = kg.build([str(p) for p in sorted((STORIES / "two_strikes").glob("*.html"))])
    rows = members(g.store)
    merged = next(h for h, files in rows.items() if len(files) >= 2)
    why = g.why(merged)
    assert why is not None and {r.file for r in why.reports} == rows[merged]
    assert why.reports[0].matched == [] and all(r.matched for r in why.reports[1:])
    assert all(r.sentence for r in why.reports)
    assert any("same source" in m or "same actors" in m for r in why.reports[1:] for m in r.matched)
    assert g.why("happening/0000000000000000") is None


def test_kg_why_on_the_command_line(tmp_path):
    import subprocess

    store = tmp_path / "store"
    kg.build([str(p) for p in sorted((STORIES / "two_strikes").glob("*.html"))], store=store).close()
    with GraphStore(store, read_only=True) as s:
        merged = next(h for h, files in members(s).items() if len(files) >= 2)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "why", merged.rsplit("/", 1)[-1], "--store", str(store)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "2 reports" in done.stdout or "3 reports" in done.stdout or "reports" in done.stdout.splitlines()[1]
    assert done.stdout.count("\n1. ") + done.stdout.startswith("1. ") <= 1 and "\n2. " in done.stdout
    missing = subprocess.run([sys.executable, "-m", "kg.cli", "why", "nope", "--store", str(store)],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no such happening" in missing.stdout


def test_the_happenings_query_and_its_parameters(tmp_path):
    from kg.serving.queries import QueryError, get_query, run_query

    g = kg.build([str(p) for p in ALL_PAGES])
    q = get_query("happenings")
    _, rows = run_query(g.store, q, {})
    assert rows and {str(r["plover"].value) for r in rows} >= {"CONSULT", "ASSAULT"}
    _, assaults = run_query(g.store, q, {"plover": "assault"})
    assert assaults and all(r["plover"].value == "ASSAULT" for r in assaults)
    _, mali = run_query(g.store, q, {"actor": "MLI"})
    assert mali and all("MLI" in (getattr(r.get("sourceCountry"), "value", ""), getattr(r.get("targetCountry"), "value", ""))
                        for r in mali)
    _, in_2022 = run_query(g.store, q, {"from": "2022-01-01", "to": "2022-12-31"})
    assert in_2022 and all("2022" <= r["date"].value[:4] <= "2022" for r in in_2022)
    assert len(in_2022) < len(rows)
    with pytest.raises(QueryError):
        run_query(g.store, q, {"from": "31/01/2022"})


WEEKS = {
    "friday.txt": "Published 21 January 2022\n\nUS Secretary of State Antony Blinken met Russian Foreign Minister "
                  "Sergei Lavrov in Geneva on Friday.\n",
    "follow_up.txt": "Published 26 January 2022\n\nUS Secretary of State Antony Blinken met Russian Foreign Minister "
                     "Sergei Lavrov in Geneva last week.\n",
    "this_week.txt": "Published 26 January 2022\n\nUS Secretary of State Antony Blinken met Russian Foreign Minister "
                     "Sergei Lavrov in Geneva earlier this week.\n",
}


def test_a_follow_up_dated_last_week_joins_the_meeting_it_refers_to(tmp_path):
    """'met ... last week' in an article of Wednesday 26 January is dated by the week of 17 to 23 January (no
    made-up day), so it joins Friday 21's meeting; 'earlier this week' is another week, so another meeting."""
    from kg.graph.validate import validate_graph

    for name, text in WEEKS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    g = kg.build([str(tmp_path / name) for name in WEEKS])
    assert validate_graph(g.store.to_rdflib()).conforms
    dates = {r["docName"]: r["date"] for r in g.query("events").to_dict("records") if r["plover"] == "CONSULT"}
    assert dates == {"friday.txt": "2022-01-21", "follow_up.txt": "2022-01-17/2022-01-23",
                     "this_week.txt": "2022-01-24/2022-01-30"}
    groups = sorted(sorted(files) for files in members(g.store).values())
    assert groups == [["follow_up.txt", "friday.txt"], ["this_week.txt"]]
    weeks = set(g.query("happenings")["date"])
    assert weeks == {"2022-01-21", "2022-01-24/2022-01-30"}  # a happening takes its reports' day, else their week
    # the page's happening view (GET /api/happening) shows the week too
    import pyoxigraph as ox

    from kg.serving.endpoint import HAPPENING_FACTS, happening_object
    (this_week,) = [r["happening"] for r in g.query("happenings").to_dict("records") if "/" in r["date"]]
    body = g.store.query(HAPPENING_FACTS % this_week).serialize(format=ox.QueryResultsFormat.JSON)
    assert happening_object(this_week, json.loads(body)["results"]["bindings"])["date"] == "2022-01-24/2022-01-30"


def test_the_happenings_graph_conforms_to_the_shapes():
    from kg.graph.validate import validate_graph

    g = kg.build([str(p) for p in sorted((STORIES / "mali_ambassador").glob("*.html"))])
    report = validate_graph(g.store.to_rdflib())
    assert report.conforms, report.text if hasattr(report, "text") else report
    n = len(list(g.store.query("SELECT ?h WHERE { ?h a dip:Happening }")))
    assert n > 0


# ---------------------------------------------------------------- actor identity across articles
DESCRIBED = {
    "a.txt": "Mali's Foreign Ministry condemned France on Monday over the remarks.",
    "b.txt": "The Foreign Ministry of Ghana praised Togo for the peaceful election.",
    "c.txt": "The Foreign Ministry said it rejected the proposal by Spain. Insurgents attacked a police post in the north.",
    "d.txt": "The Supreme Court of Kenya rejected the appeal by the opposition. Insurgents attacked an army base.",
    "e.txt": "The Supreme Court criticised Pakistan's government over the delay.",
}


def test_a_described_body_is_its_countrys_or_its_articles_never_every_articles():
    """'the Foreign Ministry' of no named country must not become one node that represents several countries (the
    whole-graph check would fail); named as some country's, it is that country's."""
    from kg.graph.validate import validate_graph

    g = kg.build(dict(DESCRIBED))
    actors = {r["a"].value for r in g.store.query("SELECT DISTINCT ?a WHERE { ?e dip:sourceActor|dip:targetActor ?a }")}
    from kg.namespace import RES

    assert not actors & {f"{RES}org/foreign-ministry", f"{RES}org/supreme-court"}  # no node shared by all articles
    assert {a for a in actors if a.endswith("/org/foreign-ministry")} == {f"{RES}actor/c/org/foreign-ministry"}
    assert any(a.endswith("/org/mli-foreign-ministry") for a in actors)
    assert any(a.endswith("/org/gha-foreign-ministry") for a in actors)
    insurgents = {a for a in actors if a.endswith("/group/insurgent")}
    assert len(insurgents) == 2 and all("/actor/" in a for a in insurgents)  # each article's own
    report = validate_graph(g.store.to_rdflib())
    assert report.conforms
