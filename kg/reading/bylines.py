"""Who made an article: the outlet and the authors its page names, as agents with stable IRIs.

kg/reading/pages.py reads the site's name (og:site_name, JSON-LD publisher) and the author line (meta author, byline,
JSON-LD author; trafilatura joins several with '; ') off the page. The outlet is an organisation; the author
line is split into names, each a person, or an organisation when it names a wire agency or a collective
('Reuters', 'Al Jazeera Staff'); a job title or a bare kind ('Diplomatic Correspondent', 'agencies') names
nobody. The linguistic rules are data (kg/data/bylines.json).

Keys depend on the name only, so one outlet (or author) is one node however many articles name it.
Organisations live under res:agent/ (with the DiploKG software agent), persons under res:author/: an author
is kept apart from res:person/, the people the events are about, so journalists never appear as actors.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..resources import DATA_DIR

PERSON, ORGANIZATION = "person", "organization"


@dataclass(frozen=True)
class Agent:
    """An outlet or author as the graph holds it; `key` becomes its IRI path (res:<key>)."""

    key: str
    label: str
    kind: str  # PERSON or ORGANIZATION


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = json.loads((DATA_DIR / "bylines.json").read_text(encoding="utf-8"))
    return {"separator": re.compile(rules["separator"], re.I), "prefix": re.compile(rules["prefix"], re.I),
            "roles": frozenset(rules["roles"]), "collective": frozenset(rules["collective"]),
            "agencies": frozenset(rules["agencies"])}


def name_key(name: str) -> str:
    """A name's IRI key: case-folded, every run of non-word characters one '-'. Unlike lexicon.slug it keeps
    non-ASCII letters, so 'Türkiye Today' and 'Tarkiye Today' stay two outlets."""
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" .-–—|")


def outlet(site: str | None) -> Agent | None:
    """The organisation that published the article, from the site's name; None when the page names none."""
    label = _clean(site or "")
    key = name_key(label)
    return Agent(key=f"agent/{key}", label=label, kind=ORGANIZATION) if key else None


def creators(author: str | None, site: str | None = None) -> list[Agent]:
    """The agents an author line names, in its order, each once; job titles and empty parts left out."""
    rules = _rules()
    site_key = name_key(_clean(site or ""))
    found: dict[str, Agent] = {}
    for part in rules["separator"].split(author or ""):
        label = _clean(rules["prefix"].sub("", _clean(part)))
        key = name_key(label)
        if not key:
            continue
        words = key.split("-")
        if words[-1] in rules["roles"] or set(words) <= rules["collective"]:
            continue  # 'Diplomatic Correspondent', 'Staff Writer', 'Agencies': a title or a kind, not a name
        if key == site_key or label.casefold() in rules["agencies"] or rules["collective"] & set(words):
            agent = Agent(key=f"agent/{key}", label=label, kind=ORGANIZATION)
        else:
            agent = Agent(key=f"author/{key}", label=label, kind=PERSON)
        found.setdefault(agent.key, agent)
    return list(found.values())
