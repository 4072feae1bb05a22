// DiploKG's page: saved queries with forms, sortable tables, evidence in its article, timelines, SPARQL editor.
// Plain JavaScript, no framework and no CDN: everything is served by `kg serve` from the package.
"use strict";
const RES = "https://w3id.org/diplokg/resource/";
const ACTOR_KINDS = ["country/", "person/", "org/", "group/"];
const $ = (id) => document.getElementById(id);
let queries = [];

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

async function runSaved(name, params) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  if (name !== "evidence" && name !== "timeline") {
    history.replaceState(null, "", "#query=" + name + "&run=1" + (String(qs) ? "&" + qs : ""));  // a link to these results; no hashchange
  }
  status("running " + name + " ...");
  try {
    showTable(await fetchJson(`/api/${name}?${qs}`, { headers: { Accept: "application/json" } }));
  } catch (e) {
    $("results").innerHTML = "";
    status(e.message, true);
  }
}

function showForm(q, values) {
  document.querySelectorAll("aside button").forEach((b) => b.classList.toggle("active", b.dataset.name === q.name));
  $("editor-area").hidden = true;
  $("evidence").hidden = true;
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
    runSaved(q.name, Object.fromEntries(new FormData(form)));
  });
  area.append(h, p, form);
  return form;
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
      let at = 0;
      spans.sort((a, b) => a[0] - b[0]);
      for (const [b, e] of spans) {
        if (b < at) continue;
        box.appendChild(document.createTextNode(art.text.slice(at, b)));
        const mark = document.createElement("mark");
        mark.textContent = art.text.slice(b, e);
        box.appendChild(mark);
        at = e;
      }
      box.appendChild(document.createTextNode(art.text.slice(at)));
    }
    box.hidden = false;
    box.querySelector("mark")?.scrollIntoView({ block: "center" });
  } catch (e) {
    status(e.message, true);
  }
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
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith("event=")) return showEvidence(hash.slice(6));
  if (hash.startsWith("timeline=")) {
    const actor = hash.slice(9);
    showForm(queries.find((x) => x.name === "timeline"), { actor });
    return runSaved("timeline", { actor });
  }
  if (hash === "sparql") {
    $("form-area").innerHTML = "";
    $("evidence").hidden = true;
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
