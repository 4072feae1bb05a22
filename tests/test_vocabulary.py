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

    from kg.cli import main

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

    from kg.store import GraphStore

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
    """The README's documentation command: pyLODE renders every class and property, and the PLOVER restrictions."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from rdflib import OWL, RDF, RDFS

    from kg.resources import load_ontology, ontology_path

    exe = shutil.which("pylode") or str(Path(sys.executable).with_name("pylode"))
    out = tmp_path / "ontology.html"
    done = subprocess.run([exe, str(ontology_path()), "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    html = out.read_text(encoding="utf-8")
    ont = load_ontology()
    dip = "https://w3id.org/diplokg/ontology#"
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ont.subjects(RDF.type, kind):
            if str(term).startswith(dip):
                assert str(term) in html and str(ont.value(term, RDFS.label)) in html, term
    assert ">Creator<" in html and ">Publisher<" in html and html.count("DiploKG developers") >= 2  # agents
    for plover in ("AGREE", "CONSULT", "ASSAULT"):
        assert f"value</span> <code>{plover}</code>" in html or f">{plover}<" in html


def test_runs_record_their_version(seeds_store):
    from kg import __version__

    rows = list(seeds_store.query("SELECT ?a ?version WHERE { ?run prov:used ?a ; dip:extractorVersion ?version }"))
    assert len(rows) == 2 and {r["version"].value for r in rows} == {__version__}
