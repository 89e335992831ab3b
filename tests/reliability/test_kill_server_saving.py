"""Kill the server while two editors save corrections through the review page: every
correction the page acknowledged is there after a restart (issue 12).

Literal, end to end: the real dashboard (`streamlit run app.py`, loopback, a free port) on a
real warehouse with two local editor accounts; two editors, each in its own browser context
of one headless Chromium (two sessions, two sign-ins), save corrections through the review
page's form as fast as the page lets them: open a figure by its id, type a new value (and
sometimes a new unit) and a reason naming the save, press 保存更正. A save counts as
acknowledged only when the page shows its success message ("已记录 n 条审核记录。", n the
number of fields changed). Each editor first opens the figure, which reruns the page with no
message on it, so a message seen after the click is that save's own.

Three trials, each SIGKILLing the server at another kind of moment:
- `after_ack`: the instant a websocket frame carrying a save's success message reaches a
  browser (a listener on the page's websocket kills from inside the frame event, before the
  page has drawn the message, which takes up to a second on a loaded machine). Were the
  message ever sent before the write was committed, that write would be in flight and lost.
  Checked by mutation: with the page committing a save at the editor's next action instead of
  before its message, this trial fails every time (2 of 2 runs); with the write moved to the
  end of the same page run, 50–300 ms after the message, it fails in about half the runs;
- `mid_save`: 0–400 ms after a click, while the server runs the page run that saves
  (before, during or just after the write);
- `random`: 0–2 s after both editors have saved.
After the kill a page has two seconds to draw a message the server had already sent (it
cannot draw one the server never sent); then the browsers stop and the store is checked
(`check_store`). The server is restarted on the same port; each editor signs in again and
opens the figure of its last acknowledged save, and the form must show the figure's value as
the store has it. After the last trial the server is restarted once more and answers, and
a fresh `etl corrections --json` lists every acknowledged save whole.

The check, after every trial, of all acknowledgements so far: SQLite's integrity check; each
acknowledged save's records exactly once (one per field, distinct ids), by its editor, on its
figure, with the value and unit it typed; every save in the store whole (all its fields or
none) and one the editors made; figures_effective shows each corrected figure's last value.

tests/reliability/test_kill_corrections.py keeps the process-level version: editor processes
SIGKILLed mid-transaction many times a second, which a browser's pace seldom reaches.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import sqlite3
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import query, run_cli

pytestmark = [pytest.mark.reliability, pytest.mark.browser]

MODES = ("after_ack", "mid_save", "random")
EDITORS = {"bianji_a": "editor a password", "bianji_b": "editor b password"}
UNITS = ("起", "人", "个", "支", "次")
STEP_MS = 60_000      # one page step on a loaded machine (a rerun after a click)
GRACE_S = 2.0         # after the kill: messages already sent reach the page
ACK_BYTES = "条审核记录".encode()    # in the protobuf message that carries the success text
SUCCESS = '[data-testid="stAlertContentSuccess"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@dataclass
class Trial:
    """What the browsers and the killer share during one trial (one asyncio loop)."""
    url: str
    mode: str
    rng: random.Random
    submitted: list = field(default_factory=list)   # every save whose button was pressed
    acked: list = field(default_factory=list)       # saves whose success message was seen
    server_pid: int = 0
    killed: bool = False
    armed: bool = False                 # after_ack: both editors have an acknowledged save
    event: asyncio.Event = field(default_factory=asyncio.Event)

    def kill(self) -> None:
        if not self.killed:
            os.kill(self.server_pid, signal.SIGKILL)
            self.killed = True
            self.event.set()


def figures_to_edit(wh: Path) -> list[str]:
    """Figures the form can correct by value and unit alone (measure and direction are
    ones the form's choice lists hold, so no other field counts as changed)."""
    from etl.corrections import MEASURES
    rows = query(wh, """
        SELECT figure_id FROM figures_effective
        WHERE value IS NOT NULL AND unit IS NOT NULL AND list_contains(?, measure)
          AND (direction IS NULL OR direction IN ('up', 'down'))
        ORDER BY figure_id LIMIT 10""", [list(MEASURES)])
    return [r[0] for r in rows]


# ------------------------------------------------------------------ one editor in a browser

async def sign_in(page, url: str, name: str) -> None:
    await page.goto(f"{url}/review", wait_until="domcontentloaded", timeout=STEP_MS)
    await page.locator(".st-key-auth_name input").fill(name, timeout=STEP_MS)
    await page.locator(".st-key-auth_password input").fill(EDITORS[name])
    await page.get_by_role("button", name="登录").click()
    await page.locator(".st-key-rv_goto input").wait_for(timeout=STEP_MS)
    await page.wait_for_selector(IDLE, timeout=STEP_MS)


async def open_figure(page, fid: str) -> None:
    """Open a figure by id; the rerun this starts clears the previous save's message."""
    from playwright.async_api import expect
    box = page.locator(".st-key-rv_goto input")
    await box.fill(fid)
    await box.press("Enter")
    await expect(page.get_by_text(f"数字编号 {fid}", exact=False)).to_be_visible(timeout=STEP_MS)
    await expect(page.locator(SUCCESS)).to_have_count(0, timeout=STEP_MS)
    await page.wait_for_selector(IDLE, timeout=STEP_MS)


def correction_form(page):
    return page.locator('[data-testid="stForm"]').filter(has_text="更正字段")


def kill_on_ack_frame(tr: Trial, page) -> None:
    """after_ack: SIGKILL the server the instant a websocket frame carrying a save's success
    message reaches the browser, before the page has drawn it (drawing takes a second on a
    loaded machine; a commit made in that second would hide an acknowledgement sent early)."""
    def on_ws(ws):
        def on_frame(payload):
            if tr.armed and isinstance(payload, bytes) and ACK_BYTES in payload:
                tr.kill()
        ws.on("framereceived", on_frame)
    page.on("websocket", on_ws)


async def editor(tr: Trial, page, name: str, figs: list[str], check: tuple | None) -> None:
    """Sign in, check the figure last acknowledged before the restart, then save until killed."""
    if tr.mode == "after_ack":
        kill_on_ack_frame(tr, page)
    await sign_in(page, tr.url, name)
    if check is not None:                       # after a restart: the store's value is shown
        fid, value = check
        await open_figure(page, fid)
        shown = await correction_form(page).get_by_label("数值").input_value()
        assert float(shown) == value, (name, fid, shown, value)
    n = 0
    last = check[0] if check else None
    while not tr.killed:
        fid = tr.rng.choice([f for f in figs if f != last])
        last = fid
        await open_figure(page, fid)
        form = correction_form(page)
        now = await form.get_by_label("数值").input_value()
        value = str(tr.rng.randint(1, 10**6))
        while value == now:
            value = str(tr.rng.randint(1, 10**6))
        fields = {"value": value}
        if tr.rng.random() < 0.4:
            unit_now = await form.get_by_label("单位").input_value()
            fields["unit"] = tr.rng.choice([u for u in UNITS if u != unit_now])
            await form.get_by_label("单位").fill(fields["unit"])
        await form.get_by_label("数值").fill(value)
        n += 1
        reason = f"kill {tr.url.rsplit(':', 1)[1]} {name} {tr.mode} {n} {time.time_ns()}"
        await form.get_by_label("理由（必填）").fill(reason)
        save = {"by": name, "figure_id": fid, "reason": reason, "fields": fields}
        tr.submitted.append(save)
        await form.get_by_role("button", name="保存更正").click()
        both_saved = len({a["by"] for a in tr.acked}) == 2
        if tr.mode == "mid_save" and both_saved:
            tr.event.set()
        # the message in the page, polled every 20 ms (not the store: what the editor sees)
        try:
            await page.wait_for_function(
                "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
                arg=[SUCCESS, f"已记录 {len(fields)} 条审核记录"], polling=20, timeout=STEP_MS)
        except Exception as exc:
            if tr.killed:
                raise
            # what the editor saw instead (an error, a warning, nothing): the failure says it
            shown = await page.locator('[data-testid="stAlert"]').all_inner_texts()
            state = await page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
            raise AssertionError(f"{name}: no success message for save {n} of {fid} {fields} within "
                                 f"{STEP_MS // 1000} s; script {state}; alerts shown: {shown}") from exc
        tr.acked.append(save)
        if len({a["by"] for a in tr.acked}) == 2:
            if tr.mode == "after_ack":
                tr.armed = True
            elif tr.mode == "random":
                tr.event.set()


async def run_trial(browser, tr: Trial, figs: dict, checks: dict) -> None:
    """Both editors save; the killer waits for its moment and SIGKILLs the server."""
    contexts = [await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
                for _ in EDITORS]
    try:
        pages = [await c.new_page() for c in contexts]
        tasks = [asyncio.create_task(editor(tr, p, name, figs[name], checks.get(name)))
                 for p, name in zip(pages, EDITORS)]
        waiter = asyncio.create_task(tr.event.wait())
        done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:          # an editor stopped before the kill: it failed
            waiter.cancel()
            for t in tasks:
                t.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            for t, r in zip(tasks, results):
                if t in done:
                    raise r if isinstance(r, BaseException) else AssertionError("an editor stopped before the kill")
        if tr.mode == "mid_save":
            await asyncio.sleep(tr.rng.uniform(0, 0.4))
        elif tr.mode == "random":
            await asyncio.sleep(tr.rng.uniform(0, 2.0))
        tr.kill()                       # (after_ack: already done by the frame's listener)
        await asyncio.sleep(GRACE_S)    # a message the server sent before it died may land
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for c in contexts:
            await c.close()


def in_browser(coro_fn, *args):
    """Run an async Playwright session in a thread of its own (the browser tests' sync
    Playwright may hold this thread's event loop)."""
    from playwright.async_api import async_playwright

    from browser.conftest import CHROMIUM_ARGS
    exe = os.environ.get("PINGAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        pytest.fail(f"{exe}: Chromium not found", pytrace=False)

    async def main():
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            try:
                return await coro_fn(browser, *args)
            finally:
                await browser.close()

    with ThreadPoolExecutor(1) as ex:
        return ex.submit(asyncio.run, main()).result()


# ------------------------------------------------------------------ the store after a crash

def check_store(wh: Path, acked: list[dict], submitted: list[dict]) -> dict[str, float]:
    """Integrity, every acknowledged save exactly once and whole; returns figure -> value
    as figures_effective shows it for every figure with a live value correction."""
    from etl import corrections

    con = sqlite3.connect(str(corrections.store_path(wh)))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (n, ids), = con.execute("SELECT count(*), count(DISTINCT correction_id) FROM corrections").fetchall()
    finally:
        con.close()
    assert n == ids, (n, ids)
    recs = corrections.records(wh)
    assert len(recs) == n
    by_reason = defaultdict(list)
    for r in recs:
        by_reason[r.reason].append(r)
    made = {s["reason"]: s for s in submitted}
    # every save in the store is one an editor made, and whole: all its fields, once each
    for reason, rs in by_reason.items():
        assert reason in made, (reason, rs)
        s = made[reason]
        assert sorted(r.field for r in rs) == sorted(s["fields"]), (s, rs)
        for r in rs:
            assert (r.figure_id, r.action, r.by) == (s["figure_id"], "correct", s["by"]), (s, r)
            want = s["fields"][r.field]
            assert (float(r.after) == float(want)) if r.field == "value" else r.after == want, (s, r)
    # every acknowledged save is there
    lost = [a for a in acked if a["reason"] not in by_reason]
    assert not lost, f"{len(lost)} acknowledged saves missing after the kill: {lost[:3]}"
    # the corrections apply
    last: dict[str, float] = {}
    for r in recs:
        if r.field == "value":
            last[r.figure_id] = float(r.after)
    got = dict(query(wh, "SELECT figure_id, value FROM figures_effective WHERE figure_id IN "
                         "(SELECT unnest(?))", [sorted(last)]))
    assert got == last
    return got


# ------------------------------------------------------------------ the test

def test_kill_server_while_two_editors_save_in_browsers(warehouse_copy, tmp_path):
    from browser.conftest import start_server
    from dashboard import accounts

    wh = warehouse_copy
    acc = tmp_path / "accounts.sqlite"
    for name, pw in EDITORS.items():
        accounts.add(acc, name, pw, "editor")
    env = {"PINGAN_ACCOUNTS": str(acc)}
    figs = figures_to_edit(wh)
    assert len(figs) >= 6, figs
    # overlapping halves: the two editors sometimes correct the same figure
    per_editor = {"bianji_a": figs[:6], "bianji_b": figs[-6:]}
    rng = random.Random(20261212)
    acked, submitted, per_trial = [], [], []
    port = None

    async def trials(browser):
        nonlocal port
        checks: dict[str, tuple] = {}
        for trial, mode in enumerate(MODES):
            # every restart on the same address, as an operator would
            srv = await asyncio.to_thread(start_server, wh, tmp_path / f"server{trial}.log",
                                          env_extra=env, port=port)
            port = srv.port
            tr = Trial(srv.url, mode, random.Random(rng.random()), server_pid=srv.proc.pid)
            try:
                await run_trial(browser, tr, per_editor, checks)
            finally:
                if srv.proc.poll() is None:
                    srv.proc.kill()
                srv.proc.wait(timeout=30)
            assert srv.proc.returncode == -signal.SIGKILL
            assert {a["by"] for a in tr.acked} == set(EDITORS), "both editors saved before the kill"
            acked.extend(tr.acked)
            submitted.extend(tr.submitted)
            values = check_store(wh, acked, submitted)
            for name in EDITORS:        # what the next start must show each editor
                fid = [a for a in acked if a["by"] == name][-1]["figure_id"]
                checks[name] = (fid, values[fid])
            per_trial.append((tr.mode, len(tr.acked), len(tr.submitted)))

    in_browser(trials)
    # the last restart: the server comes up on the store the last kill left and answers;
    # a fresh process lists every acknowledged save whole
    srv = start_server(wh, tmp_path / "server-restart.log", env_extra=env, port=port)
    srv.stop()
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("server*.log"))
    assert "Traceback" not in logs, logs[-3000:]
    r = run_cli("corrections", "--json", "--warehouse", wh, timeout=120)
    assert r.returncode == 0, r.stderr
    listed = Counter(row["reason"] for row in json.loads(r.stdout))
    assert all(listed[a["reason"]] == len(a["fields"]) for a in acked)
    print(f"\n{len(MODES)} kills through the review page: (moment, acknowledged, submitted) {per_trial}")
