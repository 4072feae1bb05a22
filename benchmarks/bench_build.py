"""Build throughput against bare spaCy, side by side in one run, and per-article validation time.

Bare: `nlp.pipe` over the same texts with the same model, batch size and process count (the DiploKG
pipeline, gazetteer included, without its event component), so extraction and all that follows it
is what differs. Build: `kg build`'s
library function into an on-disk Oxigraph store. Runs alternate, `--repeat` times; each run's ratio
compares two neighbours in time, so their median is the headline (the machine's speed drifts).

    python benchmarks/bench_build.py [--articles 1000] [--jobs 1] [--batch-size 32] [--repeat 2] [--article-date D]

`--article-date` dates every article (as a page's own date would): relative dates then resolve, and the
date has to travel with each text to the worker processes.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from corpus import generate

from kg.extraction.component import load_nlp
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.reading.article import read_article
from kg.store.graph_store import GraphStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder (default: generate one)")
    ap.add_argument("--article-date", help="publication date (YYYY-MM-DD) given to every article")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    folder = args.corpus or work / "corpus"
    if args.corpus is None:
        generate(folder, args.articles)
    files = sorted(folder.glob("*.txt"))[: args.articles]
    nlp = load_nlp()
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    bare_t, build_t, val_t = [], [], []
    for rep in range(args.repeat):
        t = time.perf_counter()
        texts = (read_article(p).text for p in files)
        with nlp.select_pipes(disable=[n for n in ("diplokg_events",) if n in nlp.pipe_names]):
            for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.jobs):
                pass
        bare_t.append(time.perf_counter() - t)
        store_dir = work / f"store{rep}"
        t = time.perf_counter()
        summary = build(files, GraphStore(store_dir), BuildOptions(batch_size=args.batch_size, n_process=args.jobs,
                                                                  article_date=args.article_date),
                        log=lambda m: None)
        build_t.append(time.perf_counter() - t)
        val_t.append(summary.validation_seconds / max(summary.articles, 1))
        shutil.rmtree(store_dir, ignore_errors=True)
        print(f"run {rep + 1}: bare {bare_t[-1]:.1f}s  build {build_t[-1]:.1f}s  ratio {bare_t[-1] / build_t[-1]:.2f}", flush=True)
    bare, full = statistics.median(bare_t), statistics.median(build_t)
    dated = f"; dated {args.article_date}" if args.article_date else ""
    print(f"corpus: {len(files)} articles, {words:,} words; model {nlp.meta['name']}; jobs {args.jobs}; "
          f"batch {args.batch_size}{dated}")
    print(f"bare nlp.pipe : {words / bare:8,.0f} words/s  {len(files) / bare:6.1f} articles/s")
    print(f"kg build      : {words / full:8,.0f} words/s  {len(files) / full:6.1f} articles/s")
    ratios = sorted(b / f for b, f in zip(bare_t, build_t))
    print(f"ratio (build / bare throughput): {statistics.median(ratios):.2f} median of the runs' ratios "
          f"({', '.join(f'{r:.2f}' for r in ratios)}); {bare / full:.2f} from the median times  (goal >= 0.90)")
    print(f"validation per article: {statistics.median(val_t) * 1000:.1f} ms")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
