"""The gazetteer as a spaCy component: every country, organisation, place and person name of kg/data
marked as an entity with its id (`country:EGY`) before the statistical NER runs.

It does what spaCy's EntityRuler does with phrase patterns (token match, accents aside; longest match first,
overwriting entities), but keeps its patterns compiled: token sequences in a dict, saved and read
with `to_disk`/`from_disk` (msgpack, as spaCy stores its own tables). Building it means tokenising
~30k names, which costs seconds (mostly creating vocabulary entries); `load_gazetteer` keeps the
compiled form in the cache (kg/cache.py), keyed on the data files, this code and the model, so a
later start-up reads it in a fraction of that.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..cache import cached, fingerprint
from ..lexicon.entries import Lexicon, load_lexicon
from ..resources import DATA_DIR, fold

GAZETTEER_FILE = "gazetteer.msgpack"


def gazetteer_patterns(lex: Lexicon) -> list[dict]:
    """EntityRuler-style patterns for every country name, demonym, metonym, organisation, place and person.
    Their order is their precedence: where two patterns name the same words, the first wins."""
    patterns: list[dict] = []

    def add(label: str, text: str, ent_id: str) -> None:
        if text:
            patterns.append({"label": label, "pattern": text, "id": ent_id})

    for iso3, c in lex.countries.items():
        for name in {c["name"], *c["aliases"]}:
            add("GPE", name, f"country:{iso3}")
        for dem in c["demonyms"]:
            add("NORP", dem, f"country:{iso3}")
            if not dem.endswith("s"):
                add("NORP", dem + "s", f"country:{iso3}")
        for met in c.get("metonyms", ()):
            if met not in lex.places:
                add("ORG", met, f"country:{iso3}")
    for oid, o in lex.organizations.items():
        for name in {o["name"], *o.get("aliases", ())}:
            add("ORG", name, f"org:{oid}")
    for name, p in lex.places.items():
        for alias in {name, *p.get("aliases", ())}:
            add("LOC" if p.get("region") else "GPE", alias, f"place:{name}")
    taken = {pat["pattern"] for pat in patterns}
    for pid, person in lex.persons.items():
        for name in {person["name"], *person.get("aliases", ())}:
            if name not in taken:  # a country, organisation or place name wins over a person alias
                add("PERSON", name, f"person:{pid}")
    return patterns


class Gazetteer:
    """Exact token-sequence matching of the gazetteer's names; sets doc.ents with label and ent_id."""

    def __init__(self, nlp: Language, name: str = "diplokg_gazetteer", overwrite_ents: bool = True):
        self.nlp = nlp
        self.name = name
        self.overwrite = overwrite_ents
        self.entries: dict[tuple[str, ...], tuple[str, str]] = {}  # token texts -> (label, id)
        self.longest: dict[str, int] = {}  # first token text -> length of the longest entry starting with it

    def __len__(self) -> int:
        return len(self.entries)

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        """Tokenise each pattern text as the pipeline's tokenizer does; an earlier pattern for the same
        tokens keeps its place."""
        texts = [p["pattern"] for p in patterns]
        for pat, doc in zip(patterns, self.nlp.tokenizer.pipe(texts)):
            self._add(tuple(fold(t.text) for t in doc), pat["label"], pat.get("id", ""))

    def _add(self, tokens: tuple[str, ...], label: str, ent_id: str) -> None:
        if not tokens or tokens in self.entries:
            return
        self.entries[tokens] = (label, ent_id)
        if len(tokens) > self.longest.get(tokens[0], 0):
            self.longest[tokens[0]] = len(tokens)

    def match(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, label, id) of every match, longest first, then leftmost (as EntityRuler sorts). Words are
        compared without their accents ('Erdoğan' is the gazetteer's 'Erdogan')."""
        words = [fold(t.text) for t in doc]
        n = len(words)
        found: list[tuple[int, int, str, str]] = []
        for i, w in enumerate(words):
            longest = self.longest.get(w)
            if longest is None:
                continue
            for size in range(1, min(longest, n - i) + 1):
                hit = self.entries.get(tuple(words[i:i + size]))
                if hit is not None:
                    found.append((i, i + size, *hit))
        found.sort(key=lambda m: (m[0] - m[1], m[0]))
        return found

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        new: list[Span] = []
        seen: set[int] = set()
        for start, end, label, ent_id in self.match(doc):
            if not self.overwrite and any(t.ent_type for t in doc[start:end]):
                continue
            if start in seen or end - 1 in seen:
                continue
            new.append(Span(doc, start, end, label=label, span_id=ent_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new  # also when empty: tokens become 'outside', as EntityRuler leaves them
        return doc

    # ---------------------------------------------------------------- serialisation (spaCy's protocol)
    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        return srsly.msgpack_dumps({"tokens": [list(k) for k in self.entries],
                                    "labels": [v[0] for v in self.entries.values()],
                                    "ids": [v[1] for v in self.entries.values()]})

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> Gazetteer:
        table = srsly.msgpack_loads(data)
        self.entries = {tuple(t): (label, ent_id) for t, label, ent_id in zip(table["tokens"], table["labels"], table["ids"])}
        self.longest = {}
        for tokens in self.entries:
            if len(tokens) > self.longest.get(tokens[0], 0):
                self.longest[tokens[0]] = len(tokens)
        return self

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / GAZETTEER_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> Gazetteer:
        return self.from_bytes((Path(path) / GAZETTEER_FILE).read_bytes())


@Language.factory("diplokg_gazetteer", assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
                  default_config={"overwrite_ents": True})
def make_gazetteer(nlp: Language, name: str, overwrite_ents: bool) -> Gazetteer:
    return Gazetteer(nlp, name, overwrite_ents=overwrite_ents)


def load_gazetteer(gazetteer: Gazetteer, data_dir: Path = DATA_DIR) -> bool:
    """Fill `gazetteer` from the cache, or compile it from `data_dir` (and cache it); True on a cache hit."""
    meta = gazetteer.nlp.meta
    model = f"{meta.get('lang', 'en')}_{meta.get('name', '?')}"
    key = fingerprint([data_dir, Path(__file__), Path(__file__).parent.parent / "lexicon" / "entries.py",
                       f"spacy {spacy.__version__}", f"{model} {meta.get('version', '?')}"])

    def build() -> Gazetteer:
        gazetteer.add_patterns(gazetteer_patterns(load_lexicon(data_dir)))
        return gazetteer

    kind = f"gazetteer-{model}" + ("" if Path(data_dir).resolve() == DATA_DIR.resolve() else "-other")
    _, hit = cached(kind, key, build, lambda g, path: g.to_disk(path), gazetteer.from_disk)
    return hit
