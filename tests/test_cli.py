"""The `kg` command line, end to end on real files: exit codes, formats and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.cli.app import main

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str) -> int:
    return main([str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "g.ttl"
    assert kg("build", ROOT / "seeds", "--out", out, "--quiet") == 0
    return out


def test_build_writes_turtle_and_summary(built, capsys):
    g = Graph().parse(built)
    assert len(g) > 500
    assert not Path(str(built) + ".quarantine.ttl").exists()


def test_query_json_has_seed_events(built, capsys):
    capsys.readouterr()
    assert kg("query", "events", "--graph", built, "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["results"]["bindings"]
    assert any(r.get("sourceCountry", {}).get("value") == "EGY" and r["factuality"]["value"] == "asserted" for r in rows)
    assert all("sentence" in r for r in rows)


def test_query_table_and_csv(built, capsys):
    capsys.readouterr()
    assert kg("query", "meetings", "--graph", built) == 0
    table = capsys.readouterr().out
    assert "Sameh Shukry" in table and "rows)" in table
    assert kg("query", "actors", "--graph", built, "--format", "csv") == 0
    assert capsys.readouterr().out.startswith("actor,label,actorType,country,position,wikidata")


def test_queries_lists_summaries(capsys):
    assert kg("queries") == 0
    out = capsys.readouterr().out
    assert "events" in out and "timeline" in out and "actor" in out


def test_validate_good_and_broken(built, tmp_path, capsys):
    assert kg("validate", built) == 0
    broken = tmp_path / "broken.ttl"
    text = built.read_text(encoding="utf-8").replace("dip:factuality dip:Asserted", "dip:factuality dip:Maybe", 1)
    broken.write_text(text, encoding="utf-8")
    assert kg("validate", broken) == 1
    assert "does not conform" in capsys.readouterr().out


@pytest.mark.parametrize("args,message", [
    (["validate", "{bad}"], "not valid RDF"),
    (["query", "events", "--graph", "{bad}"], "not valid RDF"),
    (["query", "nope", "--graph", "{good}"], "unknown query"),
    (["query", "timeline", "--graph", "{good}", "--param", "actor"], "expected NAME=VALUE"),
    (["query", "timeline", "--graph", "{good}", "--param", "actor=Atlantis"], "no actor"),
    (["query", "events", "--graph", "{missing}"], "no such graph file"),
    (["build", "{seeds}"], "needs --out"),
    (["build", "{seeds}", "--out", "{tmp}/x.ttl", "--format", "docx"], "unknown RDF format"),
])
def test_errors_are_one_line_exit_2(built, tmp_path, capsys, args, message):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ", encoding="utf-8")
    subs = {"{bad}": str(bad), "{good}": str(built), "{missing}": str(tmp_path / "none.ttl"),
            "{seeds}": str(ROOT / "seeds"), "{tmp}": str(tmp_path)}
    argv = []
    for a in args:
        for k, v in subs.items():
            a = a.replace(k, v)
        argv.append(a)
    capsys.readouterr()
    assert kg(*argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err


@pytest.mark.parametrize("fmt,suffix", [("nt", ".nt"), ("nq", ".nq"), ("trig", ".trig"), ("jsonld", ".jsonld"), ("xml", ".rdf")])
def test_export_formats_round_trip(built, tmp_path, fmt, suffix):
    out = tmp_path / ("g" + suffix)
    assert kg("export", "--graph", built, "--out", out, "--format", fmt) == 0
    if fmt in ("nq", "trig"):
        ds = Dataset()
        ds.parse(out, format={"nq": "nquads", "trig": "trig"}[fmt])
        n = len(set((s, p, o) for s, p, o, _ in ds.quads()))
    else:
        n = len(Graph().parse(out, format={"nt": "nt", "jsonld": "json-ld", "xml": "xml"}[fmt]))
    assert n == len(Graph().parse(built))


def test_help_for_every_command():
    for cmd in ("build", "validate", "query", "queries", "export", "eval"):
        r = subprocess.run([sys.executable, "-m", "kg.cli", cmd, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "usage: kg" in r.stdout
