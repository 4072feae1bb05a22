"""spaCy's `nlp.pipe` made robust for a build: long texts parsed in chunks, and an article that makes the
pipe raise is parsed alone and skipped, never taking its batch down with it.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator

from spacy.tokens import Doc

from ..extraction.component import EVENTS_PIPE
from ..reading.article import Article
from .options import ArticleError, stage_error


def parse_long(nlp, text: str, article_date: str | None = None, extract: bool = True) -> Doc:
    """A text over the model's max_length parsed in paragraph-aligned chunks and joined into one Doc
    (offsets unchanged); the event component then runs once on the whole Doc (unless `extract` is False: the
    caller runs it), so events and coreference see the article whole. A single paragraph over the limit
    cannot be split safely: ValueError."""
    limit = nlp.max_length
    chunks: list[str] = []
    current = ""
    for para in re.split(r"(?<=\n\n)", text):  # keeps the blank lines with the paragraph before them
        if len(para) > limit:
            raise ValueError(f"a paragraph of {len(para):,} characters is over the model's limit of {limit:,}")
        if len(current) + len(para) > limit:
            chunks.append(current)
            current = ""
        current += para
    if current:
        chunks.append(current)
    events = EVENTS_PIPE if EVENTS_PIPE in nlp.pipe_names else None
    with nlp.select_pipes(disable=[events] if events else []):
        docs = list(nlp.pipe(chunks))
    joined = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])
    if events and extract:
        joined._.article_date = article_date
        joined = nlp.get_pipe(events)(joined)
    return joined


def parse_guarded(nlp, items: Iterator[tuple[str, Article]], batch_size: int, n_process: int,
                  on_error: Callable[[ArticleError], None], extract: bool = True) -> Iterator[tuple[Doc, Article]]:
    """`nlp.pipe` that one article cannot stop: long texts are parsed in chunks, and if the pipe raises,
    the articles it held are parsed one by one (the one that fails is skipped) and the pipe restarts.
    With `extract` False the event component is left out (the caller runs it on each doc)."""
    skip = [EVENTS_PIPE] if not extract and EVENTS_PIPE in nlp.pipe_names else []
    pending: deque = deque()  # (what was sent, article): in the pipe, not yet out
    ready: list[tuple[Doc, Article]] = []  # parsed apart (long texts)
    source_error: list[BaseException] = []  # an error of the input itself (the store, the disk): not an article's

    def feed() -> Iterator[str]:
        try:
            for text, article in items:
                if len(article.text) > nlp.max_length:
                    try:
                        ready.append((parse_long(nlp, article.text, article.date, extract), article))
                    except Exception as exc:  # noqa: BLE001
                        on_error(stage_error(article.path, "parsing", exc))
                    continue
                pending.append((text, article))
                yield text
        except Exception as exc:
            source_error.append(exc)
            raise

    source = feed()
    while True:
        try:
            # Not as_tuples: spaCy would then make a Doc of every text here and send it to the workers serialised
            # (tokenising and msgpack in this process, ~1/8 of a --jobs 2 build); a text goes to them as it is.
            # Docs come out in the order their texts went in, so the oldest pending article is this doc's.
            for doc in nlp.pipe(source, batch_size=batch_size, n_process=n_process, disable=skip):
                article = pending[0][1]
                if _char_length(doc) != len(article.text):  # never seen: a doc the pipe dropped would shift them
                    raise RuntimeError("nlp.pipe returned a doc out of order")  # redone one by one below
                pending.popleft()
                yield from _drain(ready)
                yield doc, article
            yield from _drain(ready)
            return
        except Exception:  # noqa: BLE001 - the pipe is dead: redo what it held, one at a time
            if source_error:
                raise source_error[0] from None
        held = list(pending)
        pending.clear()
        for sent, article in held:
            try:
                doc = nlp(sent, disable=skip)  # the text, with the article's date
            except Exception as exc:  # noqa: BLE001
                on_error(stage_error(article.path, "parsing", exc))
                continue
            yield doc, article
        yield from _drain(ready)


def _char_length(doc: Doc) -> int:
    """len(doc.text) without building the text."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _drain(ready: list) -> Iterator:
    while ready:
        yield ready.pop(0)
