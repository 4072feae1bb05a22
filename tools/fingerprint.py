"""Fingerprints of everything the build produces, to prove a refactor changes no output.

For each corpus (the benchmark corpus, the seeds, the dev sets as one article per sentence) it builds
a graph with a fixed run time and writes, with their SHA-256: the extracted records (JSON, one line an
article), the graph as sorted N-Quads, and the events table (JSON lines). Run it before and after a
change and compare the digests (or diff the files).

    python tools/fingerprint.py OUT_DIR [--articles 300]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "dev"
RUN_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
sys.path.insert(0, str(ROOT / "benchmarks"))


def _api():
    """The build, store, reader, model and records functions (their homes moved with the architecture issue)."""
    try:
        from kg.extraction.component import doc_events, load_nlp
        from kg.extraction.records import to_data
        from kg.pipeline.options import BuildOptions
        from kg.pipeline.runner import build
        from kg.reading.article import read_article
        from kg.serving.events_table import event_rows
        from kg.store.graph_store import GraphStore
    except ImportError:
        from kg.component import doc_events
        from kg.events_table import event_rows
        from kg.read import read_article
        from kg.records import to_data

        from kg.nlp import load_nlp
        from kg.pipeline import BuildOptions, build
        from kg.store import GraphStore
    return BuildOptions, build, to_data, doc_events, load_nlp, read_article, event_rows, GraphStore


def corpora(work: Path, articles: int) -> dict[str, list[Path]]:
    from corpus import generate

    out = {"bench": sorted(generate(work / "bench", articles))}
    (work / "seeds").mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (work / "seeds" / seed.name).write_bytes(seed.read_bytes())
    out["seeds"] = sorted((work / "seeds").glob("*.txt"))
    dev = {"plover": SHARED / "plover_gsr_dev.jsonl", "petrarch2": SHARED / "petrarch2_gsr_plover.jsonl"}
    for name, path in dev.items():
        folder = work / name
        folder.mkdir()
        for i, line in enumerate(l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()):
            (folder / f"{i:04d}.txt").write_text(json.loads(line)["text"] + "\n", encoding="utf-8")
        out[name] = sorted(folder.glob("*.txt"))
    folder = work / "conflibert"
    folder.mkdir()
    rows = (SHARED / "conflibert" / "cameo_class_test.tsv").read_text(encoding="utf-8").splitlines()
    for i, row in enumerate(r for r in rows if r.strip()):
        (folder / f"{i:04d}.txt").write_text(row.rsplit("\t", 1)[0] + "\n", encoding="utf-8")
    out["conflibert"] = sorted(folder.glob("*.txt"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    BuildOptions, build, to_data, doc_events, load_nlp, read_article, event_rows, GraphStore = _api()
    import pyoxigraph as ox

    args.out.mkdir(parents=True, exist_ok=True)
    nlp = load_nlp(None)
    work = args.out / "inputs"  # a fixed place: paths travel into the graph as provenance
    shutil.rmtree(work, ignore_errors=True)
    for name, paths in corpora(work, args.articles).items():
        texts = [read_article(p).text for p in paths]
        records = [json.dumps([to_data(e) for e in doc_events(doc).events], sort_keys=True, default=str)
                   for doc in nlp.pipe(texts)]
        store = GraphStore()
        build([paths[0].parent], store, BuildOptions(run_time=RUN_TIME), log=lambda m: None)
        quads = sorted(ox.serialize(iter(store.ox), format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
        rows = [json.dumps(r, sort_keys=True, default=str) for r in event_rows(store)]
        for kind, lines in (("records", records), ("nquads", quads), ("events", rows)):
            data = ("\n".join(lines) + "\n").encode("utf-8")
            (args.out / f"{name}.{kind}").write_bytes(data)
            print(f"{hashlib.sha256(data).hexdigest()}  {name}.{kind} ({len(lines)} lines)")


if __name__ == "__main__":
    main()
