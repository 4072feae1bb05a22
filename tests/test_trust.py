"""A graph you can trust: every mutation the shapes forbid is caught, failures are quarantined with their
report, hostile input never raises a traceback or costs a valid article, and interrupted builds lose nothing."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, XSD

from kg.cli.app import main
from kg.graph.validate import validate_graph
from kg.namespace import DCTERMS, DIP, NIF
from kg.reading.article import read_article
from kg.reading.files import InputError
from kg.resources import load_ontology, shapes_path

ROOT = Path(__file__).resolve().parent.parent
SH = "http://www.w3.org/ns/shacl#"


def first(g: Graph, cls: URIRef, having: URIRef | None = None) -> URIRef:
    for s in sorted(g.subjects(RDF.type, cls)):
        if having is None or (s, having, None) in g:
            return s
    raise AssertionError(f"no {cls}")


def set_value(g: Graph, s, p, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def event(g: Graph) -> URIRef:
    return sorted(g.subjects(DIP.evidence, None))[0]


def on(select: Callable[[Graph], URIRef], *changes: Callable[[Graph, URIRef], object]) -> Callable[[Graph], URIRef]:
    """A mutation: pick a node, break it; the node is the one the report must blame."""
    def mutate(g: Graph) -> URIRef:
        node = select(g)
        for change in changes:
            change(g, node)
        return node
    return mutate


def of(cls: URIRef, having: URIRef | None = None) -> Callable[[Graph], URIRef]:
    return lambda g: first(g, cls, having)


def drop(p: URIRef) -> Callable[[Graph, URIRef], None]:
    return lambda g, n: g.remove((n, p, None))


def put(p: URIRef, o) -> Callable[[Graph, URIRef], None]:
    return lambda g, n: set_value(g, n, p, o)


def add(*pairs) -> Callable[[Graph, URIRef], None]:
    return lambda g, n: [g.add((n, p, o(g, n) if callable(o) else o)) for p, o in pairs]


R = "https://w3id.org/diplokg/resource/"
EGY, ISR = URIRef(R + "country/EGY"), URIRef(R + "country/ISR")
integer = lambda v: Literal(v, datatype=XSD.integer)  # noqa: E731


def an_outlet(g: Graph) -> URIRef:
    """A well-formed outlet for the first article (the seeds are text files: no page metadata, no agents)."""
    node = URIRef(R + "agent/global-herald")
    g.add((first(g, DIP.Article), DCTERMS.publisher, node))
    for t in ((RDF.type, DCTERMS.Agent), (RDF.type, PROV.Organization), (RDFS.label, Literal("Global Herald"))):
        g.add((node, *t))
    return node


def keep_one_target(g: Graph, m: URIRef) -> None:
    for t in sorted(g.objects(m, DIP.targetActor))[1:]:
        g.remove((m, DIP.targetActor, t))


# Each mutation breaks a copy of the valid seeds graph in one way the shapes forbid.
MUTATIONS: dict[str, Callable[[Graph], URIRef]] = {
    "event without source or target": on(event, drop(DIP.sourceActor), drop(DIP.targetActor)),
    "source is not an actor": on(event, add((DIP.sourceActor, lambda g, n: g.value(n, DIP.evidence)))),
    "target is not an actor": on(event, add((DIP.targetActor, lambda g, n: g.value(n, DIP.article)))),
    "place is not a place": on(event, lambda g, n: set_value(g, n, DIP.place, g.value(n, DIP.evidence))),
    "two places": on(event, add((DIP.place, EGY), (DIP.place, ISR))),
    "date not a date": on(event, put(DIP.date, Literal("last Tuesday"))),
    "two dates": on(event, add((DIP.date, Literal("2020-01-01", datatype=XSD.date)), (DIP.date, Literal("2021", datatype=XSD.gYear)))),
    "no factuality": on(event, drop(DIP.factuality)),
    "factuality outside the list": on(event, put(DIP.factuality, DIP.Military)),
    "two factualities": on(event, add((DIP.factuality, DIP.Negated), (DIP.factuality, DIP.Future))),
    "topic not a topic": on(event, add((DIP.topic, DIP.Asserted))),
    "confidence above 1": on(event, put(DIP.confidence, Literal("1.5", datatype=XSD.decimal))),
    "no evidence": on(event, drop(DIP.evidence)),
    "no article": on(event, drop(DIP.article)),
    "no run": on(event, drop(PROV.wasGeneratedBy)),
    "unknown PLOVER type": on(event, put(DIP.ploverType, Literal("PARTY"))),
    "bad CAMEO code": on(event, put(DIP.cameoCode, Literal("04a"))),
    "event without label": on(event, drop(RDFS.label)),
    "mediation with one party": on(of(DIP.Mediation), keep_one_target),
    "mediation without mediator": on(of(DIP.Mediation), drop(DIP.mediator)),
    "offsets past the end": on(of(NIF.Sentence), put(NIF.endIndex, integer(10**7))),
    "begin after end": on(of(NIF.Sentence), put(NIF.beginIndex, integer(10**7))),
    "offsets disagree with text": on(of(NIF.Sentence), put(NIF.anchorOf, Literal("short"))),
    "negative offset": on(of(NIF.Sentence), put(NIF.beginIndex, integer(-1))),
    "sentence without article": on(of(NIF.Sentence), drop(NIF.referenceContext)),
    "article without hash": on(of(DIP.Article), drop(DIP.contentHash)),
    "article hash malformed": on(of(DIP.Article), put(DIP.contentHash, Literal("xyz"))),
    "article length not an integer": on(of(DIP.Article), put(DIP.charLength, Literal("long"))),
    "two titles": on(of(DIP.Article, DCTERMS.title), add((DCTERMS.title, Literal("Another")))),
    "publisher is a string": on(of(DIP.Article), add((DCTERMS.publisher, Literal("Global Herald")))),
    "creator is not an agent": on(of(DIP.Article), add((DCTERMS.creator, EGY))),
    "outlet without a name": on(an_outlet, drop(RDFS.label)),
    "outlet neither person nor organisation": on(an_outlet, lambda g, n: g.remove((n, RDF.type, PROV.Organization))),
    "run without start time": on(of(DIP.ExtractionRun), drop(PROV.startedAtTime)),
    "run without model": on(of(DIP.ExtractionRun), drop(DIP.model)),
    "country without ISO3": on(of(DIP.Country), drop(DIP.iso3)),
    "ISO3 malformed": on(of(DIP.Country), put(DIP.iso3, Literal("Egypt"))),
    "Wikidata id malformed": on(of(DIP.Country, DIP.wikidata), put(DIP.wikidata, Literal("79"))),
    "actor without label": on(of(DIP.Person), drop(RDFS.label)),
    "person with two countries": on(of(DIP.Person), add((DIP.represents, EGY), (DIP.represents, ISR))),
    "person represents a place": on(of(DIP.Person), put(DIP.represents, URIRef(R + "place/gaza"))),
    "sector not a sector": on(of(DIP.Person), add((DIP.sector, DIP.CeasefireTopic))),
    "delegation represents nobody": on(of(DIP.Delegation), drop(DIP.represents)),
    "armed group typed as country": on(of(DIP.ArmedGroup), add((RDF.type, DIP.Country), (DIP.iso3, Literal("HAM")))),
    "place without label": on(of(DIP.Place), drop(RDFS.label)),
}


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_mutation_is_caught(seeds_graph, kind):
    g = Graph()
    for t in seeds_graph:
        g.add(t)
    blamed = MUTATIONS[kind](g)
    report = validate_graph(g)
    assert not report.conforms, kind
    assert blamed in report.violations, (kind, list(report.violations)[:3])


def test_every_property_and_class_has_a_shape():
    shapes = Graph().parse(shapes_path())
    paths = set(shapes.objects(None, URIRef(SH + "path")))
    ont = load_ontology()
    dip_props = {p for k in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ont.subjects(RDF.type, k)
                 if str(p).startswith(str(DIP._NS))}
    assert sorted(dip_props - paths) == []


# ---------------------------------------------------------------------------- quarantine
def test_failing_event_is_quarantined_with_report_and_sentence(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "mediation.txt").write_text(
        "Qatar is mediating in the conflict, officials said on Tuesday.\n\n"
        "Egyptian Foreign Minister Sameh Shukry met his Jordanian counterpart Ayman Safadi in Amman.\n", encoding="utf-8")
    out = tmp_path / "g.ttl"
    capsys.readouterr()
    assert main(["build", str(corpus), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    quarantine = Path(str(out) + ".quarantine.ttl")
    assert f"quarantine: {quarantine}" in printed and "quarantined events: 1" in printed
    q = Graph().parse(quarantine)
    mediation = first(q, DIP.Mediation)
    assert (None, URIRef(SH + "focusNode"), mediation) in q
    assert any("two parties" in str(m) for m in q.objects(None, URIRef(SH + "resultMessage")))
    assert any("Qatar is mediating" in str(t) for t in q.objects(None, NIF.anchorOf))
    main_graph = Graph().parse(out)
    assert (mediation, None, None) not in main_graph
    assert (None, RDF.type, DIP.Meeting) in main_graph  # the valid event of the same article is kept
    assert validate_graph(main_graph).conforms


# ---------------------------------------------------------------------------- hostile input
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_reader_never_raises_anything_but_input_error(tmp_path, data):
    f = tmp_path / "fuzz.txt"
    f.write_bytes(data)
    try:
        article = read_article(f)
    except InputError as exc:
        assert str(f) in str(exc) and "\n" not in str(exc)
    else:
        assert len(article.text) > 0 and len(article.content_hash) == 64


HOSTILE = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(alphabet="<>/abcdefghtmlpdiv =\"'\n", max_size=500).map(lambda s: ("<html><body>" + s).encode()),
    st.sampled_from([b"", b"\x00" * 100, "Это статья на русском языке о переговорах.".encode() * 20,
                     "\ufeffEgypt condemned Israel.".encode("utf-8"), b"\xff\xfe\x00E\x00g\x00y\x00p\x00t"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(HOSTILE, min_size=1, max_size=4))
def test_cli_build_survives_hostile_files_and_keeps_the_good_article(tmp_path_factory, files):
    tmp = tmp_path_factory.mktemp("fuzz")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / "003_b725994c9d3c8be2.txt", corpus / "good.txt")
    for i, data in enumerate(files):
        (corpus / f"hostile_{i}.txt").write_bytes(data)
    out = tmp / "g.ttl"
    code = main(["build", str(corpus), "--out", str(out), "--quiet"])
    assert code in (0, 3)
    g = Graph().parse(out)
    assert (URIRef("https://w3id.org/diplokg/resource/article/good"), RDF.type, DIP.Article) in g
    assert any(str(o) == "Antony Blinken" for o in g.objects(None, RDFS.label))


# ---------------------------------------------------------------------------- interrupted builds
def test_killed_build_leaves_previous_output_intact(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (ROOT / "seeds" / "003_b725994c9d3c8be2.txt").read_text(encoding="utf-8")
    for i in range(300):
        (corpus / f"a{i:03d}.txt").write_text(text.replace("Monday", f"Monday {i}"), encoding="utf-8")
    out = tmp_path / "g.ttl"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(6)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == before
    Graph().parse(out)
