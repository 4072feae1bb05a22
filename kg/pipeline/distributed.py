"""`kg build --engine dask`: shard the input over Dask workers, then bulk-load their N-Quads shards.

Each worker runs the same per-article pipeline as the local engine (`pipeline.processed`) on its
shard of files and writes one N-Quads file (article graphs plus the entity graph). The client then
removes the graphs of changed articles and bulk-loads every shard into the store in one step. Runs
on a LocalCluster here, or on any cluster by address (`--scheduler tcp://host:8786`); shards go to a
folder the workers and the client share.
"""
from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from ..graph.rdfmap import article_iri, vocabulary_graph
from ..happenings import refresh_happenings
from ..reading.files import InputError, InputNote, article_id, display, input_files
from ..store.files import atomic_output
from ..store.graph_store import GraphStore
from ..store.quads import article_quads
from .options import BuildOptions, BuildSummary, Log, _note, _skip, _stderr
from .runner import processed


def process_shard(files: list[tuple[str, str]], shard: str, opts: BuildOptions,
                  known: dict[str, str]) -> tuple[BuildSummary, list[str]]:
    """Run on a worker: build the graphs of `files`, write them as one N-Quads shard; return the
    summary and the IRIs of the articles it holds."""
    summary = BuildSummary()
    quads: list[ox.Quad] = []
    messages: list[str] = []
    built: list[str] = []

    def unchanged(article) -> bool:
        return known.get(str(article_iri(article))) == article.content_hash

    for _, mapped, _ in processed(files, opts, summary, messages.append, unchanged):
        quads.extend(article_quads(mapped.article, mapped.graph))
        built.append(str(mapped.article))
    with atomic_output(Path(shard)) as tmp:
        ox.serialize(quads, str(tmp), ox.RdfFormat.N_QUADS)
    summary.notes += messages
    return summary, built


def build_dask(paths: list[str | Path], store: GraphStore, opts: BuildOptions | None = None, *,
               scheduler: str | None = None, workers: int = 2, shard_size: int = 50,
               shard_dir: Path | None = None, log: Log = _stderr) -> BuildSummary:
    """Build with Dask: same articles, same triples as `pipeline.build`, one bulk load at the end."""
    from dask.distributed import Client, LocalCluster, as_completed

    opts = replace(opts or BuildOptions(), n_process=1)
    if opts.run_time is None:
        opts.run_time = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    start = time.perf_counter()
    summary = BuildSummary()
    files: list[tuple[str, str]] = []  # (absolute path, path relative to its input folder: the article's id)
    ids: dict[str, str] = {}
    for item in input_files(paths):
        if isinstance(item, tuple):
            first = ids.setdefault(article_id(item[1]), display(item[0]))
            if first != display(item[0]):  # refused here as the local engine does: shards cannot see each other
                _skip(summary, log, InputError(item[0], f"same article id {article_id(item[1])!r} as {first}; "
                                               "rename one of them", "duplicate-id"))
                continue
            files.append((str(item[0].resolve()), item[1]))
        elif isinstance(item, InputNote):
            _note(summary, log, item)
        else:
            _skip(summary, log, item)
    if shard_dir is None:
        base = store.path.resolve() if store.path is not None else Path.cwd() / "kg-build"
        shard_dir = base.parent / f".{base.name}.shards"
    shard_dir.mkdir(parents=True, exist_ok=True)
    known = store.article_hashes()
    shards = [files[i:i + shard_size] for i in range(0, len(files), shard_size)]
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = [client.submit(process_shard, chunk, str(shard_dir / f"shard-{i:05d}.nq"), opts, known, pure=False)
                   for i, chunk in enumerate(shards)]
        results = [f.result() for f in as_completed(futures)]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for result, built in results:
        for note in result.notes:
            log(note)
        summary.merge(result)
    store.put_entities(vocabulary_graph())
    for i in range(len(shards)):  # a changed article's graph is replaced in the transaction that writes it
        store.load_shard(shard_dir / f"shard-{i:05d}.nq")
    store.flush()
    if opts.happenings:
        summary.happenings = refresh_happenings(store)
    shutil.rmtree(shard_dir, ignore_errors=True)
    summary.seconds = time.perf_counter() - start
    return summary
