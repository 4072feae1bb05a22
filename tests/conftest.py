"""Shared fixtures: the seeds built once per test session with the real spaCy model, shapes and store."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.serving.queries import get_query, run_query
from kg.store.graph_store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def plain(rows: list[dict]) -> list[dict[str, str]]:
    """Query rows as {variable: lexical value} for easy assertions."""
    return [{k: v.value for k, v in r.items()} for r in rows]


@pytest.fixture(scope="session")
def seeds_store() -> GraphStore:
    store = GraphStore()
    summary = build([SEEDS], store, BuildOptions(), log=lambda m: None)
    assert summary.articles == 2 and not summary.skipped
    return store


@pytest.fixture(scope="session")
def seeds_graph(seeds_store):
    return seeds_store.to_rdflib()


@pytest.fixture(scope="session")
def seeds_ttl(tmp_path_factory, seeds_store) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "seeds.ttl"
    seeds_store.export(out)
    return out


@pytest.fixture(scope="session")
def run(seeds_store):
    def _run(name: str, **params: str) -> list[dict[str, str]]:
        _, rows = run_query(seeds_store, get_query(name), params)
        return plain(rows)
    return _run


@pytest.fixture(scope="session")
def events(run) -> list[dict[str, str]]:
    return run("events")
