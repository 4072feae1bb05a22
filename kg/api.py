"""The Python API: build a graph from texts or files, query it, get events and actors as DataFrames, save it.

    import kg
    graph = kg.build(["seeds/"])                       # or texts: kg.build(["Egypt's foreign minister met ..."])
    graph.query("timeline", actor="EGY")               # a saved query, parameters as in `kg query`
    graph.events(); graph.actors()                      # pandas DataFrames
    graph.save("out.ttl"); graph.validate().conforms

Everything goes through the same library functions the CLI uses (pipeline.build, query.run_query,
events_table.event_rows, store.export); the CLI is a thin layer over them.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .store.graph_store import GraphStore

if TYPE_CHECKING:  # pandas is imported when a DataFrame is asked for, not with the package
    import pandas as pd

    from .graph.validate import Report
    from .pipeline.options import BuildSummary

_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double", "float", "int", "long")}


def _python(term) -> object:
    """A result term as a Python value: numbers as numbers, everything else as its lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype is not None and term.datatype.value in _NUMERIC:
        return float(term.value) if any(c in term.value for c in ".eE") else int(term.value)
    return term.value


def _frame(variables: list[str], rows: list[dict]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([[_python(r.get(v)) for v in variables] for r in rows], columns=variables)


class KnowledgeGraph:
    """An in-memory (or on-disk) DiploKG graph: query it, save it, validate it."""

    def __init__(self, store: GraphStore, summary: BuildSummary | None = None):
        self.store = store
        self.summary = summary  # what the build did (counts, skipped inputs), when it was built here

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self):,} quads, {len(self.store.articles())} articles>"

    def query(self, name: str, **params: str) -> pd.DataFrame:
        """Run a saved query (see `kg queries`) with parameters bound as RDF terms; one column per variable."""
        from .serving.queries import get_query, run_query

        variables, rows = run_query(self.store, get_query(name), {k: str(v) for k, v in params.items()})
        return _frame(variables, rows)

    def sparql(self, text: str) -> pd.DataFrame:
        """Any SELECT query over the union of the graphs (DiploKG's prefixes are predeclared)."""
        solutions = self.store.query(text)
        variables = [v.value for v in solutions.variables]
        return _frame(variables, [{v: s[v] for v in variables if s[v] is not None} for s in solutions])

    def events(self) -> pd.DataFrame:
        """The events table: one row per event and source/target pair (columns: `kg.serving.events_table.COLUMNS`)."""
        import pandas as pd

        from .serving.events_table import COLUMN_NAMES, event_rows

        return pd.DataFrame(event_rows(self.store), columns=COLUMN_NAMES)

    def happenings(self) -> pd.DataFrame:
        """The happenings table: one row per real-world event and source/target pair, however many articles report
        it, with its numbers of reports and outlets (columns: `kg.serving.happenings_table.COLUMNS`)."""
        import pandas as pd

        from .serving.happenings_table import COLUMN_NAMES, happening_rows

        return pd.DataFrame(happening_rows(self.store), columns=COLUMN_NAMES)

    def why(self, happening: str):
        """The reports of one happening and what matched them (`kg why`), or None when there is no such happening."""
        from .happenings.explain import explain

        return explain(self.store, happening)

    def remove(self, *articles: str) -> None:
        """Take articles (their file names or IRIs) out of the graph; their happenings change or dissolve with them."""
        from .happenings import refresh_happenings

        by_name = {str(r["name"].value): r["article"].value for r in
                   self.store.query("SELECT ?article ?name WHERE { ?article a dip:Article ; dip:fileName ?name }")}
        for a in articles:
            iri = by_name.get(a, a)
            if iri not in by_name.values():
                raise KeyError(f"{a}: no such article in the graph")
            self.store.remove_article(iri)
        refresh_happenings(self.store)

    def actors(self) -> pd.DataFrame:
        """Every actor with its type, country (ISO3), position and Wikidata id (the `actors` saved query)."""
        return self.query("actors")

    def save(self, path: str | os.PathLike, format: str | None = None) -> Path:  # noqa: A002 - the common name
        """Write the graph (Turtle by default, or from the suffix: .nt, .nq, .trig, .rdf, .jsonld)."""
        path = Path(path)
        self.store.export(path, format)
        return path

    def validate(self) -> Report:
        """Validate the whole graph against DiploKG's SHACL shapes with pySHACL (`report.conforms`)."""
        from .graph.validate import validate_graph

        return validate_graph(self.store.to_rdflib())

    def to_rdflib(self):
        """The merged graph as an rdflib Graph."""
        return self.store.to_rdflib()

    def close(self) -> None:
        self.store.close()


def _is_path(item: str | os.PathLike) -> bool:
    if isinstance(item, os.PathLike):
        return True
    if os.path.exists(item):
        return True
    if not any(c.isspace() for c in item):
        raise FileNotFoundError(f"{item}: no such file or folder (a text to build from has more than one word)")
    return False


def build(inputs: str | os.PathLike | Iterable[str | os.PathLike] | Mapping[str, str], *, model: str | None = None,
          date: str | None = None, store: str | os.PathLike | None = None, quiet: bool = True) -> KnowledgeGraph:
    """Build a graph from article texts, files or folders (or a {name: text} mapping) with the real pipeline.

    A string that names an existing file or folder is read from disk; any other string with spaces is an
    article's text (named text-001.txt, ... in the graph). `store` builds into an on-disk Oxigraph store.
    """
    from .pipeline.options import BuildOptions
    from .pipeline.runner import build as pipeline_build

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if isinstance(inputs, Mapping):
        named = dict(inputs)
        paths: list[str | os.PathLike] = []
    else:
        items = list(inputs)
        paths = [i for i in items if _is_path(i)]
        named = {f"text-{n:03d}.txt": t for n, t in enumerate((i for i in items if not _is_path(i)), 1)}
    graph_store = GraphStore(Path(store)) if store is not None else GraphStore()
    opts = BuildOptions(model=model, article_date=date)
    log = (lambda m: None) if quiet else None
    with tempfile.TemporaryDirectory(prefix="diplokg-texts-") as tmp:
        for name, text in named.items():
            target = Path(tmp) / Path(name).name
            target.write_text(text, encoding="utf-8")
            paths.append(target)
        summary = pipeline_build(paths, graph_store, opts, **({"log": log} if log else {}))
    return KnowledgeGraph(graph_store, summary)


def load(path: str | os.PathLike) -> KnowledgeGraph:
    """A graph from an RDF file (read into memory) or an Oxigraph store folder (opened read-only)."""
    path = Path(path)
    if path.is_dir():
        return KnowledgeGraph(GraphStore(path, read_only=True))
    s = GraphStore()
    s.load_file(path)
    return KnowledgeGraph(s)
