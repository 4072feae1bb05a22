"""Median latency of every saved query on a store of >= 1M triples: Oxigraph vs rdflib's Memory store.

Both in memory, side by side; the last column is the same Oxigraph data bulk-loaded into an on-disk
(RocksDB) store opened read-only, as `kg query --store DIR` reads it.

The data: the graphs of `--articles` generated articles built by DiploKG, replicated with renamed
event, sentence, article and run IRIs until the store holds `--triples` triples (entities shared, as
in a real archive). Oxigraph runs each query `--runs` times, rdflib fewer (`--rdflib-runs`), on the
same triples; parameters are bound the same way in both (VALUES / initBindings).

    python benchmarks/bench_queries.py [--articles 200] [--triples 1000000]
"""
from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from corpus import generate
from rdflib import Graph, Literal, URIRef, Variable

from kg.graph.terms import to_rdflib
from kg.namespace import DIP
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.serving.queries import PAGE_KEY_RX, get_query, resolve_actor, saved_queries, solutions
from kg.store.graph_store import GraphStore
from kg.store.quads import ENTITY_GRAPH

KINDS = ("event/", "sentence/", "article/", "run/")


def replicate(store: GraphStore, target: int) -> GraphStore:
    big = GraphStore()
    base = [q for q in store.ox.quads_for_pattern(None, None, None, None)]
    entity = [q for q in base if q.graph_name == ENTITY_GRAPH]
    articles = [q for q in base if q.graph_name != ENTITY_GRAPH]
    big.ox.extend(entity)

    def rename(term, k: int):
        if isinstance(term, ox.NamedNode) and any(f"/resource/{kind}" in term.value for kind in KINDS):
            return ox.NamedNode(f"{term.value}-r{k}")
        if isinstance(term, ox.Literal) and term.value.endswith(".txt"):
            return ox.Literal(f"{term.value[:-4]}-r{k}.txt")
        return term

    k = 0
    while len(big) < target:
        big.ox.extend(ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k), rename(q.graph_name, k))
                      for q in articles)
        k += 1
    return big


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rdflib-runs", type=int, default=2)
    ap.add_argument("--no-rdflib", action="store_true", help="only Oxigraph, in memory and on disk (minutes faster)")
    ap.add_argument("--pages", type=int, default=5, help="pages of each paginated query timed on disk (first, second, middle, last)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-q-"))
    generate(work / "corpus", args.articles)
    small = GraphStore()
    build([work / "corpus"], small, BuildOptions(), log=lambda m: None)
    t = time.perf_counter()
    store = replicate(small, args.triples)
    print(f"Oxigraph store: {len(store):,} quads (built in {time.perf_counter() - t:.1f}s)", flush=True)
    store.export(work / "all.nq", "nq")
    t = time.perf_counter()
    with GraphStore(work / "disk") as writer:  # what `kg query --store DIR` reads: RocksDB on disk
        writer.bulk_load(work / "all.nq")
    print(f"Oxigraph on disk: bulk-loaded in {time.perf_counter() - t:.1f}s", flush=True)
    disk = GraphStore(work / "disk", read_only=True)
    t = time.perf_counter()
    rg = Graph()
    if not args.no_rdflib:
        for tr in store.merged_triples():
            rg.add((to_rdflib(tr.subject), to_rdflib(tr.predicate), to_rdflib(tr.object)))
        print(f"rdflib Memory graph: {len(rg):,} triples (loaded in {time.perf_counter() - t:.1f}s)", flush=True)
    # Millions of live rdflib objects make every full cyclic-GC pass slow, and a query that allocates
    # result rows triggers such passes: freeze what is loaded so neither engine is timed with that cost.
    gc.collect()
    gc.freeze()
    event = next(iter(store.ox.quads_for_pattern(None, ox.NamedNode(str(DIP.evidence)), None, None))).subject
    counts = sorted((int(r["n"].value), r["a"]) for r in store.ox.query(
        "SELECT ?a (COUNT(?e) AS ?n) WHERE { ?e <%s> ?a } GROUP BY ?a" % DIP.sourceActor, use_default_graph_as_union=True))
    typical, frequent = counts[len(counts) // 2][1], resolve_actor(store, "Egypt")
    runs = [(name, {}) for name in saved_queries() if name not in ("timeline", "evidence")]
    runs += [("evidence", {"_event_iri": event}), ("timeline", {"_actor_iri": frequent}), ("timeline*", {"_actor_iri": typical})]
    print(f"{'query':12} {'Oxigraph':>10} {'rdflib':>10} {'speed-up':>9} {'rows':>8} {'on disk':>10}"
          "   (timeline: Egypt; timeline*: a median actor)")
    for name, bindings in runs:
        q = get_query(name.rstrip("*"))
        rows = len(list(store.query(q.text, bindings)))
        ox_t = timed(lambda: list(store.query(q.text, bindings)), args.runs)
        init = {Variable(k): (URIRef(v.value) if isinstance(v, ox.NamedNode) else Literal(v.value)) for k, v in bindings.items()}
        rdf_t = (float("nan") if args.no_rdflib else
                 timed(lambda: list(rg.query(q.text, initBindings=init)), args.rdflib_runs))
        disk_t = timed(lambda: list(disk.query(q.text, bindings)), args.runs)
        rdf_cells = f"{'-':>10} {'-':>9}" if args.no_rdflib else f"{rdf_t * 1000:8.0f}ms {rdf_t / ox_t:8.0f}x"
        print(f"{name:12} {ox_t * 1000:8.1f}ms {rdf_cells} {rows:8,} {disk_t * 1000:8.1f}ms",
              flush=True)
    largest = counts[-1][1]
    print("\npages on disk (a page: `#+ pagination` keys of `#+ page_by`, every row of each):")
    for name, params, who in [("events", {}, ""), ("timeline", {"actor": largest.value}, "the most frequent actor"),
                              ("timeline", {"actor": frequent.value}, "Egypt"),
                              ("timeline", {"actor": typical.value}, "a median actor")]:
        q = get_query(name)
        key = PAGE_KEY_RX.search(q.page_by).group(1)
        bound = {"_actor_iri": ox.NamedNode(params["actor"])} if params else {}
        prologue = q.text[:q.text.index("SELECT")]
        n = int(next(iter(disk.query(f"{prologue}SELECT (COUNT(DISTINCT ?{key}) AS ?n) WHERE {{ {q.page_by} }}",
                                     bound)))["n"].value)
        last = max(1, -(-n // q.pagination))
        for page in sorted(p for p in {1, 2, last // 2, last} if 1 <= p <= last)[:args.pages]:
            page_params = {**params, "page": str(page)}
            rows = len(list(solutions(disk, q, page_params)))
            t = timed(lambda: list(solutions(disk, q, page_params)), args.runs)
            print(f"{name:8} {who:24} page {page:>5,} of {last:>5,} ({q.pagination} {key}s, {rows:>4} rows): "
                  f"{t * 1000:6.1f} ms", flush=True)

if __name__ == "__main__":
    main()
