"""The persistent store grows article by article; ingest is idempotent; a changed article replaces only its
own graph; the Dask engine gives the same output as the local one."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.cli.app import main
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.store.graph_store import GraphStore
from kg.store.quads import ENTITY_GRAPH

ROOT = Path(__file__).resolve().parent.parent
RUN_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def corpus(tmp: Path, n_extra: int = 4) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    folder = tmp / "corpus"
    folder.mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    generate(folder, n_extra, seed=3)
    return folder


def graphs(store: GraphStore) -> dict[str, set]:
    out: dict[str, set] = {}
    for q in store.ox.quads_for_pattern(None, None, None, None):
        out.setdefault(str(q.graph_name), set()).add(str(q.triple))
    return out


def quiet(*args) -> int:
    return main([str(a) for a in args] + ["--quiet"])


def test_ingest_twice_adds_nothing(tmp_path, capsys):
    store = tmp_path / "store"
    assert quiet("build", ROOT / "seeds", "--store", store) == 0
    first = graphs(GraphStore(store))
    capsys.readouterr()
    assert quiet("build", ROOT / "seeds", "--store", store) == 0
    assert "0 built, 2 unchanged" in capsys.readouterr().out
    assert graphs(GraphStore(store)) == first
    assert len(first) == 4  # two article graphs, the entity graph and the happenings graph


def test_changed_article_replaces_only_its_graph(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    store_dir = tmp_path / "store"
    assert quiet("build", folder, "--store", store_dir) == 0
    before = graphs(GraphStore(store_dir))
    changed = folder / "003_b725994c9d3c8be2.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nQatar condemned the strikes on Rafah.\n", encoding="utf-8")
    assert quiet("build", folder, "--store", store_dir) == 0
    after = graphs(GraphStore(store_dir))
    g000 = "<https://w3id.org/diplokg/resource/article/000-fd42dbf56b6c0067>"
    g003 = "<https://w3id.org/diplokg/resource/article/003-b725994c9d3c8be2>"
    assert after[g000] == before[g000]
    assert after[g003] != before[g003]
    assert any("Qatar condemned" in t for t in after[g003])
    assert before[str(ENTITY_GRAPH)] <= after[str(ENTITY_GRAPH)]
    store = GraphStore(store_dir)
    egypt_types = list(store.ox.quads_for_pattern(ox.NamedNode("https://w3id.org/diplokg/resource/country/EGY"),
                                                  ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None))
    assert len(egypt_types) == 1  # one node, one description, in the entity graph


def test_store_is_queried_validated_and_exported(tmp_path, capsys):
    store = tmp_path / "store"
    assert quiet("build", ROOT / "seeds", "--store", store) == 0
    capsys.readouterr()
    assert main(["query", "mediations", "--store", str(store), "--format", "csv"]) == 0
    assert "Qatar" in capsys.readouterr().out
    assert main(["validate", "--store", str(store)]) == 0
    nq, ttl = tmp_path / "g.nq", tmp_path / "g.ttl"
    assert main(["export", "--store", str(store), "--out", str(nq)]) == 0
    assert main(["export", "--store", str(store), "--out", str(ttl)]) == 0
    ds = Dataset()
    ds.parse(nq, format="nquads")
    names = {str(c.identifier) for c in ds.graphs() if len(c)}
    assert str(ENTITY_GRAPH.value) in names and len(names) == 4  # and the happenings graph
    assert len(Graph().parse(ttl)) == len({(s, p, o) for s, p, o, _ in ds.quads()})


def test_dask_output_equals_local_output(tmp_path):
    from kg.pipeline.distributed import build_dask

    folder = corpus(tmp_path)
    local, dask = GraphStore(tmp_path / "local"), GraphStore(tmp_path / "dask")
    s1 = build([folder], local, BuildOptions(run_time=RUN_TIME), log=lambda m: None)
    s2 = build_dask([folder], dask, BuildOptions(run_time=RUN_TIME), workers=2, shard_size=2, log=lambda m: None)
    assert s1.articles == s2.articles == 6 and s1.events == s2.events
    assert graphs(local) == graphs(dask)
    s3 = build_dask([folder], dask, BuildOptions(run_time=RUN_TIME), workers=2, shard_size=2, log=lambda m: None)
    assert s3.articles == 0 and s3.unchanged == 6 and graphs(local) == graphs(dask)
    # a changed article replaces its graph in the shard load's transaction, as the local engine does
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEgypt condemned the attack on the convoy.\n",
                       encoding="utf-8")
    build([folder], local, BuildOptions(run_time=RUN_TIME), log=lambda m: None)
    s4 = build_dask([folder], dask, BuildOptions(run_time=RUN_TIME), workers=2, shard_size=2, log=lambda m: None)
    assert s4.articles == 1 and graphs(local) == graphs(dask)


def test_no_progress_bar_in_pipes(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "--out", str(tmp_path / "g.ttl")],
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert "\r" not in r.stderr and "article/s" not in r.stderr
    assert "articles: 2 built" in r.stdout
