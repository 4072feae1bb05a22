// DiploKG's page: saved queries with forms, sortable tables, evidence in its article, timelines, happenings with
// their reports side by side, SPARQL editor.
// Plain JavaScript, no framework and no CDN: everything is served by `kg serve` from the package.
"use strict";
const RES = "https://w3id.org/diplokg/resource/";
const ACTOR_KINDS = ["country/", "person/", "org/", "group/"];
const $ = (id) => document.getElementById(id);
let queries = [];
let routed = 0;  // counts the views asked for: a slow view drops its answer when another was asked for meanwhile

function short(iri) {
  if (iri.startsWith(RES)) return iri.slice(RES.length);
  const hash = iri.lastIndexOf("#");
  return hash >= 0 ? iri.slice(hash + 1) : iri;
}

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  td.dataset.sort = term.value;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.textContent = short(term.value);
    a.title = term.value;
    if (term.value.startsWith(RES + "event/")) {
      a.href = "#event=" + encodeURIComponent(term.value);
      a.className = "event-link";
    } else if (term.value.startsWith(RES + "happening/")) {
      a.href = "#happening=" + encodeURIComponent(term.value);
      a.className = "happening-link";
    } else if (ACTOR_KINDS.some((k) => term.value.startsWith(RES + k))) {
      a.href = "#timeline=" + encodeURIComponent(term.value);
      a.className = "actor-link";
    } else {
      a.href = term.value;
    }
    td.appendChild(a);
  } else {
    td.textContent = term.value;
    if (term.value.length > 60) td.className = "long";
  }
  return td;
}

function showTable(data) {
  const table = $("results");
  table.innerHTML = "";
  const vars = data.head.vars || [];
  const thead = table.createTHead().insertRow();
  vars.forEach((v, i) => {
    const th = document.createElement("th");
    th.textContent = v;
    th.addEventListener("click", () => sortBy(i, th));
    thead.appendChild(th);
  });
  const body = table.createTBody();
  for (const b of data.results.bindings) {
    const tr = body.insertRow();
    vars.forEach((v) => tr.appendChild(cell(b[v])));
  }
  status(`${data.results.bindings.length} row${data.results.bindings.length === 1 ? "" : "s"}`);
}

function sortBy(index, th) {
  const body = $("results").tBodies[0];
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const key = (tr) => tr.children[index].dataset.sort || "";
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const nx = Number(x), ny = Number(y);
    const c = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
    return ascending ? c : -c;
  });
  rows.forEach((r) => body.appendChild(r));
}

async function fetchJson(url, options) {
  const r = await fetch(url, options);
  const text = await r.text();
  if (!r.ok) {
    let message = text;
    try { message = JSON.parse(text).error || text; } catch (e) { /* plain text error */ }
    throw new Error(message.trim());
  }
  return JSON.parse(text);
}

// Runs a saved query into the results table and gives its results (null on an error, which status shows).
// `link`: make the address a link to these results (the views with their own #event=..., #happening=... don't).
async function runSaved(name, params, link = true) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  if (link && name !== "evidence" && name !== "timeline") {
    history.replaceState(null, "", "#query=" + name + "&run=1" + (String(qs) ? "&" + qs : ""));  // a link to these results; no hashchange
  }
  status("running " + name + " ...");
  try {
    const data = await fetchJson(`/api/${name}?${qs}`, { headers: { Accept: "application/json" } });
    showTable(data);
    return data;
  } catch (e) {
    $("results").innerHTML = "";
    status(e.message, true);
    return null;
  }
}

function showForm(q, values) {
  document.querySelectorAll("aside button").forEach((b) => b.classList.toggle("active", b.dataset.name === q.name));
  $("editor-area").hidden = true;
  $("evidence").hidden = true;
  $("happening").hidden = true;
  const area = $("form-area");
  area.innerHTML = "";
  const h = document.createElement("h2");
  h.textContent = q.name;
  const p = document.createElement("p");
  p.className = "hint";
  p.textContent = q.summary;
  const form = document.createElement("form");
  form.id = "query-form";
  for (const param of q.params) {
    const label = document.createElement("label");
    label.textContent = param.name + (param.required ? " (required) " : " ");
    const input = document.createElement("input");
    input.name = param.name;
    input.id = "param-" + param.name;
    input.placeholder = param.description || param.type;
    input.required = param.required;
    input.value = (values && values[param.name]) || "";
    label.appendChild(input);
    form.appendChild(label);
  }
  const button = document.createElement("button");
  button.type = "submit";
  button.id = "run";
  button.textContent = "Run";
  form.appendChild(button);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const view = q.name === "reports" && values.happening ? "#happening=" + encodeURIComponent(values.happening) : null;
    if (view && view !== location.hash) location.hash = view;  // the happening view, with its own place in history
    else if (view) route();
    else runSaved(q.name, values);
  });
  area.append(h, p, form);
  return form;
}

// Appends `text` to `box` with each [begin, end, title] span in a <mark> (overlapping spans: the first wins).
function markText(box, text, spans) {
  let at = 0;
  spans.sort((a, b) => a[0] - b[0]);
  for (const [b, e, title] of spans) {
    if (b < at) continue;
    box.appendChild(document.createTextNode(text.slice(at, b)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(b, e);
    if (title) mark.title = title;
    box.appendChild(mark);
    at = e;
  }
  box.appendChild(document.createTextNode(text.slice(at)));
}

async function showEvidence(eventIri) {
  const q = queries.find((x) => x.name === "evidence");
  showForm(q, { event: eventIri });
  await runSaved("evidence", { event: eventIri });
  const rows = Array.from($("results").tBodies[0]?.rows || []);
  const box = $("evidence");
  box.innerHTML = "";
  if (!rows.length) return;
  const col = (name) => Array.from($("results").tHead.rows[0].cells).findIndex((c) => c.textContent === name);
  const article = rows[0].children[col("article")].dataset.sort;
  const spans = rows.map((r) => [Number(r.children[col("begin")].dataset.sort), Number(r.children[col("end")].dataset.sort)]);
  try {
    const art = await fetchJson("/api/article?iri=" + encodeURIComponent(article));
    const h = document.createElement("h3");
    h.textContent = (art.title || art.name) + " (" + art.name + ")";
    box.appendChild(h);
    if (!art.text) {
      box.appendChild(document.createTextNode("(the graph does not hold this article's text)"));
    } else {
      markText(box, art.text, spans);
    }
    box.hidden = false;
    box.querySelector("mark")?.scrollIntoView({ block: "center" });
  } catch (e) {
    status(e.message, true);
  }
}

function actorLinks(actors) {
  const span = document.createElement("span");
  actors.forEach((a, i) => {
    if (i) span.appendChild(document.createTextNode(", "));
    const link = document.createElement("a");
    link.textContent = a.label || short(a.iri);
    link.title = a.iri;
    link.href = ACTOR_KINDS.some((k) => a.iri.startsWith(RES + k)) ? "#timeline=" + encodeURIComponent(a.iri) : a.iri;
    link.className = "actor-link";
    span.appendChild(link);
  });
  if (!actors.length) span.textContent = "?";
  return span;
}

// The top of the happening view: its label, then type, actors, place, date, counts and confidence.
function happeningHeader(h) {
  const frag = document.createDocumentFragment();
  const title = document.createElement("h3");
  title.id = "happening-label";
  title.textContent = h.label || short(h.iri);
  title.title = h.iri;
  const facts = document.createElement("p");
  facts.id = "happening-facts";
  const fact = (cls, ...parts) => {
    const span = document.createElement("span");
    span.className = cls;
    span.append(...parts);
    facts.appendChild(span);
  };
  fact("happening-type", h.plover || "?");
  fact("happening-actors", actorLinks(h.sources), " \u2192 ", actorLinks(h.targets));
  if (h.place) fact("happening-place", "in " + (h.place.label || short(h.place.iri)));
  fact("happening-date", h.date ? "on " + h.date : "undated");
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  fact("happening-counts", plural(h.reports, "report") + " by " + plural(h.outlets, "outlet"));
  if (h.confidence !== null) fact("happening-confidence", "confidence " + h.confidence);
  if (h.firstReported) fact("happening-reported", "reported " + h.firstReported +
                              (h.lastReported && h.lastReported !== h.firstReported ? " to " + h.lastReported : ""));
  frag.append(title, facts);
  return frag;
}

// One card of the happening view: an article that reports it, its text with the reports' sentences marked.
async function reportCard(rows) {
  const first = rows[0];
  const card = document.createElement("article");
  card.className = "report";
  card.dataset.article = first.article.value;
  card.dataset.docName = first.docName.value;
  const head = document.createElement("div");
  head.className = "report-head";
  const line = (cls, text) => {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    head.appendChild(span);
    return span;
  };
  line("report-outlet", first.outlet ? first.outlet.value : "(outlet unknown)");
  line("report-published", first.published ? first.published.value : "(undated)");
  line("report-file", first.docName.value);
  const events = document.createElement("span");
  events.className = "report-events";
  const seen = new Set();
  for (const r of rows) {
    if (seen.has(r.event.value)) continue;
    seen.add(r.event.value);
    const a = document.createElement("a");
    a.href = "#event=" + encodeURIComponent(r.event.value);
    a.className = "event-link";
    a.title = r.event.value;
    a.textContent = short(r.eventType.value) + " (" + r.factuality.value + ")";
    if (seen.size > 1) events.appendChild(document.createTextNode(" · "));
    events.appendChild(a);
  }
  head.appendChild(events);
  const text = document.createElement("div");
  text.className = "report-text";
  card.append(head, text);
  const spans = new Map();  // one mark per sentence, titled with every report it is the evidence of
  for (const r of rows) {
    const key = r.begin.value + "-" + r.end.value, what = short(r.eventType.value) + ", " + r.factuality.value;
    if (!spans.has(key)) spans.set(key, [Number(r.begin.value), Number(r.end.value), what]);
    else if (!spans.get(key)[2].split("; ").includes(what)) spans.get(key)[2] += "; " + what;
  }
  try {
    const art = await fetchJson("/api/article?iri=" + encodeURIComponent(first.article.value));
    if (art.title) head.insertBefore(line("report-title", art.title), events);
    if (art.text) {
      markText(text, art.text, Array.from(spans.values()));
      return card;
    }
  } catch (e) { /* shown below as the sentences alone */ }
  text.appendChild(document.createTextNode("(the graph does not hold this article's text; its sentences:)\n"));
  for (const sentence of new Set(rows.map((r) => r.sentence.value))) {
    const mark = document.createElement("mark");
    mark.textContent = sentence;
    text.append(mark, "\n");
  }
  return card;
}

async function showHappening(iri) {
  showForm(queries.find((x) => x.name === "reports"), { happening: iri });
  const mine = routed;
  const box = $("happening");
  box.innerHTML = "";
  delete box.dataset.ready;
  const facts = fetchJson("/api/happening?iri=" + encodeURIComponent(iri)).catch((e) => e);
  const data = await runSaved("reports", { happening: iri }, false);
  if (!data || mine !== routed) return;
  const byArticle = new Map();  // in the query's order: by publication date, then file name
  for (const r of data.results.bindings) {
    if (!byArticle.has(r.article.value)) byArticle.set(r.article.value, []);
    byArticle.get(r.article.value).push(r);
  }
  const cards = await Promise.all(Array.from(byArticle.values(), reportCard));
  const h = await facts;
  if (mine !== routed) return;  // another view was asked for meanwhile
  if (h instanceof Error) status(h.message, true);
  else box.appendChild(happeningHeader(h));
  const row = document.createElement("div");
  row.id = "reports";
  row.append(...cards);
  box.appendChild(row);
  box.hidden = false;
  for (const card of cards) {  // each card scrolled to its first marked sentence (the page itself stays put)
    const text = card.querySelector(".report-text");
    const mark = text.querySelector("mark");
    if (mark) text.scrollTop = mark.offsetTop - (text.clientHeight - mark.offsetHeight) / 2;
  }
  box.scrollIntoView({ block: "nearest" });
  box.dataset.ready = "yes";
}

async function runSparql() {
  status("running SPARQL ...");
  try {
    const data = await fetchJson("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" },
      body: new URLSearchParams({ query: $("sparql-text").value }),
    });
    if ("boolean" in data) { $("results").innerHTML = ""; status("answer: " + data.boolean); } else showTable(data);
  } catch (e) {
    $("results").innerHTML = "";
    status(e.message, true);
  }
}

function route() {
  routed += 1;
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith("event=")) return showEvidence(hash.slice(6));
  if (hash.startsWith("happening=")) return showHappening(hash.slice(10));
  if (hash.startsWith("timeline=")) {
    const actor = hash.slice(9);
    showForm(queries.find((x) => x.name === "timeline"), { actor });
    return runSaved("timeline", { actor });
  }
  if (hash === "sparql") {
    $("form-area").innerHTML = "";
    $("evidence").hidden = true;
    $("happening").hidden = true;
    $("editor-area").hidden = false;
    return;
  }
  // #query=NAME shows its form; #query=NAME&run=1&param=value runs it (links and the back button land on results)
  const parts = new URLSearchParams(location.hash.slice(1));
  const q = queries.find((x) => x.name === parts.get("query"));
  if (!q) return;
  const run = parts.has("run");
  parts.delete("query");
  parts.delete("run");
  const values = Object.fromEntries(parts);
  showForm(q, values);
  if (run) return runSaved(q.name, values);
}

async function start() {
  queries = await fetchJson("/api/queries");
  const aside = $("queries");
  for (const q of queries) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.name = q.name;
    b.id = "query-" + q.name;
    b.innerHTML = "<strong></strong><small></small>";
    b.firstChild.textContent = q.name;
    b.lastChild.textContent = q.summary;
    b.addEventListener("click", () => { location.hash = "query=" + q.name; });
    aside.appendChild(b);
  }
  $("sparql-run").addEventListener("click", runSparql);
  $("sparql-text").addEventListener("keydown", (e) => { if (e.ctrlKey && e.key === "Enter") runSparql(); });
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.ready = "yes";
}

start().catch((e) => status(e.message, true));
