"""The graph store: Oxigraph (pyoxigraph), in memory for a one-off build or on disk with `--store DIR`.

Layout: one named graph per article (its events, sentences, article and run description), and one
entity graph for what articles share (countries, people, organisations, places, outlets, authors,
the software agent), so re-ingesting or replacing an article touches its own graph only and shared
entities are never duplicated. Turtle and N-Triples exports give the merged graph; N-Quads and TriG keep graphs.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..graph.terms import to_ox, to_rdflib
from ..namespace import DIP, PREFIXES
from .files import StoreError, StoreLock, atomic_output, write_error
from .formats import check_xml, export_prefixes, format_for, max_graph_bytes, write_compact_jsonld
from .quads import ENTITY_GRAPH, HAPPENINGS_GRAPH, _replace_update, article_quads, described_anew

PENDING_MARKER = "happenings.pending"
PLOVER_TYPE = ox.NamedNode(str(DIP.ploverType))  # an article graph's events are the subjects of their type


class GraphStore:
    """An Oxigraph dataset with DiploKG's article-per-graph layout."""

    WRITE_BATCH = 20_000  # quads buffered before one store transaction (bounded memory, far fewer commits)
    KNOWN_ENTITIES = 200_000  # entity triples remembered as written (bounded memory; forgetting one only rewrites it)

    def __init__(self, path: Path | None = None, read_only: bool = False, log=None, wait: bool = True):
        self.path = path
        self.read_only = read_only
        self._pending: list[ox.Quad] = []  # new articles' quads: one transaction
        self._replacing: dict[str, list[ox.Quad]] = {}  # stored articles' new quads: dropped and written together
        self._pending_articles: set[str] = set()  # articles buffered
        self._writing_articles: set[str] = set()  # articles being written by the writer thread
        self._known_entities: set[tuple] = set()  # entity triples this store has written (or has buffered)
        self.changed_articles: set[str] = set()  # written or removed since the happenings were last refreshed
        self.changed_entities: set[str] = set()  # entities described anew since then (an actor's country may be new)
        self.replaced_events: set[str] = set()  # events of the article graphs replaced or removed since then
        # written before a build's articles, removed after its happenings (kg/happenings/refresh.py)
        self.marker = path / PENDING_MARKER if path is not None else None
        self.happenings_stale = self.marker is not None and self.marker.exists()
        # Write-behind: one batch is committed on a background thread (Oxigraph releases the GIL while it
        # writes) while the next one fills; anything that reads the store waits for it first.
        self._writer: threading.Thread | None = None
        self._writer_error: BaseException | None = None
        self._lock = StoreLock(path, exclusive=not read_only, log=log, wait=wait) if path is not None else None
        try:
            if path is None:
                self.ox = ox.Store()
            else:
                self.ox = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            if self._lock is not None:
                self._lock.release()
            raise StoreError(f"{path}: cannot open store: {str(exc).splitlines()[0]}") from None

    def snapshot(self, target: Path) -> GraphStore:
        """A read-only copy of this store as it is now (RocksDB checkpoint: hard links, cheap), opened on its own
        lock: a long-running reader (`kg serve --store`) holds it instead of this store, so builds go on."""
        if self.path is None:
            raise StoreError("only an on-disk store has snapshots")
        self.flush()
        try:
            self.ox.backup(str(target))
        except OSError as exc:
            raise StoreError(f"{target}: cannot snapshot the store: {str(exc).splitlines()[0]}") from None
        return GraphStore(target, read_only=True)

    def close(self) -> None:
        """Release the on-disk store (its lock) now rather than at garbage collection."""
        import gc

        try:
            if hasattr(self, "ox"):
                self.flush()
        finally:
            if self.path is not None and hasattr(self, "ox"):
                del self.ox
                gc.collect()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def article_hash(self, article: URIRef) -> str | None:
        """The content hash stored for an article, if it is in the store."""
        if self._is_pending(str(article)):
            self._write()

        for q in self.ox.quads_for_pattern(ox.NamedNode(str(article)), ox.NamedNode(str(DIP.contentHash)), None,
                                           ox.NamedNode(str(article))):
            return q.object.value
        return None

    def put_article(self, article: URIRef, graph: Graph) -> None:
        """Replace the article's named graph with `graph`; shared entities go to the entity graph.

        The old graph is dropped in the same transaction that writes the new one, so a kill at any
        moment leaves the article either as it was or as it is now, never gone or half-written.
        """
        if len(self._known_entities) > self.KNOWN_ENTITIES:
            self._known_entities = set()
        # converted now: a term the store refuses fails this article only
        quads = article_quads(article, graph, self._known_entities)
        key = str(article)
        if self._is_pending(key):
            self._write()
        self._note_change(key)
        self.changed_entities |= described_anew(self.ox, quads)
        if self._has_graph(ox.NamedNode(key)):
            self._replacing[key] = quads
        else:
            self._pending.extend(quads)
        self._pending_articles.add(key)
        if len(self._pending) + sum(map(len, self._replacing.values())) >= self.WRITE_BATCH:
            self._write(wait=False)

    def _write(self, wait: bool = True) -> None:
        """Commit what is buffered (new articles in one bulk ingestion, replaced ones in one transaction) on the
        writer thread; with `wait`, return once everything is in the store. A failed write raises StoreWriteError
        here or at the next write, flush or read."""
        self._join_writer()
        pending, replacing = self._pending, self._replacing
        if pending or replacing:
            self._pending, self._replacing = [], {}
            self._writing_articles, self._pending_articles = self._pending_articles, set()
            # not a daemon: an interpreter that exits first lets the transaction finish
            self._writer = threading.Thread(target=self._commit, args=(pending, replacing), name="kg-store-writer")
            self._writer.start()
            if wait:
                self._join_writer()

    def _commit(self, pending: list[ox.Quad], replacing: dict[str, list[ox.Quad]]) -> None:
        try:
            if pending:
                # Bulk ingestion: sorted files added to all indexes in one RocksDB step (atomic across them, like a
                # transaction: all of these articles or none), at a third of the CPU of a transactional insert,
                # which reads before it writes. New articles only: their quads are not in the store yet.
                self.ox.bulk_extend(pending)
            if replacing:
                self.ox.update(_replace_update(replacing))  # drops and inserts in one transaction
        except BaseException as exc:  # noqa: BLE001 - handed to the building thread by _join_writer
            self._writer_error = exc

    def _is_pending(self, key: str) -> bool:
        """Whether the article is buffered or being written (a read of it must wait for the write)."""
        return key in self._pending_articles or key in self._writing_articles

    def _join_writer(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        self._writing_articles = set()
        exc, self._writer_error = self._writer_error, None
        if exc is not None:
            self._known_entities = set()  # some may not have been written
            if isinstance(exc, OSError):
                raise write_error(self.path or "store", exc) from None
            raise exc

    def put_entities(self, graph: Graph) -> None:
        """Add shared descriptions (vocabularies, entities) to the entity graph."""
        self._write()
        self.ox.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ENTITY_GRAPH) for s, p, o in graph)

    def remove_article(self, article: URIRef | str) -> None:
        if self._is_pending(str(article)):
            self._write()
        g_article = ox.NamedNode(str(article))
        if self._has_graph(g_article):
            self._note_change(str(article))
            self.ox.remove_graph(g_article)

    def _note_change(self, article: str) -> None:
        """An article is written or removed: its old events, and the marker that happenings are due."""
        if self.marker is not None and not self.changed_articles and not self.read_only:
            self.marker.write_text("happenings to refresh\n", encoding="utf-8")
        self.changed_articles.add(article)
        self.replaced_events.update(q.subject.value for q in self.ox.quads_for_pattern(
            None, PLOVER_TYPE, None, ox.NamedNode(article)))

    def settle(self) -> None:
        """Wait until every buffered write is in the store (before reading it directly through `self.ox`)."""
        self._write()

    def pending_quads(self) -> int:
        return len(self._pending) + sum(map(len, self._replacing.values()))

    def _has_graph(self, g: ox.NamedNode) -> bool:
        return any(True for _ in self.ox.quads_for_pattern(None, None, None, g))

    def article_hashes(self) -> dict[str, str]:
        """Every stored article's IRI and content hash (what a distributed build may skip)."""
        self._write()
        return {q.subject.value: q.object.value
                for q in self.ox.quads_for_pattern(None, ox.NamedNode(str(DIP.contentHash)), None, None)}

    def load_shard(self, path: Path) -> None:
        """Load a distributed build's N-Quads shard as `put_article` writes: a stored article's old graph is
        dropped in the transaction that writes its new one, new articles go in together, never half-written."""
        by_graph: dict[str, list[ox.Quad]] = {}
        try:
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                by_graph.setdefault(str(q.graph_name), []).append(q)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{path}: cannot read shard: {str(exc).splitlines()[0]}") from None
        entities = by_graph.pop(str(ENTITY_GRAPH), [])
        self.changed_entities |= described_anew(self.ox, entities)
        if entities:
            self.ox.extend(entities)
        for name, quads in by_graph.items():
            key = quads[0].graph_name.value if isinstance(quads[0].graph_name, ox.NamedNode) else None
            if key is not None:
                self._note_change(key)
            if key is None:
                self._pending.extend(quads)
            elif self._has_graph(ox.NamedNode(key)):
                self._replacing[key] = quads
            else:
                self._pending.extend(quads)
        self._write()

    def bulk_load(self, path: Path) -> None:
        """Load an N-Quads file in one bulk step (not transactional: for loading into an empty store)."""
        self.ox.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def load_file(self, path: Path, fmt: str | None = None) -> None:
        """Load an RDF file; triples go to the default graph, quads keep their graphs.

        Hardened for files from anywhere: a size cap, a UTF-8 byte order mark skipped, and RDF/XML
        refused if it declares DTD entities (no 'billion laughs') or nests deeper than a cap.
        """
        rdf_format = format_for(fmt, path)
        try:
            size = path.stat().st_size
            cap = max_graph_bytes()
            if size > cap:
                raise StoreError(f"{path}: too large to load ({size:,} bytes > {cap:,}; "
                                 "set DIPLOKG_MAX_GRAPH_BYTES to raise the limit)")
            if rdf_format == ox.RdfFormat.RDF_XML:
                check_xml(path)
            with path.open("rb") as fh:
                if fh.read(3) != b"\xef\xbb\xbf":
                    fh.seek(0)
                self.ox.load(fh, format=rdf_format)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: not valid RDF: {(str(exc).strip().splitlines() or ['?'])[0]}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None

    def flush(self) -> None:
        self._write()
        if self.path is not None and not self.read_only:
            try:
                self.ox.flush()
            except OSError as exc:
                raise write_error(self.path, exc) from None

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        self._write()
        return len(self.ox)

    def query(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None):
        """Run SPARQL over the union of all graphs, with `bindings` joined in as a VALUES block.

        The values are RDF terms serialised by Oxigraph (escaped N-Triples syntax), joined at the top of
        the WHERE clause as rdflib's initBindings does; no user text is ever spliced into the query.
        (Oxigraph's own `substitutions` only accept projected variables, and parameters are not.)
        """
        self._write()
        if bindings:
            from .sparql_text import inject_values

            sparql = inject_values(sparql, bindings)
        return self.ox.query(sparql, use_default_graph_as_union=True,
                             prefixes={k: str(v) for k, v in PREFIXES.items()})

    def merged_triples(self) -> Iterator[ox.Triple]:
        """All triples, graph by graph in subject order (not CONSTRUCT: it rewrites literal datatypes).

        Article graphs hold disjoint subjects and shared entities live in one graph, so no triple repeats.
        """
        self._write()
        graphs: list = [ox.DefaultGraph(), *sorted(self.ox.named_graphs(), key=lambda g: g.value)]
        for g in graphs:
            triples = [q.triple for q in self.ox.quads_for_pattern(None, None, None, g)]
            triples.sort(key=lambda t: (str(t.subject), str(t.predicate)))  # groups subjects in Turtle
            yield from triples

    def to_rdflib(self) -> Graph:
        g = Graph()
        for k, v in PREFIXES.items():
            g.bind(k, v)
        for t in self.merged_triples():
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def articles(self) -> list[URIRef]:
        self._write()
        return [URIRef(g.value) for g in self.ox.named_graphs()
                if isinstance(g, ox.NamedNode) and g not in (ENTITY_GRAPH, HAPPENINGS_GRAPH)]

    # ------------------------------------------------------------------ export
    def export(self, path: Path, fmt: str | None = None) -> None:
        self._write()
        rdf_format = format_for(fmt, path)
        prefixes = export_prefixes()
        with atomic_output(path) as tmp:
            if rdf_format == ox.RdfFormat.JSON_LD:
                write_compact_jsonld(self.merged_triples(), tmp, prefixes)
            elif rdf_format.supports_datasets:
                self.ox.dump(str(tmp), rdf_format, prefixes=prefixes if rdf_format == ox.RdfFormat.TRIG else None)
            else:
                kwargs = {"prefixes": prefixes} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML) else {}
                ox.serialize(self.merged_triples(), str(tmp), rdf_format, **kwargs)
