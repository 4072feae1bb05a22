"""An article's publication date travelling with its text through `nlp.pipe`, into worker processes.

Weekdays and 'yesterday' resolve against the article's date. A `DatedText` is a string that carries
the date (pickle keeps it), and `DatedTokenizer`, installed by `kg.nlp.model`, puts it on the Doc as
`doc._.article_date`. A Doc made here and sent instead would cost this process the tokenising and both
ends its serialisation (~3 ms an article, more than the event component itself).
"""
from __future__ import annotations

from spacy.tokens import Doc

if not Doc.has_extension("article_date"):
    Doc.set_extension("article_date", default=None)


class DatedText(str):
    """An article's text carrying its publication date (ISO 8601). It is a str to spaCy and to pickle
    (which keeps the attribute), so it reaches nlp.pipe's worker processes as cheaply as a plain text."""

    __slots__ = ("article_date",)

    def __new__(cls, text: str, article_date: str) -> DatedText:
        out = super().__new__(cls, text)
        out.article_date = article_date
        return out

    def __reduce__(self):
        return DatedText, (str(self), self.article_date)


def dated_text(text: str, article_date: str | None) -> str:
    """The text to pass to `nlp.pipe` for an article: a DatedText when the date is known, else the text."""
    return DatedText(text, article_date) if article_date else text


class DatedTokenizer:
    """The model's tokenizer, putting a DatedText's date on the Doc it makes (`doc._.article_date`).
    spaCy calls `nlp.tokenizer(text)` for each text, in the parent or in a worker process; everything else
    (vocab, explain, serialisation) is the wrapped tokenizer's."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if type(text) is str:
            return self.tokenizer(text)
        doc = self.tokenizer(str(text))  # the Cython tokenizer takes an exact str
        doc._.article_date = getattr(text, "article_date", None)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        if name == "tokenizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
