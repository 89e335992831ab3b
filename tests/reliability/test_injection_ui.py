"""Injection through the pages: URL parameters, the sidebar's filters, the search box and the
review fields (issue 12). The `sql` command is covered by test_sql_injection.py.

Every page file runs through AppTest on a private copy of the test warehouse (open mode,
one admin, so the review page is reachable). For each hostile input: no exception, no
more rows than an honest filter of the same kind gives (an unknown code gives none), and
afterwards the snapshot file is byte for byte what it was, its figure count the same and
it still opens. Review fields: hostile values are refused with the corrections module's
own message, hostile text in a text field and in a reason is stored literally.

Found and fixed: a date outside the date pickers' range in a link (`?since=9999-12-31`,
`?since=0001-01-01`) crashed every page (StreamlitAPIException from st.date_input); an
initiative code from a link was used as a LIKE pattern, so `?initiatives=%` matched every
pillar of every programme.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from etl import warehouse
from support import query

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "counties", "initiatives", "figures", "quality", "review", "upload"]
HOSTILE = ["' OR 1=1 --", "x';DROP TABLE figures;--", "1) OR (1=1", "%", "_", "\\", "%' OR '1'='1",
           "<script>alert(1)</script>", "\u202e\u200b", "999999,' UNION SELECT * FROM figures --"]
PARAMS = {
    "county": HOSTILE, "counties": HOSTILE, "cities": HOSTILE, "metrics": HOSTILE, "metric": HOSTILE,
    "categories": HOSTILE, "initiatives": HOSTILE, "trend": HOSTILE, "initiative_pick": HOSTILE,
    "q": HOSTILE, "lang": HOSTILE, "include_demo": HOSTILE,
    "since": ["9999-12-31", "0001-01-01", "1999-12-31", "2024-13-45", "'; DROP TABLE figures;--", "2024-02-30"],
    "until": ["9999-12-31", "0001-01-01", "2101-01-01", "-1", "2024-01-01' OR '1'='1"],
}


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def wh(tmp_path_factory, warehouse_dir):
    import shutil
    dst = tmp_path_factory.mktemp("inj") / "warehouse"
    shutil.copytree(warehouse_dir, dst, ignore=shutil.ignore_patterns("ingest.lock"))
    return dst


@pytest.fixture
def env(wh, monkeypatch, tmp_path):
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "none.sqlite"))   # open, one admin
    return wh


def run(name: str, qp: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    for k, v in (qp or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, (name, qp, [e.message for e in at.exception])
    return at


def figures_rows(at: AppTest) -> int:
    return 0 if not at.dataframe else len(at.dataframe[0].value)


def unchanged(wh: Path, before: tuple) -> None:
    snap = warehouse.current_snapshot(wh)
    assert (snap.name, digest(snap)) == before[:2]
    assert query(wh, "SELECT count(*) FROM figures")[0][0] == before[2]


def state(wh: Path) -> tuple:
    snap = warehouse.current_snapshot(wh)
    return snap.name, digest(snap), query(wh, "SELECT count(*) FROM figures")[0][0]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_url_parameters_on_every_page(value, env):
    """Every parameter a page reads, all holding the same hostile value at once."""
    before = state(env)
    qp = {p: value for p in PARAMS if p not in ("since", "until")}
    for name in PAGES:
        run(name, qp)
    unchanged(env, before)


@pytest.mark.parametrize("since, until", list(zip(PARAMS["since"], PARAMS["until"] + ["2024-02-30"])))
def test_absurd_dates_in_the_url_on_every_page(since, until, env):
    before = state(env)
    for name in PAGES:
        run(name, {"since": since, "until": until})
    unchanged(env, before)


@pytest.mark.parametrize("param", ["county", "counties", "cities", "metrics", "categories", "initiatives"])
def test_hostile_codes_show_no_more_rows_than_an_unknown_code(param, env):
    """An unknown code selects nothing: every hostile value must select nothing too."""
    for value in HOSTILE:
        at = run("figures", {param: value})
        if param == "county":   # a page parameter of the counties page, not a filter: no effect here
            assert figures_rows(at) == figures_rows(run("figures"))
        else:
            assert figures_rows(at) == 0, (param, value)


def test_absurd_dates_are_dropped_not_a_crash(env):
    full = figures_rows(run("figures"))
    for since in ("9999-12-31", "0001-01-01", "1999-12-31"):
        at = run("figures", {"since": since})
        assert figures_rows(at) == full
        assert at.sidebar.date_input(key="f_since").value is None
    f = Filters.from_query({"since": "9999-12-31", "until": "0001-01-01"})
    assert f.since is None and f.until is None
    assert Filters.from_query({"since": "2024-01-01"}).since.isoformat() == "2024-01-01"


def test_initiative_code_is_not_a_like_pattern(env):
    where, params = Filters(initiatives=("%",)).where()
    assert "ESCAPE" in where and params == ["%", "\\%.%"]
    n_all = query(env, "SELECT count(*) FROM v_figures WHERE initiative LIKE '%.%'")[0][0]
    assert n_all > 0   # the test warehouse has pillars, so the old pattern did leak them
    assert query(env, f"SELECT count(*) FROM v_figures WHERE {where}", params)[0][0] == 0
    # a real programme still selects its pillars
    prog = query(env, "SELECT split_part(initiative, '.', 1) FROM v_figures WHERE initiative LIKE '%.%' LIMIT 1")[0][0]
    where, params = Filters(initiatives=(prog,)).where()
    assert query(env, f"SELECT count(*) FROM v_figures WHERE {where}", params)[0][0] > 0


def test_search_box_takes_hostile_text_literally(env):
    before = state(env)
    at = run("figures")
    for text in HOSTILE:
        at.text_input(key="fi_search").input(text).run()
        assert not at.exception, text
        expect = query(env, "SELECT count(*) FROM v_figures WHERE strpos(lower(sentence), lower(?)) > 0 "
                            "OR strpos(lower(raw), lower(?)) > 0 OR strpos(lower(coalesce(agency, '')), lower(?)) > 0",
                       [text.strip()] * 3)[0][0]
        assert figures_rows(at) == min(expect, 1000), text
    unchanged(env, before)


def test_sidebar_filters_with_hostile_values_set_in_the_session(env):
    """A multiselect holding values no option has (as a forged widget state would)."""
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=120)
    for key in ("f_counties", "f_cities", "f_metrics", "f_categories", "f_initiatives"):
        at.session_state[key] = list(HOSTILE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert figures_rows(at) == 0


# ------------------------------------------------------------------ review fields

def _form_input(at: AppTest, label: str):
    return [t for t in at.text_input if t.label == label][0]


def _review_at(env) -> tuple[AppTest, str]:
    at = run("review")
    return at, at.selectbox(key="rv_pick").value


def test_hostile_review_values_refused_text_stored_literally(env):
    before = state(env)
    n_corr = query(env, "SELECT count(*) FROM corrections")[0][0]
    reason = "'); DROP TABLE corrections; -- <script>alert(1)</script> \u202e\u200b"
    at, fid = _review_at(env)
    # a value that is not a number: refused with a reason, nothing stored
    _form_input(at, "数值").input("1; DROP TABLE figures; --")
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_c_reason_{fid}")][0].input(reason)
    [b for b in at.button if b.label == "保存更正"][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error, "a value that is not a number must be refused"
    assert query(env, "SELECT count(*) FROM corrections")[0][0] == n_corr
    # a text field (the unit) with hostile text: stored literally, with the reason
    at, fid = _review_at(env)
    unit = "起'--<b>;"     # a unit is at most 10 characters (a longer one is refused)
    _form_input(at, "单位").input(unit)
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_c_reason_{fid}")][0].input(reason)
    [b for b in at.button if b.label == "保存更正"][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    rows = query(env, 'SELECT figure_id, field, "after", reason, "by" FROM corrections WHERE action = ?', ["correct"])
    assert (fid, "unit", unit, reason.strip(), "admin (local)") in [tuple(r) for r in rows] or \
        (fid, "unit", unit, reason, "admin (local)") in [tuple(r) for r in rows], rows
    # a verdict with a hostile reason
    at, fid2 = _review_at(env)
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_v_reason_{fid2}")][0].input(reason)
    [b for b in at.button if b.label == "确认无误"][0].click().run()
    assert not at.exception
    got = query(env, "SELECT reason FROM corrections WHERE figure_id = ? AND action = 'confirm'", [fid2])
    assert [r[0] for r in got] in ([reason], [reason.strip()])
    # the figure id box: hostile text is an unknown id, not a query
    at = run("review")
    at.text_input(key="rv_goto").input("' OR 1=1 --").run()
    assert not at.exception and any("' OR 1=1 --" in w.value for w in at.warning)
    # the snapshot itself is untouched (corrections live beside it), every figure still there
    unchanged(env, before)
    assert query(env, "SELECT count(*) FROM figures_effective")[0][0] >= before[2] - 1
    assert query(env, "SELECT count(*) FROM corrections")[0][0] == n_corr + 2
