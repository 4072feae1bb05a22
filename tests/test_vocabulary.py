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
