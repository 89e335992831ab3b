"""One benchmark command for the whole job: corpus, extraction, ingest, dashboard, browsers.

    .venv/bin/python bench/run.py            # full: 100,000 bulletins, 1M and 10M figures (≈ 40+ min)
    .venv/bin/python bench/run.py --quick    # CI-sized: 2,000 bulletins, 1M figures
    .venv/bin/python bench/run.py --json     # also print one JSON line (last line of stdout)
    .venv/bin/python bench/run.py --no-write # do not add a section to docs/BENCHMARKS.md
    .venv/bin/python bench/run.py --figures 1000000   # full, but the dashboard at 1M only

Not a timed test (tests/test_bench_run.py runs it on 24 bulletins to prove every step
works). Everything runs through the real commands (`python -m etl demo|ingest`,
`streamlit run app.py`, headless Chromium through Playwright), in bench/out/run/ (gitignored,
removed at the end unless --keep; --out puts it elsewhere). What it measures:

- demo: `etl demo --bulletins N` wall time, bulletins/s (all cores);
- extraction MB/s on one core over demo text (reading not timed) and over the sample page,
  next to one `re.finditer(r"\\d+")` pass over the same text (the regex ceiling);
- ingest: N bulletins with the default workers (`ingest_s_100k` in a full run), the same
  smaller corpus with `--workers 1` and `--workers 2` one after the other (the speedup),
  the peak memory of the whole process tree (ingest process, fork server, workers: RSS
  summed, and PSS, sampled every 50 ms) and the CPU of all those processes, re-ingest of
  the unchanged N, and 1,000 new bulletins added on top (100 in quick mode);
- dashboard at 1,000,000 figures and (full run) 10,000,000, replicated from the ingested
  rows with SQL as bench/bench_dashboard.py does: every query of dashboard.queries,
  uncached, p50/p95; AppTest reruns of every page after four filter changes (first time,
  uncached);
- twenty headless Chromium sessions on one `streamlit run` server on 127.0.0.1 (bounded:
  180 s), at the first size: browsers running and tabs open before the clock; all twenty
  click the overview at once (the page time), then twenty fresh tabs load it at once, with
  the CPU the server and Chromium used over each window; server RSS after;
- briefing packs: 10-county PowerPoint and Word 简报 build times.

On a shared machine wall times carry other people's load: the load average is recorded
before and after every step, and the CPU time of each subprocess beside its wall time.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench" / "out" / "run"
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"


def load() -> float:
    return round(os.getloadavg()[0], 1)


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S} load {load()}] {msg}", file=sys.stderr, flush=True)


def _mem(p) -> tuple[int, int]:
    """(RSS, PSS) of one process. PSS splits shared pages between the processes sharing
    them, so forked workers are not counted twice; where Linux gives no PSS it is RSS."""
    try:
        m = p.memory_full_info()
        return m.rss, getattr(m, "pss", m.rss)
    except Exception:
        m = p.memory_info()
        return m.rss, m.rss


class TreeRSS:
    """Peak memory of a process and all its children (sum of RSS, and of PSS), sampled; and
    the CPU each descendant had used when last seen (pool workers are not our children, so
    os.times() does not count them)."""

    def __init__(self, pid: int, every: float = 0.05):
        import psutil
        self.proc = psutil.Process(pid)
        self.every, self.peak, self.peak_pss = every, 0, 0
        self.cpu_of: dict[int, float] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        import psutil
        while not self._stop.is_set():
            try:
                rss, pss = _mem(self.proc)
                for c in self.proc.children(recursive=True):
                    try:
                        r, p = _mem(c)
                        rss, pss = rss + r, pss + p
                        t = c.cpu_times()
                        self.cpu_of[c.pid] = t.user + t.system
                    except psutil.Error:
                        pass
                self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            except psutil.Error:
                return
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._t.join(timeout=2)
        return self.peak

    @property
    def descendants_cpu(self) -> float:
        return sum(self.cpu_of.values())


def run_cmd(args, env=None, timeout=None) -> dict:
    """Run `python -m etl …`; wall, CPU (children), peak tree RSS, output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    r0 = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, *map(str, args)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    rss = TreeRSS(proc.pid)
    out, err = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - t0
    peak = rss.stop()
    peak_pss = rss.peak_pss
    r1 = os.times()
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    return {"rc": proc.returncode, "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak / 2**20,
            "cpu_tree_s": cpu + rss.descendants_cpu,
            "peak_pss_mb": peak_pss / 2**20,
            "stdout": out, "stderr": err}


def etl(*args, **kw) -> dict:
    return run_cmd(["-m", "etl", *args], **kw)


# ---------------------------------------------------------------- steps

def step_demo(n: int, out: Path, seed: int) -> dict:
    """Time `etl demo` into a fresh folder; a corpus already there is deleted only after.

    Why not delete it first: this host's ext4 has no journal, and then the kernel avoids
    reusing an inode deleted in the last 5 s (5 min while its inode-table block is unwritten)
    and checks every such inode of the group on each new file: right after deleting 100,000
    files, creating one costs 0.5-1 ms of kernel time instead of ~0.1 ms (2026-12-07,
    docs/BENCHMARKS.md), which would be timed as the generator's.
    """
    old = None
    if out.exists():
        old = out.with_name(f"{out.name}.old-{os.getpid()}")
        out.rename(old)
    r = etl("demo", "--bulletins", n, "--out", out, "--seed", seed)
    if old is not None:
        shutil.rmtree(old)
    if r["rc"] != 0:
        raise SystemExit(f"demo failed: {r['stderr'][-2000:]}")
    return {"bulletins": n, "wall_s": r["wall_s"], "cpu_s": r["cpu_s"],
            "bulletins_per_s": n / r["wall_s"]}


def step_extract(corpus: Path, n_docs: int, repeat: int) -> dict:
    from etl import extract
    from etl.dates import resolve_meta
    from etl.readers import read_document
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".html"))[:n_docs]
    docs = [read_document(p) for p in files]
    metas = [resolve_meta(d.path, d.text, None) for d in docs]
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    extract.extract_document(docs[0], metas[0])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for d, m in zip(docs, metas):
            extract.extract_document(d, m)
        best = min(best, time.process_time() - t0)
    digits = re.compile(r"\d+")
    best_rx = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for d in docs:
            for _m in digits.finditer(d.text):
                pass
        best_rx = min(best_rx, time.process_time() - t0)
    sample = read_document(SAMPLE)
    smb = len(sample.text.encode("utf-8")) / 1e6
    best_s = best_srx = float("inf")
    for _ in range(repeat + 2):
        t0 = time.process_time()
        for _i in range(20):
            extract.extract_text(sample.text, sample.path, sample.bulletin_id)
        best_s = min(best_s, (time.process_time() - t0) / 20)
        t0 = time.process_time()
        for _i in range(20):
            for _m in digits.finditer(sample.text):
                pass
        best_srx = min(best_srx, (time.process_time() - t0) / 20)
    return {"docs": len(docs), "mb": mb, "extract_mb_s_per_core": mb / best,
            "regex_ceiling_mb_s": mb / best_rx, "sample_mb_s": smb / best_s,
            "sample_regex_mb_s": smb / best_srx, "measured_as": "CPU time of this process"}


def step_ingest(corpus_args, wh: Path, workers=None, fresh=True) -> dict:
    if fresh and wh.exists():
        shutil.rmtree(wh)
    args = ["ingest", *corpus_args, "--warehouse", wh, "--no-progress"]
    if workers:
        args += ["--workers", workers]
    l0 = load()
    r = etl(*args)
    if r["rc"] not in (0, 1):
        raise SystemExit(f"ingest failed ({r['rc']}): {r['stderr'][-2000:]}")
    m = re.search(r"新增指标 figures added\s*│\s*(\d+)", r["stdout"])
    return {"wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "cpu_tree_s": r["cpu_tree_s"],
            "peak_rss_mb": r["peak_rss_mb"],
            "peak_pss_mb": r["peak_pss_mb"],
            "figures_added": int(m.group(1)) if m else None, "load_before": l0, "load_after": load(),
            "new_snapshot": "新快照 new snapshot:" in r["stdout"]}


def snapshot_copy_cost(wh: Path) -> dict:
    from etl import warehouse
    snap = warehouse.current_snapshot(wh)
    dst = snap.with_name(".bench-copy.tmp")
    t0 = time.perf_counter()
    how = warehouse.clone_file(snap, dst)
    took = time.perf_counter() - t0
    dst.unlink()
    return {"snapshot_mb": snap.stat().st_size / 1e6, "copy_s": took, "copy_method": how}


# ---------------------------------------------------------------- dashboard

def step_queries(wh: Path, repeat: int = 3) -> dict:
    """Every query the dashboard's query module makes, timed uncached on the snapshot."""
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from dashboard import queries, store
    from dashboard.filters import Filters
    from etl import warehouse as etl_wh

    con = etl_wh.connect_read_only(wh)
    from etl import corrections
    corrections.install(con, wh)  # as a dashboard connection has it: figures_effective joins the store
    times: dict[str, list[float]] = {}
    current = {"fn": "?"}

    def timed(snapshot_path, corrections_version, sql, params):  # store._cached_query's signature
        best = None
        for _ in range(repeat):
            cur = con.cursor()
            t0 = time.perf_counter()
            df = cur.execute(sql, list(params)).df()
            t = time.perf_counter() - t0
            cur.close()
            times.setdefault(current["fn"], []).append(t)
            best = df
        return best

    original = store._cached_query
    store._cached_query = timed
    try:
        return _run_queries(wh, con, store, queries, Filters, times, current)
    finally:
        store._cached_query = original   # AppTest runs the app in this process next
        con.close()


def _run_queries(wh, con, store, queries, Filters, times, current) -> dict:
    snap = store.current(wh)
    first_city = con.execute("SELECT city_code FROM figures WHERE city_code IS NOT NULL "
                             "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    county = con.execute("SELECT county_code FROM figures WHERE county_code IS NOT NULL "
                         "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    views = [Filters(), Filters(cities=(first_city,)), Filters(since=dt.date(2025, 6, 1)),
             Filters(categories=("disputes",)), Filters(include_demo=False)]
    import inspect
    for f in views:
        current["fn"] = "metric_measures"
        mm = queries.metric_measures(snap, f)
        metric, measure = (mm.iloc[0]["metric"], mm.iloc[0]["measure"]) if len(mm) else ("x", "count")
        # a series is read for one place, as the pages read it (the overview's and the
        # initiatives' trend: the place reporting it most); the whole series of every place is
        # tens of thousands of rows no page asks for
        current["fn"] = "(place of the series)"      # a lookup, not counted: the loop times series_places
        sp = queries.series_places(snap, f, metric, measure)
        times.pop(current["fn"], None)
        place = sp.sort_values(["n", "place_key"], ascending=[False, True]).iloc[0]["place_key"] if len(sp) else None
        for name, fn in inspect.getmembers(queries, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != queries.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            kwargs = {}
            for p in params[1:]:
                if p == "f":
                    kwargs[p] = f
                elif p == "metric":
                    kwargs[p] = metric
                elif p == "measure":
                    kwargs[p] = measure
                elif p == "county_code":
                    kwargs[p] = county
                elif p == "kind":
                    kwargs[p] = "unresolved"
                elif p == "place_key":
                    kwargs[p] = place
            current["fn"] = name
            try:
                fn(snap, **kwargs)
            except TypeError:
                continue
            except Exception as exc:  # a query that fails is reported, not hidden
                times.setdefault(name + " (failed: " + type(exc).__name__ + ")", []).append(float("nan"))
    flat = sorted(t for v in times.values() for t in v if t == t)
    per = {k: max(v) for k, v in times.items()}
    return {"n_query_runs": len(flat), "p50_ms": 1000 * statistics.median(flat),
            "p95_ms": 1000 * flat[int(0.95 * (len(flat) - 1))], "max_ms": 1000 * flat[-1],
            "worst_function": max(per, key=lambda k: per[k] if per[k] == per[k] else -1),
            "per_function_max_ms": {k: round(1000 * v, 1) for k, v in sorted(per.items())}}


def step_reruns(wh: Path) -> dict:
    from bench_dashboard import time_pages
    res = time_pages(wh, 1)
    flat = [t for runs in res.values() for r in runs for t in r]
    return {"pages": {p: round(max(r[0]), 3) for p, r in res.items()},
            "worst_s": max(flat), "median_s": statistics.median(flat), "n": len(flat)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_of(procs) -> float:
    """User + system CPU seconds of these psutil processes (those still alive)."""
    import psutil
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _tree(pid: int) -> list:
    import psutil
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _pcts(times: list[float]) -> tuple:
    """(median, p95 by nearest rank: the value 95 % of the times are at or below)."""
    times = sorted(times)
    if not times:
        return None, None
    return statistics.median(times), times[max(0, math.ceil(0.95 * len(times)) - 1)]


def step_sessions(wh: Path, n: int = 20, bound_s: float = 180) -> dict:
    """n headless Chromium sessions on one server (loopback), measured two ways.

    Browsers are running and every tab is open before the clock starts (one Chromium, one
    context per session, so n Streamlit sessions):

    - switch (the page time): every tab shows the app (the counties page) and all n click
      the overview at once; time from the click to the overview rendered and its script
      finished. This is what a user who has the dashboard open waits for, and it is the
      server's work plus rendering.
    - open: n fresh tabs load the overview URL at once; time from navigation to rendered.
      A page load makes each tab parse and run Streamlit's and Plotly's JavaScript (several
      seconds of CPU per tab): with n tabs on this machine's cores, that CPU, not the
      server's, is most of the time, so the CPU of Chromium and of the server over the
      same window are recorded beside it.

    Server RSS is read after both.
    """
    import psutil
    from playwright.async_api import async_playwright
    port = _free_port()
    logf = OUT / "streamlit.log"
    env = {**os.environ, "PINGAN_WAREHOUSE": str(wh), "PYTHONPATH": str(ROOT)}
    with open(logf, "wb") as fh:
        srv = subprocess.Popen([PY, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.headless", "true", "--server.address", "127.0.0.1"],
                               cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    rendered = ('[data-testid="stApp"][data-test-script-state="notRunning"]')
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        exe = os.environ.get("PINGAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
        server = psutil.Process(srv.pid)
        me = psutil.Process()
        errors: list[str] = []

        async def main():
            ms = bound_s * 1000
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=exe, headless=True,
                                                   args=["--no-sandbox", "--disable-gpu"])
                clients = [c for c in me.children(recursive=True)]  # the driver and Chromium

                async def tab():
                    ctx = await browser.new_context(viewport={"width": 1300, "height": 900})
                    return ctx, await ctx.new_page()

                async def ok(page) -> bool:
                    return await page.locator('[data-testid="stException"]').count() == 0

                async def window(work):
                    """Run n sessions' work at once: [(seconds or None, ok)], server and
                    client CPU over the window."""
                    if not work:
                        return [], 0.0, 0.0
                    procs = clients + [c for c in me.children(recursive=True) if c not in clients]
                    s0, c0 = _cpu_of([server]), _cpu_of(procs)
                    tasks = [asyncio.create_task(w) for w in work]
                    done, pending = await asyncio.wait(tasks, timeout=bound_s + 20)
                    for t in pending:   # past the bound: counted as not served
                        t.cancel()
                    res = [t.result() if t in done and not t.cancelled() and t.exception() is None
                           else (None, False) for t in tasks]
                    procs = procs + [c for c in me.children(recursive=True) if c not in procs]
                    return res, _cpu_of([server]) - s0, _cpu_of(procs) - c0

                # the tabs, each with the app open on the counties page (not timed)
                tabs = [await tab() for _ in range(n)]

                async def open_counties(page):
                    try:
                        await page.goto(url + "counties", wait_until="domcontentloaded", timeout=ms)
                        await page.wait_for_selector(".js-plotly-plot", timeout=ms)
                        await page.wait_for_selector(rendered, timeout=ms)
                        return 0.0, True
                    except Exception as exc:
                        errors.append(f"opening the counties page: {type(exc).__name__}: {exc}"[:300])
                        return None, False
                ready, _, _ = await window([open_counties(p) for _, p in tabs])

                async def switch(page):
                    link = page.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]').first
                    t0 = time.perf_counter()
                    try:
                        await link.click(timeout=ms)
                        await page.wait_for_selector(".st-key-ov_card_0", timeout=ms)  # overview only
                        await page.wait_for_selector(rendered, timeout=ms)
                        return time.perf_counter() - t0, await ok(page)
                    except Exception as exc:
                        errors.append(f"switching to the overview: {type(exc).__name__}: {exc}"[:300])
                        return None, False
                switched, s_cpu, c_cpu = await window(
                    [switch(p) for (_, p), (_, good) in zip(tabs, ready) if good])
                for ctx, _ in tabs:
                    await ctx.close()

                # fresh tabs loading the overview URL at once
                fresh = [await tab() for _ in range(n)]
                for _, p in fresh:
                    await p.goto("about:blank")

                async def load(page):
                    t0 = time.perf_counter()
                    try:
                        await page.goto(url, wait_until="domcontentloaded", timeout=ms)
                        await page.wait_for_selector(".js-plotly-plot", timeout=ms)
                        await page.wait_for_selector(rendered, timeout=ms)
                        return time.perf_counter() - t0, await ok(page)
                    except Exception as exc:
                        errors.append(f"loading the overview: {type(exc).__name__}: {exc}"[:300])
                        return None, False
                opened, so_cpu, co_cpu = await window([load(p) for _, p in fresh])
                for ctx, _ in fresh:
                    await ctx.close()
                try:
                    await asyncio.wait_for(browser.close(), timeout=30)
                except Exception:
                    pass
                return switched, s_cpu, c_cpu, opened, so_cpu, co_cpu

        switched, s_cpu, c_cpu, opened, so_cpu, co_cpu = asyncio.run(main())
        sw = [t for t, good in switched if t is not None and good]
        op = [t for t, good in opened if t is not None and good]
        p50, p95 = _pcts(sw)
        o50, o95 = _pcts(op)
        rss = server.memory_info().rss / 2**20
        return {"sessions": n, "ok": len(sw), "p50_s": p50, "p95_s": p95,
                "server_cpu_s": s_cpu, "client_cpu_s": c_cpu,
                "open_ok": len(op), "open_p50_s": o50, "open_p95_s": o95,
                "open_server_cpu_s": so_cpu, "open_client_cpu_s": co_cpu,
                "server_rss_mb_after": rss, "errors": errors[:5]}
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=15)
        except subprocess.TimeoutExpired:
            srv.kill()


def step_briefing(wh: Path) -> dict:
    from bench_briefing import ten_counties
    from dashboard.briefing import build_docx, build_pptx
    from dashboard.filters import Filters
    f10 = Filters(counties=ten_counties(wh))
    out = {}
    for name, fn in (("pptx", build_pptx), ("docx", build_docx)):
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            fn(f10, wh)
            times.append(time.perf_counter() - t0)
        out[f"{name}_first_s"], out[f"{name}_again_s"] = times
    return out


# ---------------------------------------------------------------- report

def _s(seconds) -> str:
    return "—" if seconds is None else f"{seconds:.1f} s"


def write_section(res: dict, path: Path) -> None:
    q = res["quick"]
    lines = [f"\n## bench/run.py{' --quick' if q else ''}, {res['date']}\n",
             f"Machine: {res['machine']}; Python {res['python']}, DuckDB {res['duckdb']}; "
             f"load average {res['load_start']} at the start, {res['load_end']} at the end "
             "(other engineers' jobs share the two cores: wall times carry their load).\n",
             "| what | result |", "|---|---|"]
    d = res["demo"]
    lines.append(f"| demo corpus, {d['bulletins']:,} bulletins | {d['wall_s']:.1f} s wall = "
                 f"{d['bulletins_per_s']:,.0f} bulletins/s (CPU {d['cpu_s']:.1f} s) |")
    e = res["extract"]
    lines.append(f"| extraction, one core, {e['docs']} demo bulletins ({e['mb']:.2f} MB) | "
                 f"{e['extract_mb_s_per_core']:.2f} MB/s; regex `\\d+` {e['regex_ceiling_mb_s']:.0f} MB/s |")
    lines.append(f"| extraction, sample page | {e['sample_mb_s']:.2f} MB/s; regex {e['sample_regex_mb_s']:.0f} MB/s |")
    for key, label in (("ingest_main", f"ingest {res['n']:,} bulletins, default workers"),
                       ("ingest_w1", f"ingest {res['n_speedup']:,} bulletins, --workers 1"),
                       ("ingest_w2", f"ingest {res['n_speedup']:,} bulletins, --workers 2"),
                       ("reingest", f"re-ingest the unchanged {res['n']:,}"),
                       ("add_new", f"add {res['n_new']:,} new bulletins to the {res['n']:,}")):
        r = res[key]
        lines.append(f"| {label} | {r['wall_s']:.1f} s wall, CPU of the ingest process {r['cpu_s']:.1f} s "
                     f"(all its processes {r.get('cpu_tree_s', float('nan')):.1f} s), "
                     f"peak memory of the process tree {r['peak_rss_mb']:.0f} MB RSS / "
                     f"{r.get('peak_pss_mb', float('nan')):.0f} MB PSS (load {r['load_before']} → {r['load_after']}) |")
    lines.append(f"| speedup, --workers 2 vs 1 | {res['speedup']:.2f}× (wall) |")
    c = res["copy"]
    lines.append(f"| copy of the {c['snapshot_mb']:.0f} MB snapshot (start of the next one) | "
                 f"{c['copy_s']:.2f} s ({c['copy_method']}) |")
    for d in res["dashboard"].values():
        qy, rr = d["queries"], d["reruns"]
        failed = [k for k in qy["per_function_max_ms"] if "(failed" in k]
        lines.append(f"| dashboard queries at {d['figures']:,} figures, uncached | "
                     f"p50 {qy['p50_ms']:.0f} ms, p95 {qy['p95_ms']:.0f} ms, max {qy['max_ms']:.0f} ms "
                     f"({qy['n_query_runs']} runs; slowest: {qy['worst_function']}"
                     f"{'; FAILED: ' + ', '.join(failed) if failed else ''}) |")
        if rr:
            lines.append(f"| AppTest page reruns after a filter change, {d['figures']:,} figures | "
                         f"median {rr['median_s']:.3f} s, worst {rr['worst_s']:.3f} s ({rr['n']} reruns; "
                         f"worst page {max(rr['pages'], key=rr['pages'].get)}) |")
    s = res["sessions"]
    if s:
        lines.append(f"| {s['sessions']} Chromium sessions with the app open click the overview at once | "
                     f"{s['ok']} got the page; p50 {_s(s['p50_s'])}, p95 {_s(s['p95_s'])}; CPU over the "
                     f"window: server {s['server_cpu_s']:.1f} s, Chromium {s['client_cpu_s']:.1f} s |")
        lines.append(f"| {s['sessions']} fresh Chromium tabs load the overview at once | {s['open_ok']} got "
                     f"the page; p50 {_s(s['open_p50_s'])}, p95 {_s(s['open_p95_s'])}; CPU over the window: "
                     f"server {s['open_server_cpu_s']:.1f} s, Chromium {s['open_client_cpu_s']:.1f} s; "
                     f"server RSS after {s['server_rss_mb_after']:.0f} MB |")
    b = res["briefing"]
    if b:
        lines.append(f"| briefing, 10 counties | PowerPoint {b['pptx_first_s']:.2f} s first, "
                     f"{b['pptx_again_s']:.2f} s again; Word {b['docx_first_s']:.2f} s first, "
                     f"{b['docx_again_s']:.2f} s again |")
    lines.append("")
    lines.append("JSON: `" + json.dumps(res["json"]) + "`")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


class _Results(dict):
    """Results filled step by step, saved to run-last.json beside the work folder
    (bench/out/run-last.json) after each one, so that a step that fails late (a browser
    past its bound) loses nothing measured before."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        path = OUT.parent / "run-last.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self, indent=1, default=str), encoding="utf-8")


class _Done(Exception):
    """The steps asked for are done (--skip dashboard)."""


def _size(n: int) -> str:
    """1000000 -> '1m', 10000000 -> '10m', 3000 -> '3000' (JSON key suffixes)."""
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else str(n)


def main(argv=None) -> int:
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (bench/out/run/)")
    ap.add_argument("--out", type=Path, help="work folder instead of bench/out/run/ (removed "
                    "at the end unless --keep; run-last.json goes beside it)")
    ap.add_argument("--bulletins", type=int, help="override N")
    ap.add_argument("--speedup-bulletins", type=int, help="corpus of the 1 vs 2 workers runs")
    ap.add_argument("--new-bulletins", type=int, help="bulletins added on top (1,000; quick 100)")
    ap.add_argument("--figures", type=int, nargs="+",
                    help="dashboard sizes (figures) for the query and rerun steps "
                         "(full: 1000000 10000000; quick: 1000000); sessions and packs use the first")
    ap.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (20)")
    ap.add_argument("--skip", nargs="*", default=[],
                    choices=("sessions", "briefing", "reruns", "dashboard"))
    args = ap.parse_args(argv)

    import duckdb
    q = args.quick
    if args.out:
        OUT = args.out.resolve()
    n = args.bulletins or (2_000 if q else 100_000)
    n_speedup = args.speedup_bulletins or min(n, 2_000 if q else 10_000)
    n_new = args.new_bulletins or (100 if q else 1_000)
    sizes = args.figures or ([1_000_000] if q else [1_000_000, 10_000_000])
    OUT.mkdir(parents=True, exist_ok=True)
    res = _Results({"quick": q, "date": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
           "machine": machine(), "python": platform.python_version(), "duckdb": duckdb.__version__,
           "load_start": load(), "n": n, "n_speedup": n_speedup, "n_new": n_new,
           "figures_dashboard": sizes})
    corpus, extra, small = OUT / f"demo_{n}", OUT / f"new_{n_new}", OUT / f"demo_{n_speedup}"
    res.update(queries=None, reruns=None, sessions=None, briefing=None, dashboard={})

    try:
        log(f"demo {n}")
        res["demo"] = step_demo(n, corpus, seed=0)
        step_demo(n_new, extra, seed=99)
        log("extraction per core")
        res["extract"] = step_extract(corpus, 300 if q else 500, 2 if q else 3)
        wh = OUT / "wh"
        log(f"ingest {n}")
        res["ingest_main"] = step_ingest([corpus], wh)
        log("re-ingest unchanged")
        res["reingest"] = step_ingest([corpus], wh, fresh=False)
        log(f"add {n_new}")
        res["add_new"] = step_ingest([corpus, extra], wh, fresh=False)
        res["copy"] = snapshot_copy_cost(wh)
        if n_speedup == n:
            small = corpus
        else:
            step_demo(n_speedup, small, seed=1)
        log(f"speedup on {n_speedup}")
        res["ingest_w1"] = step_ingest([small], OUT / "wh_w1", workers=1)
        res["ingest_w2"] = step_ingest([small], OUT / "wh_w2", workers=2)
        res["speedup"] = res["ingest_w1"]["wall_s"] / res["ingest_w2"]["wall_s"]
        shutil.rmtree(OUT / "wh_w1", ignore_errors=True)
        shutil.rmtree(OUT / "wh_w2", ignore_errors=True)

        if "dashboard" in args.skip:
            raise _Done
        from bench_dashboard import replicate
        dash = {}
        for i, size in enumerate(sizes):
            log(f"dashboard warehouse, {size:,} figures")
            big = OUT / f"big_{_size(size)}"
            shutil.rmtree(big, ignore_errors=True)
            t0 = time.perf_counter()
            replicate(wh, big, size)
            d = {"figures": size, "build_s": time.perf_counter() - t0}
            log(f"queries at {size:,}")
            d["queries"] = step_queries(big, repeat=1 if q else 3)
            d["reruns"] = None if "reruns" in args.skip else (log(f"AppTest reruns at {size:,}")
                                                               or step_reruns(big))
            dash[_size(size)] = d
            res["dashboard"] = dash
            if i == 0:
                res["queries"], res["reruns"] = d["queries"], d["reruns"]
                res["sessions"] = None if "sessions" in args.skip else (
                    log(f"{args.sessions} sessions") or step_sessions(big, n=args.sessions))
            shutil.rmtree(big, ignore_errors=True)   # 10M figures are ~1 GB on disk
        res["briefing"] = None if "briefing" in args.skip else (log("briefing") or step_briefing(wh))
    except _Done:
        pass
    finally:
        if not args.keep:
            shutil.rmtree(OUT, ignore_errors=True)
    res["load_end"] = load()
    runs = ("ingest_main", "ingest_w1", "ingest_w2", "reingest", "add_new")
    peak = max(res[k]["peak_rss_mb"] for k in runs)
    sess = res["sessions"]
    res["json"] = {
        "quick": q, "bulletins": n,
        "demo_bulletins_per_s": round(res["demo"]["bulletins_per_s"]),
        "extract_mb_s_per_core": round(res["extract"]["extract_mb_s_per_core"], 2),
        "regex_ceiling_mb_s": round(res["extract"]["regex_ceiling_mb_s"], 1),
        "sample_mb_s": round(res["extract"]["sample_mb_s"], 2),
        "ingest_s_100k": None if n < 100_000 else round(res["ingest_main"]["wall_s"], 1),
        "ingest_s": round(res["ingest_main"]["wall_s"], 1),
        "ingest_cpu_all_s": round(res["ingest_main"]["cpu_tree_s"], 1),
        "ingest_speedup_2_workers": round(res["speedup"], 2),
        "reingest_unchanged_s": round(res["reingest"]["wall_s"], 2),
        "add_new_s": round(res["add_new"]["wall_s"], 2),
        "peak_rss_mb": round(peak),
        "peak_pss_mb": round(max(res[k].get("peak_pss_mb", 0) for k in runs)),
    }
    for key in ("1m", "10m"):   # the sizes, null when not measured
        d = res["dashboard"].get(key)
        res["json"][f"query_p95_ms_{key}"] = round(d["queries"]["p95_ms"], 1) if d else None
        res["json"][f"rerun_s_{key}"] = round(d["reruns"]["worst_s"], 3) if d and d["reruns"] else None
    for key, d in res["dashboard"].items():
        if key not in ("1m", "10m"):
            res["json"][f"query_p95_ms_{key}"] = round(d["queries"]["p95_ms"], 1)
            res["json"][f"rerun_s_{key}"] = round(d["reruns"]["worst_s"], 3) if d["reruns"] else None
    res["json"].update({
        "concurrent_sessions_p50_s": round(sess["p50_s"], 2) if sess and sess["p50_s"] else None,
        "concurrent_sessions_p95_s": round(sess["p95_s"], 2) if sess and sess["p95_s"] else None,
        "concurrent_sessions_ok": sess["ok"] if sess else None,
        "concurrent_opens_p50_s": round(sess["open_p50_s"], 2) if sess and sess["open_p50_s"] else None,
        "concurrent_opens_p95_s": round(sess["open_p95_s"], 2) if sess and sess["open_p95_s"] else None,
        "concurrent_opens_ok": sess["open_ok"] if sess else None,
        "server_rss_mb_after_sessions": round(sess["server_rss_mb_after"]) if sess else None,
        "briefing_pptx_s": round(res["briefing"]["pptx_again_s"], 2) if res["briefing"] else None,
        "briefing_docx_s": round(res["briefing"]["docx_again_s"], 2) if res["briefing"] else None,
        "load_start": res["load_start"], "load_end": res["load_end"],
    })
    print(json.dumps({k: v for k, v in res.items() if k != "json"}, indent=1, default=str))
    if not args.no_write:
        write_section(res, ROOT / "docs" / "BENCHMARKS.md")
    if args.json:
        print(json.dumps(res["json"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
