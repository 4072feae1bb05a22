"""`kg serve --store` under load: N clients run the saved queries (and small ad hoc ones) while M hostile clients
send runaway queries and a build adds an article to the store. Loopback only, bounded in count and time.

Reports throughput, p50/p95/p99 latency of the saved-query requests, answers by status code, when the build's
article was first served (no restart), and the server's CPU (its process and its query workers) in the seconds
after the hostile clients stop.

    python benchmarks/bench_serve.py [--clients 20] [--hostile 6] [--seconds 20] [--timeout 5]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/diplokg/ontology#Article> }"
SAVED = [("events", {}), ("actors", {}), ("meetings", {}), ("mediations", {}), ("statements", {}),
         ("timeline", {"actor": "EGY"}), ("timeline", {"actor": "Israel"}), ("timeline", {"actor": "USA"})]
AD_HOC = ["SELECT ?e ?s WHERE { ?e a <https://w3id.org/diplokg/ontology#Meeting> ; "
          "<https://w3id.org/diplokg/ontology#evidence>/<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?s }",
          ARTICLES]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its children (a server and its query workers) so far."""
    me = psutil.Process(pid)
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--hostile", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=20.0, help="how long the clients run")
    ap.add_argument("--timeout", type=float, default=5.0, help="the server's time limit per query")
    ap.add_argument("--workers", type=int, default=None, help="the server's --workers (default: its own)")
    ap.add_argument("--no-build", action="store_true", help="do not build into the store during the run")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-serve-bench-"))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    (work / "first").mkdir()
    (work / "later").mkdir()
    for f in seeds[:-1]:
        shutil.copy(f, work / "first" / f.name)
    shutil.copy(seeds[-1], work / "later" / seeds[-1].name)
    store = work / "store"
    subprocess.run([*KG, "build", str(work / "first"), "--store", str(store), "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    cmd = [*KG, "serve", "--store", str(store), "--port", str(port), "--timeout", str(args.timeout)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    print(server.stdout.readline().strip(), flush=True)
    url = f"http://127.0.0.1:{port}"
    saved_latency: list[float] = []
    by_code: dict[str, collections.Counter] = {"saved": collections.Counter(), "ad hoc": collections.Counter(),
                                               "hostile": collections.Counter()}
    hostile_stop = asyncio.Event()
    stop = asyncio.Event()
    rng = random.Random(7)
    first_served: list[float] = []
    errors: list[str] = []  # the first few unexpected errors, quoted in the report
    limits = httpx.Limits(max_connections=args.clients + args.hostile + 4)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        for _ in range(100):
            try:
                if (await http.get("/api/queries")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        async def n_events() -> int:  # through /api: the ad hoc share may be held by the runaway queries
            r = await http.get("/api/events")
            return len(r.json()["results"]["bindings"]) if r.status_code == 200 else -1

        n_before = await n_events()

        async def client(k: int) -> None:
            while not stop.is_set():
                if k % 5 == 4:  # one client in five runs small ad hoc queries through /sparql
                    kind, request = "ad hoc", http.get("/sparql", params={"query": rng.choice(AD_HOC)})
                else:
                    name, params = rng.choice(SAVED)
                    kind, request = "saved", http.get(f"/api/{name}", params=params)
                t = time.perf_counter()
                r = await request
                if kind == "saved":
                    saved_latency.append(time.perf_counter() - t)
                by_code[kind][r.status_code] += 1
                if r.status_code >= 500 and r.status_code != 503 and len(errors) < 5:
                    errors.append(f"{kind} {r.status_code}: {r.text.strip()[:200]}")

        async def hostile() -> None:
            while not hostile_stop.is_set():
                r = await http.post("/sparql", data={"query": RUNAWAY})
                by_code["hostile"][r.status_code] += 1
                if r.status_code == 503 and "busy" in r.text:
                    await asyncio.sleep(float(r.headers.get("retry-after", "1")))

        async def watch_build() -> None:
            await asyncio.sleep(args.seconds / 4)
            t0 = time.perf_counter()
            build = await asyncio.create_subprocess_exec(*KG, "build", str(work / "later"), "--store", str(store),
                                                         "--quiet", stdout=asyncio.subprocess.DEVNULL)
            await build.wait()
            built = time.perf_counter()
            while not stop.is_set():
                if await n_events() > n_before:
                    first_served.extend([built - t0, time.perf_counter() - built])
                    return
                await asyncio.sleep(0.1)

        start = time.perf_counter()
        tasks = [asyncio.create_task(client(k)) for k in range(args.clients)]
        hostiles = [asyncio.create_task(hostile()) for _ in range(args.hostile)]
        builder = None if args.no_build else asyncio.create_task(watch_build())
        await asyncio.sleep(args.seconds)
        hostile_stop.set()
        await asyncio.gather(*hostiles)
        hostile_end = time.perf_counter()
        stop.set()
        await asyncio.gather(*tasks)
        if builder is not None:
            await builder
        elapsed = hostile_end - start
        cpu = []
        last = tree_cpu(server.pid)
        for _ in range(3):
            await asyncio.sleep(1.0)
            now = tree_cpu(server.pid)
            cpu.append(now - last)
            last = now
    server.terminate()
    server.wait(10)
    shutil.rmtree(work, ignore_errors=True)
    total = sum(sum(c.values()) for c in by_code.values())
    print(f"clients {args.clients}, hostile {args.hostile}, {elapsed:.1f} s, server time limit {args.timeout:g} s, "
          f"{os.cpu_count()} CPUs")
    print(f"requests: {total:,} ({total / elapsed:.0f}/s); saved queries {sum(by_code['saved'].values()):,} "
          f"({sum(by_code['saved'].values()) / elapsed:.0f}/s)")
    for kind, codes in by_code.items():
        print(f"  {kind:8} " + ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items())))
    for line in errors:
        print("  e.g. " + line)
    ms = [x * 1000 for x in saved_latency]
    print(f"saved-query latency: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
          f"p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms, mean {statistics.mean(ms):.0f} ms")
    if first_served:
        print(f"build during the run: {first_served[0]:.1f} s; its article served {first_served[1]:.2f} s after it "
              "finished (no restart)")
    elif not args.no_build:
        print("build during the run: its article was NOT served")
    print("server CPU after the hostile clients stopped (process + workers), per second: "
          + ", ".join(f"{c * 100:.0f}%" for c in cpu))


if __name__ == "__main__":
    asyncio.run(main())
