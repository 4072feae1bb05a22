"""Peak memory and per-article validation time as the corpus grows (1k, 5k, 10k articles by default).

Each size is built by `kg build --store` in a fresh child process; its peak RSS is read from the
kernel (ru_maxrss of the child), its validation time from the build summary.

    python benchmarks/bench_memory.py [--sizes 1000 5000 10000]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import generate

CHILD = """
import json, sys, time
from pathlib import Path
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.store.graph_store import GraphStore
files = sorted(Path(sys.argv[1]).glob('*.txt'))[: int(sys.argv[2])]
store = GraphStore(Path(sys.argv[3]))
s = build(files, store, BuildOptions(), log=lambda m: None)
print(json.dumps({"articles": s.articles, "seconds": s.seconds, "validation_ms": 1000 * s.validation_seconds / max(s.articles, 1),
                  "quads": len(store)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-mem-"))
    corpus = work / "corpus"
    generate(corpus, max(args.sizes))
    print(f"{'articles':>9} {'peak RSS':>10} {'validation/article':>19} {'articles/s':>11} {'quads':>10}")
    for n in args.sizes:
        script = ("import resource, subprocess, sys\n"
                  f"r = subprocess.run([sys.executable, '-c', {CHILD!r}, {str(corpus)!r}, '{n}', {str(work / f'store{n}')!r}],"
                  " capture_output=True, text=True)\n"
                  "print(r.stdout.strip().splitlines()[-1] if r.returncode == 0 else r.stderr)\n"
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.splitlines()
        stats, peak_kb = json.loads(out[0]), int(out[1])
        print(f"{n:>9} {peak_kb / 1024:>8.0f} MiB {stats['validation_ms']:>16.1f} ms {stats['articles'] / stats['seconds']:>11.1f} "
              f"{stats['quads']:>10,}", flush=True)
        shutil.rmtree(work / f"store{n}", ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    _ = resource


if __name__ == "__main__":
    main()
