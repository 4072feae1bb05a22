"""Saved queries are portable: grlc's rewriting, a client's trailing VALUES clause, `kg query` and a second
SPARQL engine (rdflib) all give the same rows in the same order."""
from __future__ import annotations

import contextlib
import io

import pyoxigraph as ox
import pytest
import rdflib

from kg.graph.terms import to_rdflib
from kg.namespace import PREFIXES
from kg.serving.queries import PAGE_KEY_RX, _term, get_query, run_query, saved_queries
from kg.store.sparql_text import append_values, inject_values

with contextlib.redirect_stdout(io.StringIO()):  # grlc prints where it looks for its config file on import
    from grlc.gquery import get_parameters, rewrite_query

EGYPT = "https://w3id.org/diplokg/resource/country/EGY"


def _canon(term) -> tuple | None:
    """A term the same from either engine: rdflib's, whose literals are normalised (a dateTime's "Z" and
    "+00:00" compare equal, as their values do)."""
    if term is None:
        return None
    if not isinstance(term, rdflib.term.Node):
        term = to_rdflib(term)
    return (type(term).__name__, str(term), getattr(term, "datatype", None), getattr(term, "language", None))


def _rows(variables: list[str], solutions) -> list[tuple]:
    return [tuple(_canon(s[v]) for v in variables) for s in solutions]


def cases(store) -> list[tuple[str, dict[str, str]]]:
    # the event with the most evidence sentences (merged mentions), so its rows' order is checked too
    event = next(iter(store.query("SELECT ?e (COUNT(?s) AS ?n) WHERE { ?e dip:evidence ?s } GROUP BY ?e "
                                  "ORDER BY DESC(?n) ?e LIMIT 1")))["e"].value
    happening = next(iter(store.query("SELECT ?h (COUNT(?e) AS ?n) WHERE { ?h dip:reportedBy ?e } GROUP BY ?h "
                                      "ORDER BY DESC(?n) ?h LIMIT 1")))["h"].value
    return [("events", {}), ("events", {"plover": "CONSULT"}), ("events", {"page": "1"}), ("events", {"page": "2"}), ("statements", {}), ("statements", {"plover": "ACCUSE"}),
            ("meetings", {}), ("meetings", {"factuality": "asserted"}), ("timeline", {"actor": EGYPT}), ("timeline", {"actor": EGYPT, "page": "1"}),
            ("evidence", {"event": event}), ("actors", {}), ("mediations", {}),
            ("happenings", {}), ("happenings", {"plover": "ASSAULT"}), ("happenings", {"actor": EGYPT}),
            ("happenings", {"from": "2021-01-01", "to": "2021-12-31"}), ("reports", {"happening": happening})]


# A date range is no triple pattern: a client that joins a VALUES clause after the query cannot narrow by it
# (kg, grlc and rdflib bind it before the patterns, and do). README's "Saved queries" says so.
RANGE_PARAMETERS = {"from", "to"}


def test_every_query_and_parameter_is_covered(seeds_store):
    covered = {(name, p) for name, params in cases(seeds_store) for p in params}
    assert {n for n, _ in cases(seeds_store)} == set(saved_queries())
    for name, q in saved_queries().items():
        assert {(name, p) for p in q.params} <= covered


def test_grlc_trailing_values_kg_and_rdflib_agree(seeds_store, seeds_graph, capsys):
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    report = []
    for name, params in cases(seeds_store):
        q = get_query(name)
        variables, rows = run_query(seeds_store, q, params)
        kg_rows = [tuple(_canon(r.get(v)) for v in variables) for r in rows]
        # grlc: its own parameter parsing and text rewriting, then the rewritten query as any endpoint runs it
        bound = {n: p for n, p in q.params.items() if p["var"] is not None}  # not `page`: grlc pages apart
        grlc_params = get_parameters(q.text, None, {})
        assert set(grlc_params) == set(bound)
        assert {n: p["required"] for n, p in grlc_params.items()} == {n: p["required"] for n, p in bound.items()}
        grlc_text = rewrite_query(q.text, grlc_params, params)
        if "page" in params:  # grlc pages rows; DiploKG pages keys (events), every row of each: so each engine's
            # unpaged rows of the page's keys, in their order, must be the page
            column = variables.index(PAGE_KEY_RX.search(q.page_by).group(1))
            keys = {r[column] for r in kg_rows}
            paged = lambda rows: [r for r in rows if r[column] in keys]  # noqa: E731
        else:
            paged = lambda rows: rows  # noqa: E731
        grlc_rows = paged(_rows(variables, seeds_store.query(grlc_text)))
        # a generic client: the query text unchanged, parameters in a VALUES clause after it
        terms = {q.params[n]["var"]: _term(seeds_store, q, n, v) for n, v in params.items() if n in bound}
        trailing_rows = paged(_rows(variables, seeds_store.query(append_values(q.text, terms))))
        # another engine: rdflib's SPARQL on the merged graph, parameters as initBindings
        init = {rdflib.Variable(k): (rdflib.URIRef(t.value) if isinstance(t, ox.NamedNode) else rdflib.Literal(t.value))
                for k, t in terms.items()}
        rdflib_rows = paged([tuple(_canon(r[v]) for v in variables)
                             for r in seeds_graph.query(q.text, initBindings=init, initNs=prefixes)])
        assert kg_rows or params.get("page") == "2", (name, params)
        assert grlc_rows == kg_rows, (name, params, "grlc")
        if not RANGE_PARAMETERS & set(params):
            assert trailing_rows == kg_rows, (name, params, "trailing VALUES")
        assert rdflib_rows == kg_rows, (name, params, "rdflib")
        ways = "grlc, kg, rdflib" if RANGE_PARAMETERS & set(params) else "grlc, trailing VALUES, kg, rdflib"
        report.append(f"{name} {params}: {len(kg_rows)} rows, same in {ways}")
    with capsys.disabled():
        print("\n" + "\n".join(report))


def test_an_optional_parameter_filters_every_way(seeds_store):
    q = get_query("events")
    _, everything = run_query(seeds_store, q, {})
    _, consult = run_query(seeds_store, q, {"plover": "consult"})
    assert 0 < len(consult) < len(everything)
    assert {r["plover"].value for r in consult} == {"CONSULT"}
    trailing = list(seeds_store.query(append_values(q.text, {"__plover": ox.Literal("CONSULT")})))
    assert len(trailing) == len(consult)


def test_a_comment_with_where_does_not_break_binding(seeds_store):
    text = ('# a comment that says WHERE { and "quotes" and <brackets\n'
            'PREFIX x: <http://example.org/ns#WHERE>\n'
            'SELECT ?label WHERE { # WHERE { again\n  ?_actor_iri rdfs:label ?label . FILTER (?label != "WHERE {") }')
    bound = inject_values(text, {"_actor_iri": ox.NamedNode(EGYPT)})
    assert bound.index("VALUES") > bound.index("SELECT ?label WHERE {")
    assert [r["label"].value for r in seeds_store.query(text, {"_actor_iri": ox.NamedNode(EGYPT)})] == ["Egypt"]


def test_a_query_without_where_group_is_refused():
    with pytest.raises(SyntaxError):
        inject_values("SELECT * # WHERE {", {"x": ox.Literal("1")})
