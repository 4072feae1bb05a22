"""The shapes accept the seeds graph and reject graphs broken in each way they forbid."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.graph.validate import validate_graph
from kg.namespace import DIP, NIF


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def an_event(g: Graph, cls=None) -> URIRef:
    for ev in sorted(g.subjects(DIP.evidence, None)):
        if cls is None or (ev, RDF.type, cls) in g:
            return ev
    raise AssertionError(f"no event of class {cls}")


def test_seeds_graph_conforms(seeds_graph):
    report = validate_graph(seeds_graph)
    assert report.conforms, report.text


def test_rejects_event_with_neither_source_nor_target(seeds_graph):
    g = copy(seeds_graph)
    ev = an_event(g)
    g.remove((ev, DIP.sourceActor, None))
    g.remove((ev, DIP.targetActor, None))
    report = validate_graph(g)
    assert not report.conforms and ev in report.violations


def test_accepts_event_with_a_target_and_no_source(seeds_graph):
    """'Four children were killed in Israeli tank shelling' names whom, not always who: still an event."""
    g = copy(seeds_graph)
    ev = next(e for e in g.subjects(DIP.targetActor, None) if (e, DIP.sourceActor, None) in g)
    g.remove((ev, DIP.sourceActor, None))
    assert ev not in validate_graph(g).violations


def test_rejects_source_that_is_not_an_actor(seeds_graph):
    g = copy(seeds_graph)
    ev = an_event(g)
    sentence = g.value(ev, DIP.evidence)
    g.add((ev, DIP.sourceActor, sentence))
    assert ev in validate_graph(g).violations


def test_rejects_bad_date_datatype(seeds_graph):
    g = copy(seeds_graph)
    ev = an_event(g)
    g.remove((ev, DIP.date, None))
    g.add((ev, DIP.date, Literal("last Tuesday")))
    assert ev in validate_graph(g).violations


def test_rejects_offsets_past_the_end_of_the_article(seeds_graph):
    g = copy(seeds_graph)
    sentence = next(iter(sorted(g.subjects(RDF.type, NIF.Sentence))))
    g.remove((sentence, NIF.endIndex, None))
    g.add((sentence, NIF.endIndex, Literal(10**7, datatype=XSD.integer)))
    assert sentence in validate_graph(g).violations


def test_rejects_unknown_factuality(seeds_graph):
    g = copy(seeds_graph)
    ev = an_event(g)
    g.remove((ev, DIP.factuality, None))
    g.add((ev, DIP.factuality, DIP.Government))
    assert ev in validate_graph(g).violations


def test_rejects_bad_iso3_and_wikidata(seeds_graph):
    g = copy(seeds_graph)
    egypt = URIRef("https://w3id.org/diplokg/resource/country/EGY")
    g.remove((egypt, DIP.iso3, None))
    g.add((egypt, DIP.iso3, Literal("Egypt")))
    g.remove((egypt, DIP.wikidata, None))
    g.add((egypt, DIP.wikidata, Literal("79")))
    messages = " ".join(validate_graph(g).violations.get(egypt, []))
    assert "ISO3" in messages and "Wikidata" in messages


def test_rejects_mediation_with_one_party(seeds_graph):
    g = copy(seeds_graph)
    ev = an_event(g, DIP.Mediation)
    parties = sorted(g.objects(ev, DIP.targetActor))
    for p in parties[1:]:
        g.remove((ev, DIP.targetActor, p))
    assert ev in validate_graph(g).violations


def test_missing_place_is_only_a_warning(seeds_graph):
    report = validate_graph(seeds_graph)
    assert report.conforms and report.warnings > 0
