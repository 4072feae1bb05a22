"""`kg serve` over HTTP: SPARQLWrapper as the client, the REST API, limits, and the page in a real headless browser
(its saved queries, evidence, timelines and SPARQL editor on the seeds; its happening view on two story sets)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
import urllib.error
from pathlib import Path

import httpx
import pytest
import uvicorn
from conftest import ROOT
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.pipeline.options import BuildOptions
from kg.pipeline.runner import build
from kg.serving.endpoint import Limits, create_app
from kg.serving.queries import get_query, run_query
from kg.store.graph_store import GraphStore

ARTIFACTS = Path(os.environ.get("DIPLOKG_ARTIFACTS", ROOT / "test-artifacts"))
STORIES = ROOT / "tests" / "fixtures" / "stories"
STORY_SETS = ("mali_ambassador", "two_strikes")  # one wire story rerun by four sites; two strikes days apart
HAPPENING = "https://w3id.org/diplokg/resource/happening/"
MEETINGS = "SELECT ?event ?sentence WHERE { ?event a dip:Meeting ; dip:evidence/nif:anchorOf ?sentence } ORDER BY ?event ?sentence"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app):
    """The app on a real uvicorn server on 127.0.0.1 (a free port), stopped after."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base(seeds_store):
    with running(create_app(seeds_store)) as url:
        yield url


def test_sparqlwrapper_gets_every_results_format(base, seeds_store):
    expected = [(r["event"].value, r["sentence"].value) for r in seeds_store.query(MEETINGS)]
    assert expected
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery("PREFIX dip: <https://w3id.org/diplokg/ontology#>\n"
                    "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n" + MEETINGS)
    for method in ("GET", "POST"):
        client.setMethod(method)
        client.setReturnFormat(JSON)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert [(r["event"]["value"], r["sentence"]["value"]) for r in rows] == expected
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode().splitlines()[0] == "event,sentence"
    client.setReturnFormat(TSV)
    tsv = client.queryAndConvert().decode().splitlines()
    assert tsv[0] == "?event\t?sentence" and tsv[1].startswith("<" + expected[0][0] + ">")
    client.setReturnFormat(XML)
    xml = client.queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == len(expected)
    client.setQuery("ASK { ?e a <https://w3id.org/diplokg/ontology#Meeting> }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?e a <https://w3id.org/diplokg/ontology#Meeting> } "
                    "WHERE { ?e a <https://w3id.org/diplokg/ontology#Meeting> }")
    client.setReturnFormat(TURTLE)
    assert client.queryAndConvert().decode().count("dip:Meeting") == len({e for e, _ in expected})


def test_updates_are_refused(base, seeds_store):
    before = len(seeds_store)
    client = SPARQLWrapper(base + "/sparql")
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as refused:  # SPARQLWrapper sends it as an update: 403
        client.query()
    assert refused.value.code == 403
    r = httpx.post(base + "/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403 and "read-only" in r.text
    r = httpx.get(base + "/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "read-only" in r.text
    assert len(seeds_store) == before


def test_row_and_time_limits_give_clear_errors(seeds_store):
    with running(create_app(seeds_store, Limits(seconds=30, rows=5))) as url:
        everything = "SELECT * WHERE { ?s ?p ?o }"
        r = httpx.get(url + "/sparql", params={"query": everything})
        assert r.status_code == 400 and "more than 5 rows" in r.text and "LIMIT" in r.text
        assert len(httpx.get(url + "/sparql", params={"query": everything + " LIMIT 5"}).json()["results"]["bindings"]) == 5
        assert httpx.get(url + "/api/events").status_code == 400
    with running(create_app(seeds_store, Limits(seconds=0.1, rows=5))) as url:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a dip:Meeting }"  # millions of joins
        started = time.perf_counter()
        r = httpx.get(url + "/sparql", params={"query": slow}, timeout=30)
        assert r.status_code == 503 and "time limit of 0.1 s" in r.text
        assert time.perf_counter() - started < 5


def test_saved_queries_as_rest_api(base, seeds_store):
    variables, rows = run_query(seeds_store, get_query("timeline"), {"actor": "EGY"})
    r = httpx.get(base + "/api/timeline", params={"actor": "EGY"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    body = r.json()
    assert body["head"]["vars"] == variables
    assert [b["event"]["value"] for b in body["results"]["bindings"]] == [row["event"].value for row in rows]
    csv_text = httpx.get(base + "/api/timeline", params={"actor": "Egypt", "format": "csv"}).text
    assert len(csv_text.strip().splitlines()) == len(rows) + 1
    assert httpx.get(base + "/api/timeline", headers={"Accept": "text/csv"}, params={"actor": "EGY"}).text == csv_text
    missing = httpx.get(base + "/api/timeline")
    assert missing.status_code == 400 and "actor" in missing.json()["error"]
    assert httpx.get(base + "/api/nosuchquery").status_code == 404
    spec = httpx.get(base + "/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    timeline = spec["paths"]["/api/timeline"]["get"]
    assert {p["name"]: p["required"] for p in timeline["parameters"]} == {"actor": True, "page": False, "format": False}
    # a page through /api is the query's page: on the seeds every Egypt event fits on page 1, page 2 is empty
    first = httpx.get(base + "/api/timeline", params={"actor": "EGY", "page": "1"}).json()["results"]["bindings"]
    assert [b["event"]["value"] for b in first] == [row["event"].value for row in rows]
    assert httpx.get(base + "/api/timeline", params={"actor": "EGY", "page": "2"}).json()["results"]["bindings"] == []
    bad_page = httpx.get(base + "/api/timeline", params={"actor": "EGY", "page": "0"})
    assert bad_page.status_code == 400 and "page" in bad_page.json()["error"]
    assert set(spec["paths"]) == {f"/api/{q['name']}" for q in httpx.get(base + "/api/queries").json()} \
        | {"/api/article", "/api/happening"}


@pytest.fixture(scope="module")
def stories_store() -> GraphStore:
    """Two story sets built with their happenings: several articles report each of some events."""
    store = GraphStore()
    summary = build([STORIES / name for name in STORY_SETS], store, BuildOptions(), log=lambda m: None)
    assert summary.articles == 8 and not summary.skipped
    return store


@pytest.fixture(scope="module")
def stories_base(stories_store):
    with running(create_app(stories_store)) as url:
        yield url


def _reported_twice(store: GraphStore) -> list[dict]:
    """The happenings query's rows of happenings reported by two or more articles."""
    _, rows = run_query(store, get_query("happenings"), {})
    return [r for r in rows if int(r["reports"].value) >= 2]


def test_a_happening_by_iri(stories_base, stories_store):
    rows = _reported_twice(stories_store)
    assert rows, "the stories hold happenings with several reports"
    iri = rows[0]["happening"].value
    dyads = [r for r in rows if r["happening"].value == iri]
    r = httpx.get(stories_base + "/api/happening", params={"iri": iri})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    h = r.json()
    assert h["iri"] == iri and h["label"]
    assert (h["plover"], h["date"], h["reports"], h["outlets"], h["confidence"]) == (
        dyads[0]["plover"].value, dyads[0]["date"].value, int(dyads[0]["reports"].value),
        int(dyads[0]["outlets"].value), float(dyads[0]["confidence"].value))
    assert {a["iri"] for a in h["sources"]} == {d["source"].value for d in dyads if "source" in d}
    assert {a["iri"] for a in h["targets"]} == {d["target"].value for d in dyads if "target" in d}
    assert all(a["label"] for a in h["sources"] + h["targets"])
    if "place" in dyads[0]:
        assert h["place"]["iri"] == dyads[0]["place"].value
    _, reports = run_query(stories_store, get_query("reports"), {"happening": iri})
    published = sorted(x["published"].value for x in reports if "published" in x)
    assert (h["firstReported"], h["lastReported"]) == (published[0], published[-1])
    missing = httpx.get(stories_base + "/api/happening", params={"iri": HAPPENING + "0000000000000000"})
    assert missing.status_code == 404 and "no happening" in missing.json()["error"]
    for bad in ({}, {"iri": ""}, {"iri": "https://w3id.org/diplokg/resource/event/x"},
                {"iri": HAPPENING + "x> } ; SELECT * { ?s ?p ?o"}, {"iri": HAPPENING + "a b"}):
        refused = httpx.get(stories_base + "/api/happening", params=bad)
        assert refused.status_code == 400 and "iri=" in refused.json()["error"]
    spec = httpx.get(stories_base + "/api/openapi.json").json()["paths"]["/api/happening"]["get"]
    assert [(p["name"], p["required"]) for p in spec["parameters"]] == [("iri", True)]


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (Path(chromium).exists() and Path(driver_path).exists()):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed (.ci/run installs them with apt-get)")
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"diplokg-chromium-{os.getpid()}-{time.monotonic_ns()}"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1800,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options), profile


@pytest.mark.slow
def test_the_page_in_a_headless_browser(base, seeds_store):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    _, expected = run_query(seeds_store, get_query("meetings"), {"factuality": "asserted"})
    assert expected, "the seeds hold asserted meetings"
    driver, profile = _browser()
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(base + "/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "yes")
        driver.find_element(By.ID, "query-meetings").click()
        field = wait.until(ec.presence_of_element_located((By.ID, "param-factuality")))
        field.send_keys("asserted")
        driver.find_element(By.ID, "run").click()
        wait.until(lambda d: d.find_element(By.ID, "status").text.endswith("rows") or "row" in d.find_element(By.ID, "status").text)
        rows = driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        header = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")]
        assert len(rows) == len(expected)
        sentences = [r.find_elements(By.TAG_NAME, "td")[header.index("sentence")].text for r in rows]
        assert sentences == [e["sentence"].value for e in expected]
        factuality = {r.find_elements(By.TAG_NAME, "td")[header.index("factuality")].text for r in rows}
        assert factuality == {"asserted"}
        # sort by a column, both ways
        th = driver.find_elements(By.CSS_SELECTOR, "#results thead th")[header.index("sourceLabel")]
        th.click()
        labels = [r.find_elements(By.TAG_NAME, "td")[header.index("sourceLabel")].text
                  for r in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")]
        assert labels == sorted(labels, key=str.lower) or labels == sorted(labels)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "serve.png"))
        assert (ARTIFACTS / "serve.png").stat().st_size > 10_000
        # an event links to its evidence sentence, highlighted in its article
        first_event = driver.find_element(By.CSS_SELECTOR, "#results tbody a.event-link")
        first_event.click()
        mark = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#evidence mark")))
        assert mark.text in {e["sentence"].value for e in expected}
        driver.save_screenshot(str(ARTIFACTS / "serve-evidence.png"))
        # an actor links to its timeline
        driver.execute_script("history.back()")
        actor = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#results tbody a.actor-link")))
        actor_iri = actor.get_attribute("title")
        actor.click()
        wait.until(lambda d: d.find_element(By.ID, "param-actor").get_attribute("value") == actor_iri)
        wait.until(lambda d: "row" in d.find_element(By.ID, "status").text)
        _, timeline = run_query(seeds_store, get_query("timeline"), {"actor": actor_iri})
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == len(timeline)
        # the SPARQL editor
        driver.get(base + "/#sparql")
        editor = wait.until(ec.visibility_of_element_located((By.ID, "sparql-text")))
        editor.clear()
        editor.send_keys("SELECT ?a WHERE { ?a a dip:Country } ORDER BY ?a")
        driver.find_element(By.ID, "sparql-run").click()
        wait.until(lambda d: "row" in d.find_element(By.ID, "status").text)
        n_countries = len(list(seeds_store.query("SELECT ?a WHERE { ?a a dip:Country }")))
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == n_countries
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.slow
def test_a_happening_shows_its_reports_side_by_side_in_a_headless_browser(stories_base, stories_store):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def shown(d) -> bool:
        box = d.find_element(By.ID, "happening")
        return box.get_attribute("hidden") is None and box.get_attribute("data-ready") == "yes"

    def check_view(iri: str) -> list:
        """The happening view on the page against the reports query: one card per article, its sentences marked."""
        _, reports = run_query(stories_store, get_query("reports"), {"happening": iri})
        sentences: dict[str, set[str]] = {}
        for r in reports:
            sentences.setdefault(r["docName"].value, set()).add(r["sentence"].value)
        cards = driver.find_elements(By.CSS_SELECTOR, "#happening .report")
        assert sorted(c.get_attribute("data-doc-name") for c in cards) == sorted(sentences)
        for card in cards:
            name = card.get_attribute("data-doc-name")
            assert card.find_element(By.CLASS_NAME, "report-file").text == name
            row = next(r for r in reports if r["docName"].value == name)
            if "outlet" in row:
                assert card.find_element(By.CLASS_NAME, "report-outlet").text == row["outlet"].value
            if "published" in row:
                assert card.find_element(By.CLASS_NAME, "report-published").text == row["published"].value
            marks = [m.get_attribute("textContent")
                     for m in card.find_elements(By.CSS_SELECTOR, ".report-text mark")]
            assert marks and set(marks) <= sentences[name], (name, marks)
            # the card's text is scrolled so that its first marked sentence is in sight
            assert driver.execute_script(
                "const t = arguments[0].querySelector('.report-text'), m = t.querySelector('mark');"
                "const a = t.getBoundingClientRect(), b = m.getBoundingClientRect();"
                "return b.top >= a.top - 1 && b.top < a.bottom;", card)
        # side by side: the cards share one row
        assert len({c.location["y"] for c in cards}) == 1 and len({c.location["x"] for c in cards}) == len(cards)
        return cards

    twice = _reported_twice(stories_store)
    assert twice, "the stories hold happenings with several reports"
    driver, profile = _browser()
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(stories_base + "/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "yes")
        driver.find_element(By.ID, "query-happenings").click()
        wait.until(ec.element_to_be_clickable((By.ID, "run"))).click()
        wait.until(lambda d: "row" in d.find_element(By.ID, "status").text)
        _, everything = run_query(stories_store, get_query("happenings"), {})
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == len(everything)
        header = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")]
        # a happening reported by the most articles
        row = max((r for r in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")),
                  key=lambda r: int(r.find_elements(By.TAG_NAME, "td")[header.index("reports")].text))
        link = row.find_elements(By.TAG_NAME, "td")[header.index("happening")].find_element(By.CSS_SELECTOR,
                                                                                        "a.happening-link")
        iri = link.get_attribute("title")
        assert iri.startswith(HAPPENING) and iri in {r["happening"].value for r in twice}
        link.click()
        wait.until(shown)
        assert driver.execute_script("return decodeURIComponent(location.hash)") == "#happening=" + iri
        facts = httpx.get(stories_base + "/api/happening", params={"iri": iri}).json()
        assert driver.find_element(By.ID, "happening-label").text == facts["label"]
        assert driver.find_element(By.CLASS_NAME, "happening-type").text == facts["plover"]
        counts = f"{facts['reports']} reports by {facts['outlets']} outlet"
        assert counts in driver.find_element(By.ID, "happening-facts").text
        cards = check_view(iri)
        assert len(cards) >= 2
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "serve-happening.png"))
        assert (ARTIFACTS / "serve-happening.png").stat().st_size > 10_000
        # back to the happenings table, as from the evidence view
        driver.execute_script("history.back()")
        wait.until(lambda d: d.find_element(By.ID, "happening").get_attribute("hidden") is not None)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results tbody a.happening-link")) > 0)
        assert driver.execute_script("return location.hash").startswith("#query=happenings&run=1")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == len(everything)
        # forward again, then from a report's event to its evidence and back
        driver.execute_script("history.forward()")
        wait.until(shown)
        check_view(iri)
        driver.find_element(By.CSS_SELECTOR, "#happening .report a.event-link").click()
        wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#evidence mark")))
        assert driver.find_element(By.ID, "happening").get_attribute("hidden") is not None
        driver.execute_script("history.back()")
        wait.until(shown)
        # the events query links each event's happening, and the link opens its view
        _, events = run_query(stories_store, get_query("events"), {"plover": facts["plover"]})
        driver.get(stories_base + "/#query=events&run=1&plover=" + facts["plover"])
        wait.until(lambda d: "row" in d.find_element(By.ID, "status").text)
        links = driver.find_elements(By.CSS_SELECTOR, "#results tbody a.happening-link")
        assert {a.get_attribute("title") for a in links} == {e["happening"].value
                                                             for e in events if "happening" in e}
        next(a for a in links if a.get_attribute("title") == iri).click()
        wait.until(shown)
        check_view(iri)
        # a link straight to another happening opens its view
        other = next(r["happening"].value for r in twice if r["happening"].value != iri)
        driver.get(stories_base + "/#happening=" + other)
        wait.until(shown)
        check_view(other)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_serve_option_errors_are_one_line(seeds_ttl, capsys):
    from kg.cli.app import main

    assert main(["serve", "--graph", "no/such.ttl"]) == 2
    assert main(["serve", "--graph", str(seeds_ttl), "--port", "70000"]) == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "--graph", str(seeds_ttl), "--port", str(busy.getsockname()[1])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("kg: error:") for line in err)
    assert "cannot listen" in err[2]
