"""Vocabulary other tools read right: NIF offsets checkable against nif:isString."""
from __future__ import annotations


def test_nif_offsets_index_the_article_string(seeds_store):
    rows = list(seeds_store.query("""
        SELECT ?text ?anchor ?b ?e WHERE {
          ?s a nif:Sentence ; nif:anchorOf ?anchor ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?a .
          ?a nif:isString ?text }"""))
    assert len(rows) >= 20  # every evidence sentence of the seeds
    for r in rows:
        assert r["text"].value[int(r["b"].value):int(r["e"].value)] == r["anchor"].value


def test_output_files_follow_the_umask(seeds_store, tmp_path):
    import os
    import stat

    from kg.cli.app import main

    ttl = tmp_path / "g.ttl"
    seeds_store.export(ttl)
    old = os.umask(0o022)
    try:
        for mask, expected in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
            os.umask(mask)
            out = tmp_path / f"out-{mask:o}.nt"
            assert main(["export", "--graph", str(ttl), "--out", str(out), "--events", str(tmp_path / f"e-{mask:o}.csv")]) == 0
            assert stat.S_IMODE(out.stat().st_mode) == expected
            assert stat.S_IMODE((tmp_path / f"e-{mask:o}.csv").stat().st_mode) == expected
    finally:
        os.umask(old)


def test_jsonld_is_compacted_with_a_context_and_round_trips(seeds_store, tmp_path):
    import json

    from kg.store.graph_store import GraphStore

    out = tmp_path / "g.jsonld"
    seeds_store.export(out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["dip"] == "https://w3id.org/diplokg/ontology#"
    assert "org" not in doc["@context"] and doc["@context"]["organization"].endswith("/resource/org/")
    text = out.read_text(encoding="utf-8")
    assert '"dip:ploverType"' in text and '"event:' in text
    again = GraphStore()
    again.load_file(out)
    assert len(again) == len(seeds_store.to_rdflib())


def test_turtle_does_not_use_the_org_prefix_for_our_resources(seeds_store, tmp_path):
    out = tmp_path / "g.ttl"
    seeds_store.export(out)
    text = out.read_text(encoding="utf-8")
    assert "@prefix org:" not in text and "organization:" in text


def test_plover_types_are_restrictions_a_reasoner_sees():
    from rdflib import OWL, RDF, RDFS, Literal

    from kg.namespace import DIP
    from kg.resources import load_ontology

    ont = load_ontology()
    assert (DIP.ploverType, RDF.type, OWL.DatatypeProperty) in ont
    assert (DIP.cameoCode, RDF.type, OWL.DatatypeProperty) in ont
    restricted = {ont.value(r, OWL.hasValue) for r in ont.subjects(OWL.onProperty, DIP.ploverType)}
    assert len(restricted) == 16 and Literal("CONSULT") in restricted
    consult = next(r for r in ont.subjects(OWL.hasValue, Literal("CONSULT")))
    assert (DIP.Consult, RDFS.subClassOf, consult) in ont


def test_pylode_documents_the_ontology(tmp_path):
    """README's documentation command (real pyLODE): every class and property, the PLOVER restrictions, each event
    class's PLOVER type and CAMEO code in its own entry, every concept scheme with each of its concepts and notation."""
    import subprocess
    import sys
    from pathlib import Path

    from lxml import html as lxml_html
    from rdflib import OWL, RDF, RDFS, SKOS

    from kg.namespace import DIP
    from kg.resources import load_ontology

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "ontology.html"
    done = subprocess.run([sys.executable, str(root / "tools" / "build_docs.py"), str(out)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    page = lxml_html.fromstring(text)
    ont = load_ontology()
    header = next(ont.subjects(RDF.type, OWL.Ontology))
    assert page.findtext(".//title") == str(ont.value(header, RDFS.label))  # not a concept scheme's name

    def entry(term) -> str:
        """The text of the page's entry for a term (the block whose IRI row is the term's)."""
        found = page.xpath("//div[contains(@class, 'entity')][.//code[text()=$iri]]", iri=str(term))
        assert len(found) == 1, f"{term}: {len(found)} entries"
        return " ".join(found[0].text_content().split())

    dip = str(DIP._NS)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ont.subjects(RDF.type, kind):
            if str(term).startswith(dip):
                assert str(ont.value(term, RDFS.label)) in entry(term), term
    events = set(ont.transitive_subjects(RDFS.subClassOf, DIP.Event)) - {DIP.Event}
    assert len(events) > 40
    for cls in events:
        body = entry(cls)
        plover, cameo = ont.value(cls, DIP.ploverType), ont.value(cls, DIP.cameoCode)
        assert plover is not None and cameo is not None, cls
        assert f"Plover Type {plover}" in body and f"Cameo Code {cameo}" in body, (cls, body)
    for plover in ("AGREE", "CONSULT", "ASSAULT"):  # the restrictions a reasoner reads
        assert f"Restriction PLOVER type dp value {plover}" in entry(DIP[plover.capitalize()])  # dp: datatype prop.
    schemes = set(ont.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 3
    for scheme in schemes:
        section = page.xpath("//div[contains(@class, 'section')][.//code[text()=$iri]]", iri=str(scheme))
        assert len(section) == 1, scheme
        assert f"Concept scheme: {ont.value(scheme, RDFS.label)}" in section[0].text_content()
        concepts = set(ont.subjects(SKOS.inScheme, scheme))
        assert len(concepts) >= 4
        for concept in concepts:
            inside = section[0].xpath(".//div[contains(@class, 'entity')][.//code[text()=$iri]]", iri=str(concept))
            assert inside, f"{concept} not in its scheme's section"
            body = entry(concept)
            assert str(ont.value(concept, RDFS.label)) in body and f"Notation {ont.value(concept, SKOS.notation)}" in body
    ids = set(page.xpath("//@id"))
    assert {h[1:] for h in page.xpath("//a/@href") if h.startswith("#")} <= ids  # every link inside the page lands
    assert ">Creator<" in text and ">Publisher<" in text and text.count("DiploKG developers") >= 2  # agents


def test_runs_record_their_version(seeds_store):
    from kg import __version__

    rows = list(seeds_store.query("SELECT ?a ?version WHERE { ?run prov:used ?a ; dip:extractorVersion ?version }"))
    assert len(rows) == 2 and {r["version"].value for r in rows} == {__version__}
