"""Load the linguistic knowledge kept as data in kg/data/ into lookup tables for the engine.

Adding a verb, a title, a country or an organisation is an edit of those files; nothing here
knows a word of English by itself.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..resources import DATA_DIR, read_jsonl, slug  # noqa: F401 (slug: the lexicon's key function)
from .cameo import CameoDictionary


def candidate_lemmas(tok) -> tuple[str, ...]:
    """The parser's lemma, then regular-inflection guesses: the small model lemmatises 'staged' as 'stag'."""
    return _candidate_lemmas(tok.lemma_, tok.lower_, tok.tag_)


@lru_cache(maxsize=1 << 16)
def _candidate_lemmas(lemma: str, w: str, tag: str) -> tuple[str, ...]:
    """Asked several times for each verb and noun of every sentence: the same few thousand words recur."""
    out = lemma.lower()
    guesses: list[str] = []
    if tag in ("VBD", "VBN") and w.endswith("ed"):
        guesses = [w[:-1], w[:-2]] + ([w[:-3]] if len(w) > 4 and w[-3] == w[-4] else [])
    elif tag == "VBZ" and w.endswith("s"):
        guesses = [w[:-1], w[:-2]]
    elif tag == "VBG" and w.endswith("ing"):
        guesses = [w[:-3] + "e", w[:-3]] + ([w[:-4]] if len(w) > 5 and w[-4] == w[-5] else [])
    elif tag == "NNS" and w.endswith("s"):
        guesses = [w[:-1], w[:-2]]
    return (out, *(g for g in guesses if g and g != out))


@dataclass(frozen=True)
class EventRule:
    """One trigger of the event lexicon: a lemma and part of speech mapped to an ontology class."""

    lemma: str
    pos: str
    cls: str
    cameo: str | None
    target: tuple[str, ...] = ()
    place: tuple[str, ...] = ("prep:in", "prep:at")
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    symmetric: bool = False
    mediation: bool = False
    needs_anchor: bool = False
    source_preps: tuple[str, ...] = ()
    target_types: tuple[str, ...] = ()
    np_source: bool = True
    converse: bool = False  # the subject is the recipient: 'X hosted Y' (Y visits X), 'Y received aid from X'
    fallback: bool = False
    origin: str = "curated"  # 'curated', or 'dictionary pattern' / 'dictionary verb' for CAMEO dictionary readings

    @classmethod
    def from_row(cls, row: dict[str, Any], fallback: bool = False) -> EventRule:
        return cls(
            lemma=row["lemma"], pos=row.get("pos", "VERB"), cls=row["class"], cameo=row.get("cameo"),
            target=tuple(row.get("target", ("dobj",))),
            place=tuple(row.get("place", ("prep:in", "prep:at"))),
            requires={k: tuple(v) for k, v in row.get("requires", {}).items()},
            symmetric=row.get("symmetric", False), mediation=row.get("mediation", False),
            needs_anchor=row.get("needs_anchor", False), source_preps=tuple(row.get("source_preps", ())),
            target_types=tuple(row.get("target_types", ())), np_source=row.get("np_source", True),
            converse=row.get("converse", False),
            fallback=fallback,
        )


@dataclass
class Lexicon:
    """Every data table the extractor reads, loaded once per process."""

    countries: dict[str, dict[str, Any]]
    organizations: dict[str, dict[str, Any]]
    persons: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    titles: dict[str, dict[str, Any]]
    agents: dict[str, dict[str, Any]]
    rules: dict[tuple[str, str], list[EventRule]]
    light: dict[str, Any]
    factuality: dict[str, Any]
    topics: dict[str, str]
    class_cameo: dict[str, str]
    class_plover: dict[str, str]
    cameo: CameoDictionary
    cameo_table: dict[str, dict[str, str]]  # CAMEO code -> PLOVER type, mode, context
    confidence: dict[str, Any]
    codebook: list[dict[str, Any]]  # PLOVER's coding conventions, in order (kg/data/codebook.jsonl)
    calibration: dict[str, Any] | None  # the fitted confidence model (kg/data/calibration.json), if any

    def rules_for(self, lemma: str, pos: str) -> list[EventRule]:
        return self.rules.get((lemma, pos), [])

    def plover(self, cls: str) -> str:
        """The PLOVER type of an ontology class (a PLOVER type names itself)."""
        return self.class_plover.get(cls, cls)

    def plover_of_code(self, code: str) -> str | None:
        """PLOVER type of a CAMEO code (the longest prefix CAMEO2PLOVER lists); None for 01/02 statements."""
        for n in range(len(code), 1, -1):
            row = self.cameo_table.get(code[:n])
            if row is not None:
                return row["plover"]
        return None

    def mode_of_code(self, code: str) -> str:
        for n in range(len(code), 1, -1):
            row = self.cameo_table.get(code[:n])
            if row is not None and row.get("mode"):
                return row["mode"]
        return ""

    def class_of_code(self, code: str) -> str | None:
        """The finest ontology class for a CAMEO code: a class with that code or a prefix of it, else the PLOVER
        type's class; None when the code has no PLOVER type."""
        plover = self.plover_of_code(code)
        if plover is None:
            return None
        for n in range(len(code), 1, -1):
            for cls in self._classes_by_code.get(code[:n], ()):
                if self.class_plover.get(cls) == plover:
                    return cls
        return _plover_class(plover)

    def country_by_name(self, text: str) -> str | None:
        """ISO3 of the one country one of whose names starts like `text` (see ArticleResolver.country_named);
        remembered, as the same unknown demonyms recur across articles."""
        cache = self.__dict__.setdefault("_country_by_name", {})
        if text not in cache:
            key = text.lower().replace(" ", "")
            hits = set() if len(key) < 4 else {
                iso3 for name, iso3 in self.country_index if len(name) >= 5 and
                (name.startswith(key[:-1] if len(key) > 5 else key) or key.startswith(name[:-1]))}
            cache[text] = hits.pop() if len(hits) == 1 else None
        return cache[text]

    @property
    def title_first_words(self) -> set[str]:
        """First words of multi-word titles ('prime' of 'prime minister'), which open a titled name."""
        cached = self.__dict__.get("_title_first")
        if cached is None:
            cached = {t.split()[0] for t in self.titles if " " in t}
            self.__dict__["_title_first"] = cached
        return cached

    def persons_by_surname(self, surname: str) -> list[str]:
        """Ids of the gazetteer's persons one of whose names ends in `surname` ('Bush': both Presidents Bush)."""
        index = self.__dict__.get("_surnames")
        if index is None:
            index = {}
            for pid, p in self.persons.items():
                for name in {p["name"], *p.get("aliases", ())}:
                    words = name.split()
                    if len(words) > 1:
                        index.setdefault(words[-1], set()).add(pid)
            self.__dict__["_surnames"] = index
        return sorted(index.get(surname, ()))

    @property
    def country_index(self) -> list[tuple[str, str]]:
        """(lower-case name without spaces, ISO3) for every name, alias and demonym of every country."""
        cached = self.__dict__.get("_country_index")
        if cached is None:
            cached = sorted({(n.lower().replace(" ", ""), iso3) for iso3, c in self.countries.items()
                             for n in (c["name"], *c["aliases"], *c["demonyms"])})
            self.__dict__["_country_index"] = cached
        return cached

    @property
    def _classes_by_code(self) -> dict[str, list[str]]:
        cached = self.__dict__.get("_by_code")
        if cached is None:
            cached = {}
            for cls, code in sorted(self.class_cameo.items()):
                cached.setdefault(code, []).append(cls)
            self.__dict__["_by_code"] = cached
        return cached


def _plover_class(plover: str) -> str:
    return plover.capitalize()


_DEFAULT_DIR = DATA_DIR.resolve()


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """The lexicon of `data_dir` (default kg/data), once per process; through the start-up cache (kg/cache.py),
    since compiling it (the CAMEO dictionary, the ontology's class codes) costs a second or more."""
    return _cached_lexicon(_DEFAULT_DIR if data_dir is None else Path(data_dir).resolve())


@lru_cache(maxsize=4)
def _cached_lexicon(data_dir: Path) -> Lexicon:
    import pickle
    import sys

    from ..cache import cached, fingerprint
    from ..resources import ontology_path

    here = Path(__file__)
    key = fingerprint([data_dir, ontology_path(), here, here.with_name("cameo.py"), sys.version])

    def save(lex: Lexicon, folder: Path) -> None:
        (folder / "lexicon.pickle").write_bytes(pickle.dumps(lex, protocol=pickle.HIGHEST_PROTOCOL))

    def load(folder: Path) -> Lexicon:
        return pickle.loads((folder / "lexicon.pickle").read_bytes())  # our own cache folder, our own pickle

    kind = "lexicon" if data_dir == _DEFAULT_DIR else "lexicon-other"  # a test's copy never evicts kg/data's
    lex, _ = cached(kind, key, lambda: build_lexicon(data_dir), save, load)
    return lex


def build_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    """Read and compile every table of `data_dir`."""
    rules: dict[tuple[str, str], list[EventRule]] = {}
    for row in read_jsonl(data_dir / "event_lexicon.jsonl"):
        rule = EventRule.from_row(row)
        rules.setdefault((rule.lemma, rule.pos), []).append(rule)
    light = json.loads((data_dir / "light_verbs.json").read_text(encoding="utf-8"))
    # A rule with requirements is more specific: try it before the catch-all of the same lemma.
    for key in rules:
        rules[key].sort(key=lambda r: not r.requires)
    return Lexicon(
        countries=_countries(data_dir),
        organizations={r["id"]: r for r in read_jsonl(data_dir / "organizations.jsonl")},
        persons={r["id"]: r for r in read_jsonl(data_dir / "persons.jsonl")},
        places={r["name"]: r for r in read_jsonl(data_dir / "places.jsonl")},
        titles={r["title"]: r for r in read_jsonl(data_dir / "titles.jsonl")},
        agents={r["lemma"]: r for r in read_jsonl(data_dir / "agents.jsonl")},
        rules=rules,
        light=light,
        factuality=json.loads((data_dir / "factuality.json").read_text(encoding="utf-8")),
        topics={k: v for k, v in json.loads((data_dir / "topics.json").read_text(encoding="utf-8")).items()
                if not k.startswith("_")},
        cameo=CameoDictionary.load(data_dir),
        confidence=json.loads((data_dir / "confidence.json").read_text(encoding="utf-8")),
        codebook=list(read_jsonl(data_dir / "codebook.jsonl")),
        calibration=json.loads((data_dir / "calibration.json").read_text(encoding="utf-8"))
        if (data_dir / "calibration.json").exists() else None,
        cameo_table={r["cameo"]: r for r in read_jsonl(data_dir / "cameo_plover.jsonl")},
        **_class_codes(),
    )


def _countries(data_dir: Path) -> dict[str, dict[str, Any]]:
    """countries.jsonl with the further spellings and demonyms of country_names.jsonl (PETRARCH2)."""
    countries = {r["iso3"]: r for r in read_jsonl(data_dir / "countries.jsonl")}
    for row in read_jsonl(data_dir / "country_names.jsonl"):
        c = countries.get(row["iso3"])
        if c is not None:
            c["aliases"] = [*c["aliases"], *(n for n in row["names"] if n not in c["aliases"])]
            c["demonyms"] = [*c["demonyms"], *(n for n in row["demonyms"] if n not in c["demonyms"])]
    return countries


def _class_codes() -> dict[str, dict[str, str]]:
    """CAMEO code and PLOVER type of every event class, read from the ontology (the contract)."""
    from rdflib import RDFS

    from ..namespace import DIP
    from ..resources import load_ontology

    g = load_ontology()
    ns = str(DIP._NS)
    cameo: dict[str, str] = {}
    plover: dict[str, str] = {}
    for cls in g.subjects(RDFS.subClassOf * "+", DIP.Event):  # type: ignore[operator]
        name = str(cls)[len(ns):]
        code = g.value(cls, DIP.cameoCode)
        if code is not None:
            cameo[name] = str(code)
        for node in [cls, *g.transitive_objects(cls, RDFS.subClassOf)]:
            p = g.value(node, DIP.ploverType)
            if p is not None:
                plover[name] = str(p)
                break
    return {"class_cameo": cameo, "class_plover": plover}
