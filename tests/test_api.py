"""The Python API on real text: kg.build -> a graph to query, turn into DataFrames, save and validate."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEEDS

import kg
from kg.serving.events_table import COLUMN_NAMES

TEXT = ("Egypt's Foreign Minister Sameh Shukry met Qatar's foreign minister in Cairo on Monday "
        "to discuss a ceasefire in Gaza, officials said.")


@pytest.fixture(scope="module")
def graph():
    return kg.build([SEEDS, TEXT], date="2021-05-17")


def test_build_reads_folders_and_texts(graph):
    assert graph.summary.articles == 3 and not graph.summary.skipped
    events = graph.events()
    mine = events[events.article_name == "text-001.txt"]
    assert set(mine.plover_type) == {"CONSULT"}
    row = mine[mine.target_code == "QATGOV"].iloc[0]
    assert (row.source_code, row.source_label, row.place_name, row.place_country) == ("EGYGOV", "Sameh Shukry", "Cairo", "EGY")
    assert row.story_date == "2021-05-17"  # "on Monday", resolved against the given publication date


def test_query_takes_parameters_like_the_cli(graph):
    timeline = graph.query("timeline", actor="EGY")
    assert isinstance(timeline, pd.DataFrame)
    assert "Sameh Shukry" in set(timeline.sourceLabel)
    assert set(graph.query("events", plover="consult").plover) == {"CONSULT"}
    assert len(graph.query("events", plover="CONSULT")) < len(graph.query("events"))
    evidence = graph.query("evidence", event=timeline.event.iloc[0])
    assert evidence.begin.dtype.kind == "i" and evidence.sentence.iloc[0]


def test_events_and_actors_are_dataframes(graph):
    events, actors = graph.events(), graph.actors()
    assert list(events.columns) == COLUMN_NAMES
    assert events.confidence.between(0, 1).all()
    assert {"Egypt", "Qatar", "Sameh Shukry", "Hamas"} <= set(actors.label)
    assert actors.set_index("label").loc["Egypt", "wikidata"] == "Q79"


def test_save_reload_and_validate(graph, tmp_path):
    for name in ("g.ttl", "g.nq", "g.jsonld"):
        path = graph.save(tmp_path / name)
        again = kg.load(path)
        assert len(again.events()) == len(graph.events())
    assert graph.validate().conforms
    assert len(kg.load(tmp_path / "g.nq")) == len(graph)


def test_a_missing_path_is_an_error_not_a_text():
    with pytest.raises(FileNotFoundError, match="no_such_folder"):
        kg.build(["no_such_folder"])


def test_sparql_on_the_graph(graph):
    df = graph.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?e a dip:Meeting }")
    events = graph.events()
    assert df.n.iloc[0] == events[events.event_class == "Meeting"].event_id.nunique() > 0
