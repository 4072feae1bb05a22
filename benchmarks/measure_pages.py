"""Events from page furniture vs from the story, per saved page (tests/fixtures/pages/expected.json).

    kg build tests/fixtures/pages --out pages.ttl && python benchmarks/measure_pages.py pages.ttl

An event counts as furniture when one of its evidence sentences holds one of the page's furniture phrases,
as story when it holds a story phrase, as headline when it is the page's title; any other is listed so it can be looked at.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.namespace import DIP, NIF

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


def classify(graph: Graph, expected: dict) -> dict[str, Counter]:
    counts: dict[str, Counter] = {name: Counter() for name in expected if not name.startswith("_")}
    for event in set(graph.subjects(DIP.evidence, None)):
        # an event merged from several mentions has several evidence sentences: any from furniture counts
        anchor = " || ".join(str(graph.value(s, NIF.anchorOf)) for s in graph.objects(event, DIP.evidence))
        name = str(graph.value(graph.value(event, DIP.article), DIP.fileName))
        page = expected.get(name, {})
        if any(p in anchor for p in page.get("furniture", [])):
            kind = "furniture"
        elif any(p in anchor for p in page.get("story", [])):
            kind = "story"
        elif page.get("title") and anchor.strip() and (anchor.strip() in page["title"] or page["title"] in anchor):
            kind = "headline"
        else:
            kind = "other"
            print(f"  other ({name}): {anchor!r}")
        counts.setdefault(name, Counter())[kind] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", help="graph built from tests/fixtures/pages")
    args = ap.parse_args()
    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    g = Graph().parse(args.graph)
    articles = {str(g.value(a, DIP.fileName)) for a in g.subjects(RDF.type, DIP.Article)}
    counts = classify(g, expected)
    print(f"{'page':26} {'read':5} {'story':>6} {'headline':>9} {'furniture':>10} {'other':>6}")
    for name, c in sorted(counts.items()):
        read = "yes" if name in articles else "no"
        print(f"{name:26} {read:5} {c['story']:6} {c['headline']:9} {c['furniture']:10} {c['other']:6}")
    total = sum(counts.values(), Counter())
    print(f"{'total':26} {'':5} {total['story']:6} {total['headline']:9} {total['furniture']:10} {total['other']:6}")


if __name__ == "__main__":
    main()
