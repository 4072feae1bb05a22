"""Vocabulary other tools read right: NIF offsets checkable against nif:isString."""
from __future__ import annotations


def test_nif_offsets_index_the_article_string(seeds_store):
    rows = list(seeds_store.query("""
        SELECT ?text ?anchor ?b ?e WHERE {
          ?s a nif:Sentence ; nif:anchorOf ?anchor ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?a .
          ?a nif:isString ?text }"""))
    assert len(rows) >= 20  # every evidence sentence of the seeds
    for r in rows:
        assert r["text"].value[int(r["b"].value):int(r["e"].value)] == r["anchor"].value


def test_output_files_follow_the_umask(seeds_store, tmp_path):
    import os
    import stat

    from kg.cli import main

    ttl = tmp_path / "g.ttl"
    seeds_store.export(ttl)
    old = os.umask(0o022)
    try:
        for mask, expected in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
            os.umask(mask)
            out = tmp_path / f"out-{mask:o}.nt"
            assert main(["export", "--graph", str(ttl), "--out", str(out), "--events", str(tmp_path / f"e-{mask:o}.csv")]) == 0
            assert stat.S_IMODE(out.stat().st_mode) == expected
            assert stat.S_IMODE((tmp_path / f"e-{mask:o}.csv").stat().st_mode) == expected
    finally:
        os.umask(old)
