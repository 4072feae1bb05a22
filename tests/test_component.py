"""The event engine as a spaCy component, extraction in nlp.pipe worker processes, and the start-up cache."""
from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from kg.cache import CACHE_ENV
from kg.extraction.component import doc_events, load_nlp
from kg.extraction.extractor import EventExtractor
from kg.extraction.records import to_data
from kg.lexicon.entries import _cached_lexicon, build_lexicon, load_lexicon
from kg.namespace import DIP
from kg.nlp.dated import dated_text
from kg.nlp.gazetteer import Gazetteer, gazetteer_patterns, load_gazetteer
from kg.nlp.model import default_model
from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.store.graph_store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    ("Egypt condemned Israeli air strikes on Gaza on Monday.\n"
     "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing.", "2023-10-11"),
    ("Pakistan said it shot down two Indian aircraft yesterday.", "2019-02-27"),
    ("Mali recalled its ambassador to France. Manila summoned China's ambassador.", None),
]


def test_events_on_the_doc_are_the_extractors_and_survive_serialisation():
    nlp = load_nlp()
    extractor = EventExtractor(load_lexicon())
    for text, date in TEXTS:
        doc = nlp(dated_text(text, date))
        assert doc._.events is not None and doc._.events_error is None
        expected = [to_data(ev) for ev in extractor.extract(nlp(text), date).events]
        assert expected, text  # each text reports at least one event
        back = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # what a worker process sends to the parent
        assert back._.events == doc._.events == expected
        assert doc.tensor.size == 0 and back.tensor.size == 0  # tok2vec's output is not shipped back
        assert back._.article_date == date
        assert [to_data(ev) for ev in doc_events(back).events] == expected


def test_the_article_date_resolves_relative_dates():
    nlp = load_nlp()
    with_date = doc_events(nlp(dated_text(TEXTS[1][0], "2019-02-27")))
    without = doc_events(nlp(dated_text(TEXTS[1][0], None)))
    assert with_date.reference_date == dt.date(2019, 2, 27)
    assert any(ev.date == ("2019-02-26", "date") for ev in with_date.events)  # 'yesterday'
    assert all(ev.date is None for ev in without.events)


@pytest.mark.slow
def test_extraction_runs_in_worker_processes():
    nlp = load_nlp()
    texts = [dated_text(text, date) for text, date in TEXTS * 3]  # the date travels with the text
    local = [d._.events for d in nlp.pipe(texts, batch_size=2)]
    pooled = list(nlp.pipe(texts, batch_size=2, n_process=2))
    assert [d._.events for d in pooled] == local
    assert [d._.article_date for d in pooled] == [date for _, date in TEXTS * 3]


def test_a_dated_text_is_its_text_and_puts_its_date_on_the_doc():
    nlp = load_nlp()
    text, date = TEXTS[1]
    dated = dated_text(text, date)
    assert dated == text and isinstance(dated, str) and dated_text(text, None) is text
    back = pickle.loads(pickle.dumps(dated))  # how it reaches a worker process
    assert back == text and back.article_date == date
    doc = nlp(back)
    assert doc._.article_date == date and doc.text == text
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]
    by_hand = nlp.make_doc(text)  # the date set on the Doc itself gives the same events
    by_hand._.article_date = date
    assert doc._.events == nlp(by_hand)._.events
    assert nlp(text)._.article_date is None


@pytest.mark.slow
def test_build_with_two_jobs_gives_the_same_graph():
    """Articles go to the workers as text, a dated one carrying its date: the same graph as one process."""
    run_time = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    graphs: dict[tuple[int, str | None], set] = {}
    for date in (None, "2023-10-11"):
        for jobs in (1, 2):
            store = GraphStore()
            opts = BuildOptions(run_time=run_time, n_process=jobs, article_date=date)
            summary = build([ROOT / "seeds"], store, opts, log=lambda m: None)
            assert summary.articles == 2 and summary.events > 0
            graphs[jobs, date] = set(store.to_rdflib())
    assert graphs[1, None] == graphs[2, None]
    assert graphs[1, "2023-10-11"] == graphs[2, "2023-10-11"]

    def event_dates(graph: set) -> set[tuple]:
        return {(s, o) for s, p, o in graph if p == DIP.date}

    assert len(event_dates(graphs[2, "2023-10-11"])) > len(event_dates(graphs[2, None]))  # weekdays resolved in workers


# ----------------------------------------------------------------------------- the start-up cache
def small_data(tmp_path: Path) -> Path:
    """A copy of kg/data with a short person list, so compiling its gazetteer takes a moment."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "kg" / "data", data)
    persons = (data / "persons.jsonl").read_text(encoding="utf-8").splitlines()
    (data / "persons.jsonl").write_text("\n".join(persons[:300]) + "\n", encoding="utf-8")
    return data


def add_country_alias(data: Path, iso3: str, alias: str) -> None:
    path = data / "countries.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        if row["iso3"] == iso3:
            row["aliases"].append(alias)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def bare_nlp():
    return spacy.load(default_model())


def ents(nlp, gazetteer, text: str) -> list[tuple[str, str, str]]:
    doc = gazetteer(nlp.make_doc(text))
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


@pytest.mark.slow
def test_gazetteer_is_cached_and_rebuilt_when_its_data_changes(tmp_path, monkeypatch, bare_nlp):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    data = small_data(tmp_path)
    first = Gazetteer(bare_nlp)
    assert load_gazetteer(first, data) is False  # compiled
    assert len(list(cache.glob("gazetteer-*"))) == 1
    second = Gazetteer(bare_nlp)
    assert load_gazetteer(second, data) is True  # read back
    assert second.entries == first.entries and second.longest == first.longest
    text = "Freedonia and Egypt signed an accord in Cairo."
    assert ents(bare_nlp, second, text) == [("Egypt", "GPE", "country:EGY"), ("Cairo", "GPE", "place:Cairo")]

    add_country_alias(data, "EGY", "Freedonia")
    _cached_lexicon.cache_clear()  # as in a new process
    third = Gazetteer(bare_nlp)
    assert load_gazetteer(third, data) is False  # the data changed: compiled again
    assert ("Freedonia", "GPE", "country:EGY") in ents(bare_nlp, third, text)
    assert len(list(cache.glob("gazetteer-*"))) == 1  # the stale entry is gone


@pytest.mark.slow
def test_an_unwritable_cache_falls_back_to_compiling(tmp_path, monkeypatch, bare_nlp):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    data = small_data(tmp_path)
    for _ in range(2):
        gaz = Gazetteer(bare_nlp)
        assert load_gazetteer(gaz, data) is False
        assert ("Egypt", "GPE", "country:EGY") in ents(bare_nlp, gaz, "Egypt protested.")


@pytest.mark.slow
def test_lexicon_cache_follows_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    data = small_data(tmp_path)
    first = load_lexicon(data)
    assert len(list((tmp_path / "cache").glob("lexicon-*"))) == 1
    with (data / "event_lexicon.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"lemma": "snub", "pos": "VERB", "class": "Rejection", "target": ["dobj"]}) + "\n")
    _cached_lexicon.cache_clear()  # as in a new process
    second = load_lexicon(data)
    assert not first.rules_for("snub", "VERB") and second.rules_for("snub", "VERB")
    assert second.rules == build_lexicon(data).rules  # what the cache gives is what compiling gives
    assert len(list((tmp_path / "cache").glob("lexicon-*"))) == 1


def test_geonames_city_table_is_cached_as_compiled(tmp_path, monkeypatch):
    from kg.lexicon import geonames

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    geonames._city_countries.cache_clear()  # as in a new process
    compiled = geonames._city_countries()
    assert len(list((tmp_path / "cache").glob("geonames-cities--*"))) == 1
    geonames._city_countries.cache_clear()
    assert geonames._city_countries() == compiled == geonames._compile_city_countries()
    assert geonames.city_country("Kramatorsk") == "UKR" and geonames.city_country("no such town") is None
    geonames._city_countries.cache_clear()


@pytest.mark.slow
def test_gazetteer_finds_what_spacys_entity_ruler_finds(tmp_path, bare_nlp):
    """Same patterns, same entities as spaCy's EntityRuler, on the seed articles."""
    lex = build_lexicon(small_data(tmp_path))
    patterns = gazetteer_patterns(lex)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    assert texts
    ruler_nlp = spacy.load(default_model(), exclude=bare_nlp.pipe_names)  # the same tokenizer, no components
    ruler = ruler_nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)
    gaz = Gazetteer(bare_nlp)
    gaz.add_patterns(patterns)
    for text in texts:
        expected = [(e.start, e.end, e.label_, e.ent_id_) for e in ruler(bare_nlp.make_doc(text)).ents]
        got = [(e.start, e.end, e.label_, e.ent_id_) for e in gaz(bare_nlp.make_doc(text)).ents]
        assert got == expected and len(got) > 10
