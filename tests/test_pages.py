"""Saved news pages and text dumps, as real sites give them: events come only from the story, and each
article's metadata and reference date come from the page (tests/fixtures/pages/expected.json)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.cli.app import main
from kg.extraction.component import load_nlp
from kg.extraction.extractor import EventExtractor
from kg.lexicon.entries import load_lexicon
from kg.namespace import DCTERMS, DIP, NIF
from kg.reading.article import read_article
from kg.reading.furniture import clean_text
from kg.store.graphs import article_graph

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
EXPECTED = {k: v for k, v in json.loads((PAGES / "expected.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages") / "pages.ttl"
    import io
    from contextlib import redirect_stdout

    printed = io.StringIO()
    with redirect_stdout(printed):
        code = main(["build", str(PAGES), "--out", str(out), "--quiet"])
    g = Graph().parse(out)
    articles = {str(g.value(a, DIP.fileName)): a for a in g.subjects(RDF.type, DIP.Article)}
    events: dict[str, list[tuple]] = {}
    for ev in set(g.subjects(DIP.evidence, None)):
        name = str(g.value(g.value(ev, DIP.article), DIP.fileName))
        anchors = " || ".join(str(g.value(s, NIF.anchorOf)) for s in g.objects(ev, DIP.evidence))  # all mentions
        events.setdefault(name, []).append((ev, anchors))
    return code, printed.getvalue(), g, articles, events


def test_every_page_is_read(built):
    code, printed, _, articles, _ = built
    assert code in (0, 1)  # nothing skipped (UTF-16 included)
    assert set(articles) == set(EXPECTED)
    assert "page furniture: " in printed and "page furniture: 0 " not in printed


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_events_come_only_from_the_story(built, name):
    _, _, _, _, events = built
    page = EXPECTED[name]
    found = events.get(name, [])
    from_furniture = [anchor for _, anchor in found if any(p in anchor for p in page["furniture"])]
    assert not from_furniture, f"{name}: events from page furniture: {from_furniture}"
    story = [anchor for _, anchor in found if any(p in anchor for p in page["story"])]
    assert story, f"{name}: no event from the story"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_and_reference_date_come_from_the_page(built, name):
    _, _, g, articles, events = built
    page, art = EXPECTED[name], articles[name]
    assert str(g.value(art, DCTERMS.title)) == page["title"]
    date = g.value(art, DCTERMS.date)
    assert (date.toPython().isoformat() if date is not None else None) == page.get("date")
    if "author" in page:
        creators = list(g.objects(art, DCTERMS.creator))  # one agent per name; a job title names nobody
        assert [str(g.value(c, RDFS.label)) for c in creators] == [page["author"]]
        assert all({PROV.Person, DCTERMS.Agent} <= set(g.objects(c, RDF.type)) for c in creators)
        assert str(g.value(art, DIP.byline)).startswith(page["author"])  # the line as the page gives it
        outlet = g.value(art, DCTERMS.publisher)
        assert isinstance(outlet, URIRef) and str(g.value(outlet, RDFS.label)) == page["site"]
        assert {PROV.Organization, DCTERMS.Agent} <= set(g.objects(outlet, RDF.type))
        assert g.value(art, DCTERMS.identifier) == Literal(page["url"], datatype=XSD.anyURI)
    for phrase, want in page.get("dates", {}).items():
        dates = {str(g.value(ev, DIP.date)) for ev, anchor in events[name] if phrase in anchor}
        assert want in dates, f"{name}: {phrase!r} dated {dates}, expected {want}"


@pytest.mark.parametrize("name", ["utf8_stray_bytes.txt", "utf16_bom.txt", "mojibake.txt"])
def test_encodings(name):
    article = read_article(PAGES / name)
    for text in EXPECTED[name]["text"]:
        assert text in article.text
    assert "\ufffd" not in article.text and "Ã" not in article.text


def test_stray_bytes_are_not_read_as_windows_1252_throughout():
    article = read_article(PAGES / "utf8_stray_bytes.txt")
    assert "Mevlüt Çavuşoğlu" in article.text and "MevlÃ" not in article.text
    assert any("stray byte" in n for n in article.notes)


def test_page_date_comes_before_the_command_line_date(tmp_path):
    out = tmp_path / "g.ttl"
    main(["build", str(PAGES / "jsonld.html"), str(PAGES / "mojibake.txt"), "--out", str(out), "--quiet",
          "--date", "2020-01-01"])
    g = Graph().parse(out)
    dates = {str(g.value(a, DIP.fileName)): str(g.value(a, DCTERMS.date)) for a in g.subjects(RDF.type, DIP.Article)}
    assert dates == {"jsonld.html": "2024-06-10", "mojibake.txt": "2020-01-01"}


def test_evidence_names_the_outlet(built, tmp_path):
    """The evidence query's ?publisher is the outlet's name (an agent's label), not a literal on the article."""
    from kg.serving.queries import get_query, run_query
    from kg.store.graph_store import GraphStore

    _, _, g, articles, events = built
    path = tmp_path / "pages.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    store = GraphStore()
    store.load_file(path)
    for name, page in EXPECTED.items():
        if "site" not in page or not events.get(name):
            continue
        rows = run_query(store, get_query("evidence"), {"event": str(events[name][0][0])})[1]
        assert rows and {r["publisher"].value for r in rows} == {page["site"]}, name
        assert all("credit" not in r for r in rows)  # a page with no credit line in its text


@pytest.mark.parametrize("byline, site, expected", [
    ("Sara Haddad; Diplomatic Correspondent", "The Gulf Chronicle", [("author/sara-haddad", "person")]),
    ("By Jane Doe and John Smith", None, [("author/jane-doe", "person"), ("author/john-smith", "person")]),
    ("Jane Doe, John Smith & Lina Morgan", None, [("author/jane-doe", "person"), ("author/john-smith", "person"),
                                                   ("author/lina-morgan", "person")]),
    ("Reuters Staff", "Yahoo News", [("agent/reuters-staff", "organization")]),
    ("AFP", None, [("agent/afp", "organization")]),
    ("TRT World; Agencies", "TRT World", [("agent/trt-world", "organization")]),  # the outlet's own node
    ("Staff Writer", None, []),
    ("Mevlüt Çavuşoğlu", None, [("author/mevlüt-çavuşoğlu", "person")]),
])
def test_bylines_become_agents(byline, site, expected):
    from kg.reading.bylines import creators, outlet

    assert [(a.key, a.kind) for a in creators(byline, site)] == expected
    if site:
        assert outlet(site).key == "agent/" + site.lower().replace(" ", "-")


def two_pages_of_one_outlet(folder: Path, second_byline: str = "By Jane Doe and John Smith") -> tuple[Path, Path]:
    """Two stories of one site (wire_site.html and a second story with another headline, lead and byline)."""
    first = (PAGES / "wire_site.html").read_text(encoding="utf-8")
    second = (first.replace("Ahmet Yilmaz", second_byline)
              .replace("Turkey and Egypt agree to restore ties as Gaza talks resume", "Jordan and Egypt hold talks on Gaza aid")
              .replace("Turkish Foreign Minister Hakan Fidan met his Egyptian counterpart Sameh Shoukry in Ankara",
                       "Jordanian Foreign Minister Ayman Safadi met his Egyptian counterpart Sameh Shoukry in Amman")
              .replace("3211457", "3211502"))
    folder.mkdir(parents=True, exist_ok=True)
    a, b = folder / "a.html", folder / "b.html"
    a.write_text(first, encoding="utf-8")
    b.write_text(second, encoding="utf-8")
    return a, b


def test_two_articles_of_one_outlet_share_one_publisher_node(tmp_path):
    """One outlet is one node, described once in the entity graph; the store's graphs validate with pySHACL,
    each article's graph too (with the entities it points to), before and after one article changes."""
    import pyoxigraph as ox

    from kg.graph.validate import check, validate_graph
    from kg.namespace import RES
    from kg.pipeline.options import BuildOptions
    from kg.pipeline.runner import build
    from kg.store.graph_store import GraphStore
    from kg.store.quads import ENTITY_GRAPH

    a, b = two_pages_of_one_outlet(tmp_path / "pages")
    outlet = RES["agent/anadolu-wire"]
    for round_ in ("first build", "after b.html changed"):
        with GraphStore(tmp_path / "store") as store:
            summary = build([tmp_path / "pages"], store, BuildOptions(), log=lambda m: None)
            assert summary.articles == (2 if round_ == "first build" else 1) and not summary.skipped
            g = store.to_rdflib()
            arts = {str(g.value(x, DIP.fileName)): x for x in g.subjects(RDF.type, DIP.Article)}
            assert sorted(arts) == ["a.html", "b.html"]
            assert {g.value(x, DCTERMS.publisher) for x in arts.values()} == {outlet}, round_
            assert list(g.objects(outlet, RDFS.label)) == [Literal("Anadolu Wire")]
            graphs = {q.graph_name for q in store.ox.quads_for_pattern(ox.NamedNode(str(outlet)), None, None)}
            assert graphs == {ENTITY_GRAPH}  # not copied into either article's graph
            names = {n: sorted(str(g.value(c, RDFS.label)) for c in g.objects(x, DCTERMS.creator)) for n, x in arts.items()}
            assert names == {"a.html": ["Ahmet Yilmaz"], "b.html": ["Jane Doe", "John Smith"]}
            report = validate_graph(g)
            assert report.conforms, report.text[:2000]
            for art in arts.values():
                own = article_graph(store, art)
                assert (outlet, RDF.type, PROV.Organization) in own
                assert check(own).conforms
        b.write_text(b.read_text(encoding="utf-8").replace("on Tuesday", "on Wednesday", 1), encoding="utf-8")


# ---------------------------------------------------------------------------- furniture features
SUDAN = ("Sudan's army and RSF agree to truce\n\n"
         "KHARTOUM (Reuters) - Sudan's army and the Rapid Support Forces agreed to a truce on Tuesday, the Saudi "
         "foreign ministry said.\n\n"
         "South Africa slams U.S. human rights report\n"
         "Chad Closes Border With Sudan.\n\n"
         "By Jane Doe\n"
         "Photo: Delegates in Jeddah. Reuters\n"
         "Share\n")


def test_furniture_lines_are_blanked_in_place_and_counted():
    c = clean_text(SUDAN)
    assert len(c.text) == len(SUDAN)
    assert "agreed to a truce" in c.text and "Sudan's army and RSF agree to truce" in c.text  # story and headline
    for gone in ("South Africa slams", "Chad Closes Border", "By Jane Doe", "Photo:", "Share"):
        assert gone not in c.text
    assert c.furniture == 5 and c.title == "Sudan's army and RSF agree to truce"


def test_a_run_of_short_lines_is_a_list_not_the_story():
    text = ("Egypt hosts talks\n\n"
            "Egypt hosted Israeli and Hamas negotiators in Cairo on Tuesday, officials said.\n\n"
            "Qatar condemned the Israeli strikes on Gaza.\n"
            "Israel rejected the Egyptian ceasefire proposal on Monday.\n"
            "Iran threatened Israel with retaliation over the strike.\n")
    c = clean_text(text)
    assert "Egypt hosted" in c.text and "Qatar condemned" not in c.text and "Iran threatened" not in c.text


def test_hard_wrapped_paragraphs_are_story():
    wrapped = ("Egypt condemns strikes\n\n"
               "Egypt's foreign minister condemned Israeli air strikes on Gaza in a phone\n"
               "call with his Israeli counterpart on Wednesday, the ministry said in a\n"
               "statement.\n\n"
               "Qatar will host the next round of talks.\n")
    c = clean_text(wrapped)
    assert c.text == wrapped and c.furniture == 0


def test_a_related_headline_gives_no_event():
    nlp, ex = load_nlp(), EventExtractor(load_lexicon())
    c = clean_text(SUDAN)
    assert not [e for e in ex.extract(nlp(c.text)).events if "South Africa" in e.sentence.text]
    assert [e for e in ex.extract(nlp(SUDAN)).events if "South Africa" in e.sentence.text]  # it would, left in


def test_a_legacy_encoding_goes_to_charset_normalizer(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "seeds" / "003_b725994c9d3c8be2.txt").read_text(encoding="utf-8")
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.replace("Sisi", "Sîsî").encode("cp1252", errors="replace"))
    article = read_article(f)
    assert "Sîsî" in article.text and "\u201c" in article.text  # no UTF-8 in it: a single-byte code page throughout
    assert any("charset-normalizer" in n for n in article.notes)


def test_a_verbless_caption_line_gives_no_event(tmp_path, capsys):
    text = ("Israeli strikes on Gaza\n\n"
            "Egypt condemned the Israeli strikes on Gaza, the foreign ministry said on Monday.\n\n"
            "Smoke over Gaza City after an Israeli air strike.\n\n"
            "Qatar called for calm.\n")
    nlp, ex = load_nlp(), EventExtractor(load_lexicon())
    assert [e for e in ex.extract(nlp(text)).events if e.sentence.text.startswith("Smoke")]  # it would, unfiltered
    f = tmp_path / "caption.txt"
    f.write_text(text, encoding="utf-8")
    out = tmp_path / "g.ttl"
    main(["build", str(f), "--out", str(out), "--quiet"])
    assert "page furniture: 1 lines" in capsys.readouterr().out
    g = Graph().parse(out)
    anchors = [str(o) for o in g.objects(None, NIF.anchorOf)]
    assert anchors and not [a for a in anchors if a.startswith("Smoke")]
    assert [a for a in anchors if a.startswith("Egypt condemned")]
