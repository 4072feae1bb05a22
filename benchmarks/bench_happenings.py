"""The happenings refresh's share of build time, and its peak memory, at 10k and 100k articles.

A base corpus (benchmarks/corpus.py, 1,000 articles by default) is built for real, happenings off, which
gives the build's time per article. Its article graphs are then copied into stores of 10k and 100k articles:
each copy gets new IRIs and a publication date spread over four years (the event dates it states shift with
it), so blocks grow as they would with real coverage of the same ~190 countries. In a fresh child process per
size, the whole happenings graph is computed from scratch (the first build of a store: every block), then again
after 1% more articles arrive (an incremental build: only the blocks they touch). The share is the refresh
time over the build time that many articles take (measured per article, times the size) plus the refresh.

    python benchmarks/bench_happenings.py [--base 1000] [--sizes 10000 100000] [--check]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate

CHILD = r"""
import datetime as dt, json, random, resource, sys, time
from pathlib import Path
import pyoxigraph as ox
from kg.happenings import refresh_happenings
from kg.store.graph_store import GraphStore
from kg.store.quads import ENTITY_GRAPH

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
DCT_DATE = "http://purl.org/dc/terms/date"
base, size, folder = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
src = GraphStore(base, read_only=True)
graphs = {}
entities = []
for q in src.ox.quads_for_pattern(None, None, None, None):
    if q.graph_name == ENTITY_GRAPH:
        entities.append(q)
    elif isinstance(q.graph_name, ox.NamedNode) and "/graph/" not in q.graph_name.value:
        graphs.setdefault(q.graph_name.value, []).append(q)
names = sorted(graphs)
start = dt.date(2020, 1, 1)
rng = random.Random(11)

def copy(i):
    article = names[i % len(names)]
    k = i // len(names)
    quads = graphs[article]
    own = {q.subject.value for q in quads}
    day = start + dt.timedelta(days=int(i * 4 * 365 / size))
    old_day = next((dt.date.fromisoformat(q.object.value) for q in quads if q.predicate.value == DCT_DATE), day)
    shift = day - old_day
    def term(t):
        if isinstance(t, ox.NamedNode) and t.value in own:
            return ox.NamedNode(f"{t.value}-c{k}")
        if isinstance(t, ox.Literal) and t.datatype == XSD_DATE:
            try:
                return ox.Literal((dt.date.fromisoformat(t.value) + shift).isoformat(), datatype=XSD_DATE)
            except ValueError:
                return t
        return t
    g = ox.NamedNode(f"{article}-c{k}")
    out = [ox.Quad(term(q.subject), q.predicate, term(q.object), g) for q in quads if q.predicate.value != DCT_DATE]
    out.append(ox.Quad(ox.NamedNode(f"{article}-c{k}"), ox.NamedNode(DCT_DATE), ox.Literal(day.isoformat(), datatype=XSD_DATE), g))
    return g.value, out

store = GraphStore(folder)
store.ox.bulk_extend(entities)
extra = max(1, size // 100)
order = list(range(size + extra))
rng.shuffle(order)
first, later = order[:size], order[size:]
batch = []
for i in first:
    name, quads = copy(i)
    batch += quads
    store.changed_articles.add(name)
    if len(batch) > 200_000:
        store.ox.bulk_extend(batch); batch = []
store.ox.bulk_extend(batch)
events = sum(1 for _ in store.query("SELECT ?e WHERE { ?e dip:article ?a ; dip:ploverType ?p }"))
t = time.perf_counter(); full = refresh_happenings(store, everything=True); full_s = time.perf_counter() - t
rss_full = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
batch = []
for i in later:
    name, quads = copy(i)
    batch += quads
    store.changed_articles.add(name)
store.ox.bulk_extend(batch)
t = time.perf_counter(); inc = refresh_happenings(store); inc_s = time.perf_counter() - t
same = None
if len(sys.argv) > 4:  # --check: a full refresh after the incremental one must change nothing
    again = refresh_happenings(store, everything=True)
    same = again.written == 0 and again.dissolved == 0
print(json.dumps({"same_as_full": same, "articles": size, "events": events, "happenings": full.happenings, "full_s": full_s,
                  "added": len(later), "inc_s": inc_s, "inc_blocks": inc.blocks, "inc_reports": inc.reports, "blocks": full.blocks,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_full_mb": rss_full / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=1000, help="articles built for real")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--check", action="store_true", help="then check the incremental refresh against a full one")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kg.pipeline.options import BuildOptions
    from kg.pipeline.runner import build
    from kg.store.graph_store import GraphStore

    work = Path(tempfile.mkdtemp(prefix="kg-happenings-"))
    try:
        corpus = work / "corpus"
        generate(corpus, args.base)
        store = GraphStore(work / "base")
        t = time.perf_counter()
        summary = build(sorted(corpus.glob("*.txt")), store, BuildOptions(happenings=False), log=lambda m: None)
        per_article = (time.perf_counter() - t) / max(summary.articles, 1)
        store.close()
        print(f"base: {summary.articles} articles built in {per_article * summary.articles:.0f}s "
              f"({per_article * 1000:.0f} ms per article, happenings off), {summary.events} events")
        print(f"{'articles':>9} {'events':>9} {'happenings':>10} {'refresh':>9} {'share':>6} {'+1% refresh':>12} "
              f"{'blocks redone':>14} {'peak RSS':>9}")
        for n in args.sizes:
            argv = [sys.executable, "-c", CHILD, str(work / "base"), str(n), str(work / f"store{n}")]
            out = subprocess.run(argv + (["check"] if args.check else []),
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{n:>9} failed: {out.stderr.strip().splitlines()[-1]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            build_s = per_article * n
            inc_build_s = per_article * r["added"]
            print(f"{n:>9,} {r['events']:>9,} {r['happenings']:>10,} {r['full_s']:>8.1f}s "
                  f"{100 * r['full_s'] / (build_s + r['full_s']):>5.1f}% {r['inc_s']:>11.1f}s "
                  f"{r['inc_blocks']:>6,} of {r['blocks']:<6,} {r['peak_rss_mb']:>7.0f}MB")
            print(f"{'':>9} incremental: {r['added']:,} articles more ({inc_build_s:.0f}s to build): "
                  f"refresh {100 * r['inc_s'] / (inc_build_s + r['inc_s']):.1f}% of that build, "
                  f"{r['inc_reports']:,} reports read"
                  + ("" if r["same_as_full"] is None else f"; same as a full refresh: {r['same_as_full']}"))
            shutil.rmtree(work / f"store{n}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
