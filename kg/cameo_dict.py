"""The PETRARCH2 CAMEO verb dictionary as a trigger source: verbs, multi-word verbs and phrase patterns.

kg/data/cameo_verbs.jsonl lists every verb of the dictionary (with its particle or object words for
multi-word verbs such as 'shoot down' or 'set fire') and the CAMEO code of its block;
kg/data/cameo_patterns.jsonl lists each block's patterns: words that must come before the verb
(its subject side) or after it (its objects and prepositional phrases), in order, and the code
they give, or null where the phrase is no event ('killed in an accident'). Both are derived from
CAMEO.2.0.txt by tools/derive_data.py. The longest matching pattern wins, as in PETRARCH.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Token

Items = tuple[tuple[tuple[str, ...], ...], ...]  # items -> alternatives -> consecutive words


@dataclass(frozen=True)
class DictVerb:
    lemma: str
    phrase: tuple[str, ...]  # words that follow the verb: 'down' of 'shoot down', 'fire' of 'set fire'
    block: str
    cameo: str | None


@dataclass(frozen=True)
class Pattern:
    pre: Items
    post: Items
    cameo: str | None
    words: frozenset[str]  # every word the pattern needs: a cheap first test
    size: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Pattern:
        def items(raw: list) -> Items:
            return tuple(tuple(tuple(alt) for alt in item) for item in raw)

        pre, post = items(row["pre"]), items(row["post"])
        required = {item[0][0] for item in (*pre, *post) if len(item) == 1}
        return cls(pre, post, row.get("cameo"), frozenset(required), len(pre) + len(post))


@dataclass(frozen=True)
class Coding:
    """What the dictionary says of one verb token: its CAMEO code (None: no event) and how it was found."""

    cameo: str | None
    how: str  # 'pattern' or 'verb'
    phrase_end: int  # index of the last token of a multi-word verb


def _words(tok: Token) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


def _match_items(items: Items, toks: list[Token]) -> bool:
    """Each item found in order (gaps allowed); a multi-word alternative must be consecutive."""
    pos = 0
    for item in items:
        found = False
        while pos < len(toks) and not found:
            for alt in item:
                end = pos + len(alt)
                if end <= len(toks) and all(w in _words(toks[pos + k]) for k, w in enumerate(alt)):
                    pos = end
                    found = True
                    break
            else:
                pos += 1
        if not found:
            return False
    return True


class CameoDictionary:
    def __init__(self, verbs: list[dict[str, Any]], patterns: list[dict[str, Any]]):
        self.verbs: dict[str, list[DictVerb]] = {}
        for row in verbs:
            v = DictVerb(row["lemma"], tuple(row.get("phrase", ())), row["block"], row.get("cameo"))
            self.verbs.setdefault(v.lemma, []).append(v)
        for entries in self.verbs.values():
            entries.sort(key=lambda v: -len(v.phrase))  # 'shoot down' before 'shoot'
        self.patterns: dict[str, list[Pattern]] = {}
        for row in patterns:
            self.patterns.setdefault(row["block"], []).append(Pattern.from_row(row))
        for pats in self.patterns.values():
            pats.sort(key=lambda p: -p.size)

    @classmethod
    def load(cls, data_dir: Path) -> CameoDictionary:
        from .lexicon import read_jsonl

        return cls(read_jsonl(data_dir / "cameo_verbs.jsonl"), read_jsonl(data_dir / "cameo_patterns.jsonl"))

    def __contains__(self, lemma: str) -> bool:
        return lemma in self.verbs

    def code(self, verb: Token, lemmas: list[str], before: list[Token], after: list[Token]) -> Coding | None:
        """The code of `verb` given the words of its clause before and after it; None if it is no verb of the
        dictionary. A Coding with cameo None means the dictionary knows the phrase and says it is no event."""
        for lemma in lemmas:
            for entry in self.verbs.get(lemma, ()):
                end = self._phrase_end(verb, entry.phrase)
                if end is None:
                    continue
                rest = [t for t in after if t.i > end]
                words = {w for t in before + rest for w in _words(t)}
                for pat in self.patterns.get(entry.block, ()):
                    if pat.words <= words and _match_items(pat.pre, before) and _match_items(pat.post, rest):
                        return Coding(pat.cameo, "pattern", end)
                return Coding(entry.cameo, "verb", end)
        return None

    @staticmethod
    def _phrase_end(verb: Token, phrase: tuple[str, ...]) -> int | None:
        """Index of the last word of a multi-word verb right after the verb (determiners and adverbs may
        stand between: 'set the building on fire' is not 'set fire', but 'shot them down' is 'shoot down')."""
        if not phrase:
            return verb.i
        doc = verb.doc
        i = verb.i + 1
        for word in phrase:
            while i < len(doc) and i < verb.i + 5 and doc[i].pos_ in ("DET", "ADV", "PRON") and word not in _words(doc[i]):
                i += 1
            if i >= len(doc) or word not in _words(doc[i]) or doc[i].sent != verb.sent:
                return None
            i += 1
        return i - 1
