"""The graph store: Oxigraph (pyoxigraph), in memory for a one-off build or on disk with `--store DIR`.

Layout: one named graph per article (its events, sentences, article and run description), and one
entity graph for what articles share (countries, people, organisations, places, outlets, authors,
the software agent), so re-ingesting or replacing an article touches its own graph only and shared
entities are never duplicated. Turtle and N-Triples exports give the merged graph; N-Quads and TriG keep graphs.
"""
from __future__ import annotations

import os
import tempfile
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespace import DIP, PREFIXES, RES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTENT_HASH = ox.NamedNode(str(DIP.contentHash))
ENTITY_GRAPH = ox.NamedNode(str(RES["graph/entities"]))
ENTITY_PREFIXES = tuple(str(RES[p]) for p in ("country/", "person/", "org/", "group/", "place/", "agent/", "author/"))

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML, "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}
SUFFIX_FORMAT = {".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".rdf": "xml", ".xml": "xml",
                 ".owl": "xml", ".jsonld": "jsonld", ".json": "jsonld", ".n3": "n3"}


def is_entity(term: Node) -> bool:
    """Whether a subject is described in the shared entity graph (a country, person, organisation, place, agent)."""
    return isinstance(term, URIRef) and str.startswith(term, ENTITY_PREFIXES)


def article_quads(article: URIRef, triples, known: set | None = None) -> list[ox.Quad]:
    """An article's triples as quads: its own graph, and the entity graph for what articles share.

    Entity triples in `known` (already written by this store) are left out, and the new ones added to it:
    a country's description recurs in most articles, and rewriting a quad costs the store as much as writing it.
    """
    g_article = ox.NamedNode(str(article))
    out = []
    entity_subject: dict = {}  # subject -> is it an entity (an article's triples share few subjects)
    new_entities = []
    for t in triples:
        s = t[0]
        shared = entity_subject.get(s)
        if shared is None:
            shared = entity_subject[s] = is_entity(s)
        if shared:
            if known is not None:
                if t in known:
                    continue
                new_entities.append(t)
            out.append(ox.Quad(to_ox(s), to_ox(t[1]), to_ox(t[2]), ENTITY_GRAPH))
        else:
            out.append(ox.Quad(to_ox(s), to_ox(t[1]), to_ox(t[2]), g_article))
    if known is not None:
        known.update(new_entities)  # converted: no term was refused
    return out


class StoreError(Exception):
    """A graph file or store that cannot be read; str() names it and the problem."""


class StoreWriteError(StoreError):
    """The store or an output file cannot be written (disk full, read-only, permission): stops the build."""


def write_error(path: Path | str, exc: OSError | Exception) -> StoreWriteError:
    reason = getattr(exc, "strerror", None) or (str(exc).strip().splitlines() or ["write failed"])[0]
    return StoreWriteError(f"{path}: cannot write: {reason}; nothing replaced")


PREFIX_FOR_KIND = {"org": "organization"}  # `org:` is the W3C Organization Ontology's prefix, not ours


def export_prefixes() -> dict[str, str]:
    """Prefixes for written files: one per resource kind, so IRIs read as `event:1a2b...`, `country:EGY`."""
    out = {k: str(v) for k, v in PREFIXES.items() if k != "res"}
    for kind in ("event", "sentence", "article", "run", "country", "person", "org", "group", "place", "agent", "author",
                 "graph"):
        out[PREFIX_FOR_KIND.get(kind, kind)] = str(RES[kind + "/"])
    return out


def format_for(name: str | None, path: Path | None = None) -> ox.RdfFormat:
    key = (name or (SUFFIX_FORMAT.get(path.suffix.lower()) if path else None) or "turtle").lower()
    if key not in FORMATS:
        raise StoreError(f"unknown RDF format {name!r}; use one of: turtle, nt, nq, trig, xml, jsonld, n3")
    return FORMATS[key]


@lru_cache(maxsize=1 << 16)
def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Oxigraph's term for an rdflib term; cached, as an article's IRIs and predicates recur in its triples."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store RDF term {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string; rdflib keeps them apart
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def file_mode() -> int:
    """The mode open() would give a new file: 0666 less the process umask (read without changing it for long)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file, and a
    failed write (disk full, read-only folder) leaves the old file as it was (StoreWriteError)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode())  # mkstemp makes 0600; a new file gets what the user's umask gives
        os.replace(tmp, path)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


LOCK_NAME = "kg.lock"


class StoreLock:
    """An advisory lock beside the store's files: one build writes, readers wait for it to finish.

    Oxigraph 0.5 has no secondary mode, and a read-only opening fails when the writer's compaction
    removes a file under it; so a reader takes a shared lock and a build an exclusive one.
    """

    def __init__(self, folder: Path, exclusive: bool, log=None):
        import fcntl

        self.fh = None
        try:
            folder.mkdir(parents=True, exist_ok=True) if exclusive else None
            self.fh = open(folder / LOCK_NAME, "a+b")
        except OSError:
            return  # a read-only medium: nobody can be writing it
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(self.fh, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if log is not None:
                log(f"{folder}: {'in use' if exclusive else 'a build is writing it'}; waiting for it to finish")
            fcntl.flock(self.fh, mode)

    def release(self) -> None:
        if self.fh is not None:
            self.fh.close()  # closing drops the lock
            self.fh = None


def _replace_update(articles: dict[str, list[ox.Quad]]) -> str:
    """One SPARQL update that drops each article's graph and inserts its new quads (Oxigraph runs an
    update as one transaction). Terms are written by Oxigraph itself (N-Triples syntax), never pasted text."""
    parts = [f"DROP SILENT GRAPH <{iri}> ;" for iri in articles]
    by_graph: dict[str, list[str]] = {}
    for quads in articles.values():
        for q in quads:
            by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
    return "\n".join(parts) + f"\nINSERT DATA {{\n{body}\n}}"


MAX_GRAPH_BYTES = 2_000_000_000  # a graph file is loaded whole into memory
MAX_XML_DEPTH = 200  # RDF/XML from DiploKG nests a handful of levels; 200k levels never finish parsing


def max_graph_bytes() -> int:
    try:
        return int(os.environ.get("DIPLOKG_MAX_GRAPH_BYTES", MAX_GRAPH_BYTES))
    except ValueError:
        return MAX_GRAPH_BYTES


def check_xml(path: Path, max_depth: int = MAX_XML_DEPTH) -> None:
    """Scan RDF/XML with expat (streaming, no entity expansion) before Oxigraph sees it: refuse DTD
    entity declarations and nesting deeper than `max_depth`, each with one line naming the file."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = [0]

    def entity(name, *_):
        raise StoreError(f"{path}: RDF/XML declares a DTD entity ({name!r}); entities are refused (they can expand "
                         "without bound)")

    def start(*_):
        depth[0] += 1
        if depth[0] > max_depth:
            raise StoreError(f"{path}: RDF/XML nests deeper than {max_depth} elements; refused")

    def end(*_):
        depth[0] -= 1

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except expat.ExpatError as exc:
        raise StoreError(f"{path}: not valid RDF/XML: {expat.ErrorString(exc.code)} at line {exc.lineno}") from None


class GraphStore:
    """An Oxigraph dataset with DiploKG's article-per-graph layout."""

    WRITE_BATCH = 20_000  # quads buffered before one store transaction (bounded memory, far fewer commits)
    KNOWN_ENTITIES = 200_000  # entity triples remembered as written (bounded memory; forgetting one only rewrites it)

    def __init__(self, path: Path | None = None, read_only: bool = False, log=None):
        self.path = path
        self.read_only = read_only
        self._pending: list[ox.Quad] = []  # new articles' quads: one transaction
        self._replacing: dict[str, list[ox.Quad]] = {}  # stored articles' new quads: dropped and written together
        self._pending_articles: set[str] = set()  # articles buffered
        self._writing_articles: set[str] = set()  # articles being written by the writer thread
        self._known_entities: set[tuple] = set()  # entity triples this store has written (or has buffered)
        # Write-behind: one batch is committed on a background thread (Oxigraph releases the GIL while it
        # writes) while the next one fills; anything that reads the store waits for it first.
        self._writer: threading.Thread | None = None
        self._writer_error: BaseException | None = None
        self._lock = StoreLock(path, exclusive=not read_only, log=log) if path is not None else None
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
        from .namespace import DIP

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

    def remove_article(self, article: URIRef) -> None:
        if self._is_pending(str(article)):
            self._write()
        g_article = ox.NamedNode(str(article))
        if self._has_graph(g_article):
            self.ox.remove_graph(g_article)

    def pending_quads(self) -> int:
        return len(self._pending) + sum(map(len, self._replacing.values()))

    def _has_graph(self, g: ox.NamedNode) -> bool:
        return any(True for _ in self.ox.quads_for_pattern(None, None, None, g))

    def article_hashes(self) -> dict[str, str]:
        """Every stored article's IRI and content hash (what a distributed build may skip)."""
        self._write()
        from .namespace import DIP

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
        if entities:
            self.ox.extend(entities)
        for name, quads in by_graph.items():
            key = quads[0].graph_name.value if isinstance(quads[0].graph_name, ox.NamedNode) else None
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

    def article_graph(self, article: URIRef) -> Graph:
        """An article's own triples plus the entity descriptions it points to (for validation)."""
        self._write()
        g = Graph()
        g_article = ox.NamedNode(str(article))
        for q in self.ox.quads_for_pattern(None, None, None, g_article):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        seen: set = set()
        frontier = [o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(ENTITY_PREFIXES)]
        while frontier:
            node = frontier.pop()
            if node in seen:
                continue
            seen.add(node)
            for q in self.ox.quads_for_pattern(ox.NamedNode(str(node)), None, None, ENTITY_GRAPH):
                o = to_rdflib(q.object)
                g.add((node, to_rdflib(q.predicate), o))
                if isinstance(o, URIRef) and str(o).startswith(ENTITY_PREFIXES):
                    frontier.append(o)
        return g

    def articles(self) -> list[URIRef]:
        self._write()
        return [URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode) and g != ENTITY_GRAPH]

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


def write_compact_jsonld(triples: Iterator[ox.Triple], path: Path, prefixes: dict[str, str]) -> None:
    """JSON-LD compacted with an @context of DiploKG's prefixes (keys read `dip:ploverType`, ids `event:1a2b`);
    Oxigraph writes expanded JSON-LD only, rdflib's serializer compacts."""
    g = Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    context = {k: v for k, v in sorted(prefixes.items())}
    g.serialize(destination=str(path), format="json-ld", context=context, auto_compact=True, encoding="utf-8")
