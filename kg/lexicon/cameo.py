"""The PETRARCH2 CAMEO verb dictionary as a trigger source: verbs, multi-word verbs and phrase patterns.

kg/data/cameo_verbs.jsonl lists every verb of the dictionary (with its particle or object words for
multi-word verbs such as 'shoot down' or 'set fire') and the CAMEO code of its block;
kg/data/cameo_patterns.jsonl lists each block's patterns: words that must come before the verb
(its subject side) or after it (its objects and prepositional phrases), in order, and the code
they give, or null where the phrase is no event ('killed in an accident'). Both are derived from
CAMEO.2.0.txt by tools/derive_data.py. The longest matching pattern wins, as in PETRARCH.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from ..resources import read_jsonl

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
    firsts: tuple[frozenset[str], ...]  # per item, the first words of its alternatives: a cheap first test
    size: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Pattern:
        def items(raw: list) -> Items:
            return tuple(tuple(tuple(alt) for alt in item) for item in raw)

        pre, post = items(row["pre"]), items(row["post"])
        firsts = tuple(frozenset(alt[0] for alt in item) for item in (*pre, *post))
        return cls(pre, post, row.get("cameo"), firsts, len(pre) + len(post))

    def possible(self, words: set[str]) -> bool:
        return all(not first.isdisjoint(words) for first in self.firsts)


@dataclass(frozen=True)
class Coding:
    """What the dictionary says of one verb token: its CAMEO code (None: no event) and how it was found."""

    cameo: str | None
    how: str  # 'pattern' or 'verb'
    phrase_end: int  # index of the last token of a multi-word verb
    words: int = 0  # how many words the matching pattern needed


def _pair(tok: Token) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


Words = list[tuple[str, str]]  # (lower form, lemma) of each token of a clause side, in order


def _words(toks: list[Token]) -> Words:
    return [_pair(t) for t in toks]


def _match_items(items: Items, words: Words) -> bool:
    """Each item found in order (gaps allowed); a multi-word alternative must be consecutive."""
    pos = 0
    n = len(words)
    for item in items:
        found = False
        while pos < n and not found:
            for alt in item:
                end = pos + len(alt)
                if end <= n and all(w in words[pos + k] for k, w in enumerate(alt)):
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
        # per block, a first word of a pattern's first item -> that pattern's position: `code` then tests only the
        # patterns the clause's words make possible, in the same (longest first) order
        self._by_first: dict[str, tuple[dict[str, list[int]], list[int]]] = {}
        for block, pats in self.patterns.items():
            index: dict[str, list[int]] = {}
            always = [i for i, pat in enumerate(pats) if not pat.firsts]  # no words needed: always possible
            for i, pat in enumerate(pats):
                for word in (pat.firsts[0] if pat.firsts else ()):
                    index.setdefault(word, []).append(i)
            self._by_first[block] = (index, always)
        # blocks with a pattern that says "no event" over two words or more (the only codings that veto a curated verb)
        self._vetoing = {block for block, pats in self.patterns.items() if any(p.cameo is None and p.size >= 2 for p in pats)}

    @classmethod
    def load(cls, data_dir: Path) -> CameoDictionary:

        return cls(read_jsonl(data_dir / "cameo_verbs.jsonl"), read_jsonl(data_dir / "cameo_patterns.jsonl"))

    def __contains__(self, lemma: str) -> bool:
        return lemma in self.verbs

    def code(self, verb: Token, lemmas: Sequence[str], before: list[Token], after: list[Token]) -> Coding | None:
        """The code of `verb` given the words of its clause before and after it; None if it is no verb of the
        dictionary. A Coding with cameo None means the dictionary knows the phrase and says it is no event."""
        pre = _words(before)
        for lemma in lemmas:
            for entry in self.verbs.get(lemma, ()):
                end = self._phrase_end(verb, entry.phrase)
                if end is None:
                    continue
                post = _words([t for t in after if t.i > end])
                present = {w for pair in pre + post for w in pair}
                for pat in self._possible(entry.block, present):
                    if pat.possible(present) and _match_items(pat.pre, pre) and _match_items(pat.post, post):
                        return Coding(pat.cameo, "pattern", end, pat.size)
                return Coding(entry.cameo, "verb", end)
        return None

    def may_veto(self, lemmas: Sequence[str]) -> bool:
        """Whether `code` could find, for a verb with these lemmas, a pattern of two words or more that says the
        phrase is no event: False when none of their entries' blocks has one (most verbs), so the clause need not
        be read."""
        return any(entry.block in self._vetoing for lemma in lemmas for entry in self.verbs.get(lemma, ()))

    def _possible(self, block: str, present: set[str]) -> list[Pattern]:
        """The block's patterns, longest first, less those whose first item has no word in `present` (which
        `Pattern.possible` would refuse): a verb's block has up to ~180 patterns and a clause a few dozen words."""
        pats = self.patterns.get(block, [])
        if len(pats) < 8:
            return pats
        index, always = self._by_first[block]
        found: set[int] = set(always)
        for word in present:
            hits = index.get(word)
            if hits is not None:
                found.update(hits)
        return [pats[i] for i in sorted(found)]

    @staticmethod
    def _phrase_end(verb: Token, phrase: tuple[str, ...]) -> int | None:
        """Index of the last word of a multi-word verb right after the verb (determiners and adverbs may
        stand between: 'set the building on fire' is not 'set fire', but 'shot them down' is 'shoot down')."""
        if not phrase:
            return verb.i
        doc = verb.doc
        i = verb.i + 1
        for word in phrase:
            while i < len(doc) and i < verb.i + 5 and doc[i].pos_ in ("DET", "ADV", "PRON") and word not in _pair(doc[i]):
                i += 1
            if i >= len(doc) or word not in _pair(doc[i]) or doc[i].sent != verb.sent:
                return None
            i += 1
        return i - 1
