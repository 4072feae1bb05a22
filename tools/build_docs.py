"""Build the ontology documentation page, docs/ontology.html, from ontology/diplomacy.ttl with pyLODE.

    python tools/build_docs.py [OUT.html]

pyLODE 3.3.4's OntPub profile documents classes and properties, but on its own it (a) shows a class only
through a fixed list of properties, so DiploKG's PLOVER type and CAMEO code of each event class are not on
the page; (b) has no section for individuals, so the SKOS concept schemes and their concepts are missing
(its `vocpub` profile is the same code under another name); and (c) takes every skos:ConceptScheme for the
document itself, so the page is titled after the last scheme ("topics"). This script runs pyLODE's own
OntPub with those three things added: the two code rows on every class, one section per concept scheme
with its concepts (notation, definition, class), rendered with pyLODE's helpers so they look like the rest,
and the schemes kept out of pyLODE's choice of the document's subject. tests/test_vocabulary.py builds the
page and checks that every class, property, scheme, concept, PLOVER type and CAMEO code is on it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from dominate.tags import a, code, div, h2, h3, h4, li, sup, table, td, th, tr, ul
from pylode import OntPub
from pylode.rdf_elements import CLASS_PROPS, ONT_TYPES, PROP_PROPS
from pylode.utils import generate_fid, prop_obj_pair_html, section_html
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.namespace import DIP, ONTOLOGY_IRI  # noqa: E402 - the checkout's package, whether installed or not
from kg.resources import ontology_path  # noqa: E402

DEFAULT_OUT = ROOT / "docs" / "ontology.html"
CODE_PROPS = [DIP.ploverType, DIP.cameoCode]  # shown on every class that states them
CONCEPT_PROPS = [SKOS.notation, DCTERMS.description, SKOS.inScheme, RDF.type]
SECTIONS = [("Classes", OWL.Class, CLASS_PROPS + CODE_PROPS, "classes"),
            ("Properties", RDF.Property, PROP_PROPS, "properties"),
            ("Object Properties", OWL.ObjectProperty, PROP_PROPS, "objectproperties"),
            ("Datatype Properties", OWL.DatatypeProperty, PROP_PROPS, "datatypeproperties"),
            ("Annotation Properties", OWL.AnnotationProperty, PROP_PROPS, "annotationproperties"),
            ("Functional Properties", OWL.FunctionalProperty, PROP_PROPS, "functionalproperties")]


class DiploOntPub(OntPub):
    """pyLODE's OntPub plus PLOVER/CAMEO rows on classes and a section per SKOS concept scheme."""

    def __init__(self, ontology: Graph):
        self.schemes = sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme))
        for scheme in self.schemes:  # pyLODE would take each for the document (title, IRI, namespace)
            ontology.remove((scheme, RDF.type, SKOS.ConceptScheme))
        super().__init__(ontology, sort_subjects=True)
        self.toc["named_individuals"] = []  # the legend then explains the concepts' "ni" mark
        for prop in CODE_PROPS + CONCEPT_PROPS:  # row headings as pyLODE makes them: its background ontologies'
            back = {"title": self.back_onts.value(prop, DCTERMS.title),  # title (rdf:type, skos:notation), else ours
                    "description": self.back_onts.value(prop, DCTERMS.description)}
            ont_title = next((t for ns, t in self.back_onts_titles.items() if str(prop).startswith(ns)), None)
            self.props_labeled.setdefault(prop, {
                "title": back["title"] or self.ont.value(prop, RDFS.label),
                "description": back["description"] or self.ont.value(prop, RDFS.comment),
                "ont_title": ont_title or self.ont.value(ONTOLOGY_IRI, DCTERMS.title)})

    def _make_main_sections(self) -> None:
        with self.content:
            for title, kind, props, toc_id in SECTIONS:
                if (None, RDF.type, kind) in self.ont:
                    section_html(title, self.ont, self.back_onts, self.ns, kind, props, self.toc, toc_id, self.fids,
                                 self.props_labeled).render()
        for scheme in self.schemes:
            self.content.appendChild(self._scheme_section(scheme))

    def _row(self, prop: URIRef, values: list) -> tr:
        label = self.props_labeled[prop]
        return prop_obj_pair_html(self.ont, self.back_onts, self.ns, "table", prop, label["title"],
                                  label["description"], label["ont_title"], self.fids, values)

    def _scheme_section(self, scheme: URIRef) -> div:
        """A concept scheme as pyLODE draws a section: its IRI and definition, then one entry per concept."""
        title = self.ont.value(scheme, DCTERMS.title)
        fid = generate_fid(title, scheme, self.fids)
        head = table(tr(th("IRI"), td(code(str(scheme)))), tr(th("Type"), td("SKOS concept scheme")))
        head.appendChild(self._row(DCTERMS.description, list(self.ont.objects(scheme, DCTERMS.description))))
        section = div(h2(f"Concept scheme: {title}"), div(head, _class="property entity"), id=fid, _class="section")
        entries = []
        for concept in sorted(self.ont.subjects(SKOS.inScheme, scheme)):
            label = self.ont.value(concept, DCTERMS.title)
            cfid = generate_fid(label, concept, self.fids)
            rows = table(tr(th("IRI"), td(code(str(concept)))))
            for prop in CONCEPT_PROPS:
                values = sorted(v for v in self.ont.objects(concept, prop) if v != OWL.NamedIndividual)
                if values:
                    rows.appendChild(self._row(prop, values))
            mark, kind = ONT_TYPES[OWL.NamedIndividual]
            section.appendChild(div(h3(str(label), sup(mark, _class="sup-" + mark, title=kind)), rows, id=cfid,
                                    _class="property entity"))
            entries.append(("#" + cfid, str(label)))
        self.toc.setdefault("schemes", []).append(("#" + fid, str(title), entries))
        return section

    def _make_toc(self) -> None:
        """pyLODE's table of contents, with the concept schemes and their concepts before the namespaces."""
        super()._make_toc()
        first = self.doc.body.get(id="toc")[0].get("ul", _class="first")[0]
        at = next(i for i, item in enumerate(first.children) if "#namespaces" in item.render())
        for href, title, entries in reversed(self.toc.get("schemes", [])):
            item = li(h4(a(f"Concept scheme: {title}", href=href)), ul([li(a(t, href=h)) for h, t in entries],
                                                                         _class="second"))
            item.parent = first
            first.children.insert(at, item)


def build(out: Path = DEFAULT_OUT, source: Path | None = None) -> Path:
    """Write the documentation page and return its path."""
    ontology = Graph().parse(source or ontology_path())  # a fresh graph: pyLODE adds its inferences to it
    out.parent.mkdir(parents=True, exist_ok=True)
    DiploOntPub(ontology).make_html(destination=out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
