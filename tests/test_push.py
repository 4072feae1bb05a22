"""`kg push` against a real Oxigraph server (`oxigraph serve` from PyPI), started here and stopped after."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import SEEDS

from kg.cli.app import main
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.serving.push import graphs_of
from kg.store.graph_store import GraphStore
from kg.store.quads import HAPPENINGS_GRAPH

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
MEETINGS = "PREFIX dip: <https://w3id.org/diplokg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?e a dip:Meeting }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def oxigraph_server(tmp_path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail(f"oxigraph serve did not start: {proc.stderr.read1().decode() if proc.stderr else ''}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def server_counts(base: str, query: str = COUNTS) -> dict[str, int]:
    r = httpx.get(base + "/query", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return {b.get("g", {}).get("value", ""): int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def _local_counts(store_dir: Path) -> dict[str, int]:
    with GraphStore(store_dir, read_only=True) as local:
        return {g: len(t) for g, t in graphs_of(local).items()}


@pytest.mark.slow
def test_push_then_push_again_then_a_changed_article(oxigraph_server, tmp_path, capsys):
    endpoint = oxigraph_server + "/store"
    articles, store_dir = tmp_path / "articles", tmp_path / "store"
    shutil.copytree(SEEDS, articles)
    with GraphStore(store_dir) as s:
        build([articles], s, BuildOptions(), log=lambda m: None)
    assert main(["push", endpoint, "--store", str(store_dir), "--quiet"]) == 0
    first = capsys.readouterr().out
    expected = _local_counts(store_dir)
    assert len(expected) == 4  # two articles, the entity graph and the happenings graph
    assert HAPPENINGS_GRAPH.value in expected
    assert server_counts(oxigraph_server) == expected
    assert "graphs: 4 replaced, 0 unchanged" in first
    # named graphs are queried as one graph only with the union default graph (or FROM / GRAPH)
    assert server_counts(oxigraph_server, MEETINGS)[""] == 0
    assert main(["push", endpoint, "--store", str(store_dir), "--quiet"]) == 0
    second = capsys.readouterr().out
    assert "graphs: 0 replaced, 4 unchanged" in second and "triples sent: 0" in second
    # one article changes and is rebuilt: its graph, the entity graph (a new place) and the happenings graph (a new
    # meeting) are replaced, not the other article's
    changed = sorted(articles.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nQatar's emir met King Abdullah of Jordan in Doha on Friday.\n",
                       encoding="utf-8")
    with GraphStore(store_dir) as s:
        summary = build([articles], s, BuildOptions(), log=lambda m: None)
    assert summary.articles == 1 and summary.unchanged == 1
    assert main(["push", endpoint, "--store", str(store_dir), "--quiet"]) == 0
    third = capsys.readouterr().out
    assert "1 unchanged" in third
    assert server_counts(oxigraph_server) == _local_counts(store_dir)
    print(f"\npush counts: first: {' / '.join(first.splitlines())}; second: {' / '.join(second.splitlines())}; "
          f"after one changed article: {' / '.join(third.splitlines())}", file=sys.__stdout__)


@pytest.mark.slow
def test_push_two_articles_of_one_outlet(oxigraph_server, tmp_path, capsys):
    """The outlet both articles point to is pushed once, in the entity graph; a second push sends nothing."""
    from test_pages import two_pages_of_one_outlet

    endpoint = oxigraph_server + "/store"
    two_pages_of_one_outlet(tmp_path / "pages")
    with GraphStore(tmp_path / "store") as s:
        build([tmp_path / "pages"], s, BuildOptions(), log=lambda m: None)
    assert main(["push", endpoint, "--store", str(tmp_path / "store"), "--quiet"]) == 0
    assert "graphs: 4 replaced" in capsys.readouterr().out  # the two articles, the entities, the happenings
    assert server_counts(oxigraph_server) == _local_counts(tmp_path / "store")
    where = server_counts(oxigraph_server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
                                           "<https://w3id.org/diplokg/resource/agent/anadolu-wire> ?p ?o } } GROUP BY ?g")
    assert where == {"https://w3id.org/diplokg/resource/graph/entities": 3}  # its two types and its label, once
    assert main(["push", endpoint, "--store", str(tmp_path / "store"), "--quiet"]) == 0
    assert "graphs: 0 replaced, 4 unchanged" in capsys.readouterr().out


def test_push_a_graph_file_splits_it_into_article_graphs(oxigraph_server, seeds_ttl, seeds_store, capsys):
    assert main(["push", oxigraph_server + "/store", "--graph", str(seeds_ttl), "--quiet"]) == 0
    counts = server_counts(oxigraph_server)
    assert counts == {g: len(t) for g, t in graphs_of(seeds_store).items()}  # the store's own layout


def test_push_errors_are_one_line(tmp_path, seeds_ttl, capsys):
    port = free_port()  # nothing listens there
    assert main(["push", f"http://127.0.0.1:{port}/store", "--graph", str(seeds_ttl)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error:") and "cannot reach" in err and len(err.strip().splitlines()) == 1
    assert main(["push", "localhost:7878", "--graph", str(seeds_ttl)]) == 2
    assert main(["push", f"http://127.0.0.1:{port}/store", "--graph", str(seeds_ttl), "--user", "u"]) == 2
    assert "--password-env" in capsys.readouterr().err
