"""Human corrections of figures, kept apart from the snapshots in `<wh>/corrections.sqlite`.

Why a SQLite file beside the snapshots and not a table in them: a snapshot is rebuilt by
every ingest and DuckDB allows one read-write process, while corrections are written by
several dashboard processes and the command line at any moment, and must survive every
re-ingest and extractor upgrade (DESIGN.md principle 3). SQLite in WAL mode lets many
processes append at once (each write is one short `BEGIN IMMEDIATE` transaction, waited
on with a busy timeout) while readers never block.

The store is an append-only log: a record is a correction of one field, a confirmation,
a rejection, or the undo of an earlier record. Nothing is ever updated or deleted, so two
editors working at the same time both keep their records and the history of a figure is
the log filtered by its `figure_id`. The state of a figure is computed from the log:
the last live correction of each field wins, the last live confirm/reject decides whether
the figure is confirmed or rejected.

How the read side sees it: DuckDB cannot read SQLite here (the sqlite extension needs a
download) and snapshots are opened read-only, so `install(con)` loads the log with
Python's sqlite3 and puts it into the connection as two TEMP tables, `corrections` (the
log) and `figure_overrides` (one row per figure with its effective state). They shadow
the empty tables of the same name in the snapshot, and the snapshot's view
`figures_effective` (etl/views.sql), which every other view and every read goes through,
applies them. A correction therefore shows on the next query, with no re-ingest.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FILE = "corrections.sqlite"
ACTIONS = ("correct", "confirm", "reject", "undo")
#: fields an editor may correct (issue 9), and the figure columns each one sets
FIELDS = ("value", "unit", "qualifier", "measure", "direction", "metric", "place",
          "initiative", "period", "date")
MEASURES = ("count", "change", "rate", "share", "amount", "duration", "years")
DIRECTIONS = ("up", "down")
QUALIFIERS = ("余", "多", "近", "约", "超", "以上", "不足")
#: a value that clears an optional field
NONE_WORDS = ("", "none", "null", "-", "—", "无")
MAX_TEXT = 500
BUSY_TIMEOUT_S = 30.0

_DDL = """
CREATE TABLE IF NOT EXISTS corrections (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    correction_id  TEXT NOT NULL UNIQUE,
    figure_id      TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('correct', 'confirm', 'reject', 'undo')),
    field          TEXT,
    before         TEXT,     -- JSON: the effective value before this record
    after          TEXT,     -- JSON: the value set (as the editor gave it, normalised)
    extra          TEXT,     -- JSON: values derived from `after` (place parts, category, period dates)
    reason         TEXT,
    by             TEXT NOT NULL,
    at             TEXT NOT NULL,   -- UTC, ISO 8601
    undoes         TEXT      -- for action 'undo': the correction_id it cancels
);
CREATE INDEX IF NOT EXISTS corrections_figure ON corrections (figure_id);
"""

#: columns of the log as the read side sees it (DuckDB temp table `corrections`)
LOG_COLUMNS = ("seq", "correction_id", "figure_id", "action", "field", "before", "after",
               "reason", "by", "at", "undoes", "undone")
#: one row per figure with a live record: what figures_effective applies
OVERRIDE_COLUMNS = (
    "figure_id", "review_status", "rejected", "confirmed", "corrected", "corrected_fields",
    "reviewed_by", "reviewed_at", "review_reason", "correction_note", "review_log",
    "value_set", "value", "unit_set", "unit", "qualifier_set", "qualifier",
    "measure_set", "measure", "direction_set", "direction", "metric_set", "metric", "category",
    "place_set", "county_code", "county", "city_code", "city", "province", "place_level",
    "initiative_set", "initiative", "period_set", "period", "period_start", "period_end",
    "date_set", "published_on")


class CorrectionError(ValueError):
    """A correction that cannot be recorded; str() names the figure or field and the reason."""


@dataclass(frozen=True)
class Record:
    seq: int
    correction_id: str
    figure_id: str
    action: str
    field: str | None
    before: object
    after: object
    extra: dict | None
    reason: str | None
    by: str
    at: str
    undoes: str | None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


# ------------------------------------------------------------------ the SQLite file

def store_path(wh) -> Path:
    return Path(wh) / FILE


def _connect(wh, create: bool = True) -> sqlite3.Connection | None:
    path = store_path(wh)
    if not create and not path.is_file():
        return None
    Path(wh).mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if create:
        mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
            con.close()
            raise CorrectionError(f"{path}: cannot use write-ahead logging (journal mode {mode})")
        # FULL: a commit is on disk (the WAL fsynced) before it returns, so a correction the
        # page acknowledged survives a power cut or an OS crash too, not only a killed
        # process (NORMAL's guarantee). A few ms per save, for a person's save.
        con.execute("PRAGMA synchronous = FULL")
        con.executescript(_DDL)
    return con


def _row_record(row) -> Record:
    seq, cid, fid, action, field, before, after, extra, reason, by, at, undoes = row
    return Record(seq, cid, fid, action, field, _loads(before), _loads(after),
                  _loads(extra), reason, by, at, undoes)


def _loads(text):
    return None if text is None else json.loads(text)


def _dumps(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def records(wh, figure_id: str | None = None) -> list[Record]:
    """The log in order (all of it, or one figure's history)."""
    con = _connect(wh, create=False)
    if con is None:
        return []
    try:
        sql = ("SELECT seq, correction_id, figure_id, action, field, before, after, extra, "
               "reason, by, at, undoes FROM corrections")
        params: tuple = ()
        if figure_id:
            sql += " WHERE figure_id = ?"
            params = (figure_id,)
        try:
            rows = con.execute(sql + " ORDER BY seq", params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise
    finally:
        con.close()
    return [_row_record(r) for r in rows]


_VERSION_CONS: dict[str, tuple[sqlite3.Connection, int]] = {}
_VERSION_LOCK = threading.Lock()


def version(wh) -> int:
    """The number of the last record: changes whenever anything is recorded (append-only).

    Asked before every dashboard query (it is part of the cache key), so it keeps one open
    read connection per store: a query on it costs microseconds, opening one milliseconds.
    """
    path = store_path(wh)
    key = str(path)
    if not path.is_file():
        return 0
    inode = path.stat().st_ino
    with _VERSION_LOCK:
        con, seen = _VERSION_CONS.get(key, (None, None))
        if con is not None and seen != inode:  # the file was replaced
            con.close()
            con = None
        try:
            if con is None:
                con = sqlite3.connect(key, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
                _VERSION_CONS[key] = (con, inode)
            return int(con.execute("SELECT coalesce(max(seq), 0) FROM corrections").fetchone()[0])
        except sqlite3.Error:
            if con is not None:
                con.close()
            _VERSION_CONS.pop(key, None)
            return 0


def _append(wh, rows: list[dict]) -> list[Record]:
    """Write records in one short transaction; BEGIN IMMEDIATE waits for another writer."""
    con = _connect(wh)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            for r in rows:
                con.execute(
                    "INSERT INTO corrections (correction_id, figure_id, action, field, before, "
                    "after, extra, reason, by, at, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r["correction_id"], r["figure_id"], r["action"], r.get("field"),
                     _dumps(r.get("before")), _dumps(r.get("after")), _dumps(r.get("extra")),
                     r.get("reason"), r["by"], r["at"], r.get("undoes")))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        ids = [r["correction_id"] for r in rows]
        marks = ", ".join("?" * len(ids))
        got = con.execute("SELECT seq, correction_id, figure_id, action, field, before, after, extra, "
                          f"reason, by, at, undoes FROM corrections WHERE correction_id IN ({marks}) "
                          "ORDER BY seq", ids).fetchall()
    finally:
        con.close()
    return [_row_record(r) for r in got]


def _new_id() -> str:
    return "c" + uuid.uuid4().hex[:11]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------ state from the log

def live(recs: list[Record]) -> list[Record]:
    """Records still in effect: not undo records, and not cancelled by an undo."""
    undone = {r.undoes for r in recs if r.action == "undo"}
    return [r for r in recs if r.action != "undo" and r.correction_id not in undone]


def state(recs: list[Record]) -> dict[str, dict]:
    """figure_id -> effective state: fields set (field -> (after, extra)), verdict, last record."""
    out: dict[str, dict] = {}
    for r in live(recs):
        st = out.setdefault(r.figure_id, {"fields": {}, "verdict": None, "last": None,
                                          "notes": [], "records": []})
        st["records"].append(r)
        if r.action == "correct":
            st["fields"][r.field] = (r.after, r.extra or {})
            st["notes"].append(r)
        else:
            st["verdict"] = r.action  # confirm | reject: the later one wins
        st["last"] = r
    return out


def review_log(recs: list[Record]) -> str | None:
    """The live records of one figure as JSON, oldest first: who changed what, when and why.

    Why a log and not only the last record's who/when/why (reviewed_by…): a figure
    corrected by one editor and confirmed later by another must still name the correction
    that changed its value; the read side words it in the reader's language
    (dashboard.correction_text), so this holds data, not sentences.
    """
    rows = [{"action": r.action, "field": r.field,
             "before": display(r.field, r.before) if r.action == "correct" else None,
             "after": display(r.field, r.after) if r.action == "correct" else None,
             "by": r.by, "at": r.at, "reason": r.reason}
            for r in recs if r.action in ("correct", "confirm")]
    return json.dumps(rows, ensure_ascii=False) if rows else None


def _note(r: Record) -> str:
    return f"{r.field}: {display(r.field, r.before)} → {display(r.field, r.after)}"


def display(field: str | None, value) -> str:
    """A recorded value as a person reads it (a place by its name and code)."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        name = value.get("county") or value.get("city") or value.get("province")
        code = value.get("county_code") or value.get("city_code")
        return f"{name} ({code})" if name and code else str(name or code or "—")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def overrides_frame(recs: list[Record]) -> pd.DataFrame:
    """One row per figure with a live record, in OVERRIDE_COLUMNS (what the view applies)."""
    rows = []
    for fid, st in state(recs).items():
        fields = st["fields"]
        last: Record = st["last"]
        row = {c: None for c in OVERRIDE_COLUMNS}
        row.update(figure_id=fid, rejected=st["verdict"] == "reject",
                   confirmed=st["verdict"] == "confirm", corrected=bool(fields),
                   corrected_fields=",".join(f for f in FIELDS if f in fields) or None,
                   reviewed_by=last.by, reviewed_at=pd.Timestamp(last.at).tz_convert(None),
                   review_reason=last.reason,
                   correction_note="; ".join(f"{_note(r)} ({r.by}, {r.at[:10]}: {r.reason})"
                                            for r in st["notes"]) or None,
                   review_log=review_log(st["records"]))
        row["review_status"] = ("rejected" if row["rejected"] else "corrected" if fields
                                else "confirmed" if row["confirmed"] else None)
        for f in FIELDS:
            row[f"{f}_set"] = f in fields
        for name in ("value", "unit", "qualifier", "measure", "direction", "initiative"):
            if name in fields:
                row[name] = fields[name][0]
        if "metric" in fields:
            row["metric"] = fields["metric"][0]
            row["category"] = fields["metric"][1].get("category")
        if "place" in fields:
            parts = fields["place"][0] or {}
            for k in ("county_code", "county", "city_code", "city", "province", "place_level"):
                row[k] = parts.get(k)
        if "period" in fields:
            row["period"] = fields["period"][0]
            ex = fields["period"][1]
            row["period_start"], row["period_end"] = ex.get("period_start"), ex.get("period_end")
        if "date" in fields:
            row["published_on"] = fields["date"][0]
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(OVERRIDE_COLUMNS))
    for col in ("published_on", "period_start", "period_end"):
        df[col] = pd.to_datetime(df[col]).dt.date if len(df) else df[col]
    df["value"] = pd.to_numeric(df["value"])
    return df


def log_frame(recs: list[Record]) -> pd.DataFrame:
    undone = {r.undoes for r in recs if r.action == "undo"}
    rows = [{"seq": r.seq, "correction_id": r.correction_id, "figure_id": r.figure_id,
             "action": r.action, "field": r.field,
             "before": None if r.action != "correct" else display(r.field, r.before),
             "after": None if r.action != "correct" else display(r.field, r.after),
             "reason": r.reason, "by": r.by, "at": pd.Timestamp(r.at).tz_convert(None),
             "undoes": r.undoes, "undone": r.correction_id in undone} for r in recs]
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


_FRAMES: dict[str, tuple] = {}


def _cached(wh) -> tuple:
    """(version, log, overrides, log as Arrow, overrides as Arrow), rebuilt when the log grows.

    Arrow, because DuckDB scans an Arrow table in about a millisecond where a pandas frame
    of object columns takes tens: install() runs for every cursor that queries.
    """
    import pyarrow as pa

    key = str(Path(wh).resolve())
    v = version(wh)
    got = _FRAMES.get(key)
    if got and got[0] == v:
        return got
    recs = records(wh)
    log, over = log_frame(recs), overrides_frame(recs)
    got = (max(v, recs[-1].seq if recs else 0), log, over,
           pa.Table.from_pandas(log, preserve_index=False) if len(log) else None,
           pa.Table.from_pandas(over, preserve_index=False) if len(over) else None)
    _FRAMES[key] = got
    return got


def frames(wh) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """(version, log, overrides) of the store, rebuilt only when the log has grown."""
    return _cached(wh)[:3]


# ------------------------------------------------------------------ DuckDB side

_SNAPSHOT_HAS_OVERRIDES: dict[str, bool] = {}


def _database(con) -> tuple[str, str]:
    db = con.execute("SELECT current_database()").fetchall()[0][0]
    return db, '"' + str(db).replace('"', '""') + '"'


def install(con, wh, got: tuple | None = None) -> int:
    """Put the store into a (read-only) DuckDB connection as TEMP tables; returns the version.

    TEMP objects belong to one connection: a cursor of `con` is another connection and
    needs its own install (dashboard.store keeps a few installed cursors per snapshot and
    version). A snapshot built before figures_effective existed gets the views as TEMP
    views too. Nothing here reads a file: the frames come from Python (sqlite3).
    """
    v, _, _, log_at, over_at = got if got is not None else _cached(wh)
    db, qdb = _database(con)
    has = _SNAPSHOT_HAS_OVERRIDES.get(db)
    if has is None:  # a snapshot never changes: asked once per file
        # a snapshot built before a column was added (review_log) is treated as one with no
        # placeholders: the current views are laid over it as TEMP views
        has = bool(con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'figure_overrides' "
            "AND column_name = 'review_log' AND table_catalog = current_database() "
            "AND table_schema = 'main'").fetchall()[0][0])
        _SNAPSHOT_HAS_OVERRIDES[db] = has
    if not has:
        from etl.warehouse import VIEWS_SQL
        sql = VIEWS_SQL.read_text(encoding="utf-8")
        sql = sql.replace("CREATE TABLE IF NOT EXISTS", "CREATE TEMP TABLE IF NOT EXISTS")
        sql = sql.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW")
        con.execute(sql)  # creates the TEMP tables from their DDL, and the views on them
    for name, table in (("corrections", log_at), ("figure_overrides", over_at)):
        if has:
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} AS SELECT * FROM {qdb}.main.{name} WHERE false")
        con.execute(f"DELETE FROM temp.main.{name}")
        if table is not None:
            src = f"__pingan_{name}"
            con.register(src, table)
            try:
                con.execute(f"INSERT INTO temp.main.{name} BY NAME SELECT * FROM {src}")
            finally:
                con.unregister(src)
    return v


def orphans(wh, con) -> list[Record]:
    """Live records whose figure is not in this snapshot (a rule change moved its span).

    Listed, never dropped: if a later extractor finds the figure again, they apply again.
    """
    recs = live(records(wh))
    if not recs:
        return []
    ids = sorted({r.figure_id for r in recs})
    df = pd.DataFrame({"figure_id": ids})
    con.register("__pingan_ids", df)
    try:
        db = con.execute("SELECT current_database()").fetchall()[0][0]
        qdb = '"' + str(db).replace('"', '""') + '"'
        found = {r[0] for r in con.execute(
            f"SELECT i.figure_id FROM __pingan_ids i JOIN {qdb}.main.figures f USING (figure_id)").fetchall()}
    finally:
        con.unregister("__pingan_ids")
    return [r for r in recs if r.figure_id not in found]


# ------------------------------------------------------------------ writing

def _text(what: str, value, required: bool) -> str | None:
    text = None if value is None else " ".join(str(value).split())
    if not text:
        if required:
            raise CorrectionError(f"{what} is required")
        return None
    if len(text) > MAX_TEXT:
        raise CorrectionError(f"{what}: longer than {MAX_TEXT} characters")
    return text


def _figure(con, figure_id: str) -> dict:
    """The figure as extracted (raw table) and as effective now, or a CorrectionError."""
    fid = str(figure_id or "").strip()
    if not fid:
        raise CorrectionError("figure_id is required")
    cur = con.execute("SELECT * FROM figures WHERE figure_id = ?", [fid])
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if not rows:
        raise CorrectionError(f"figure {fid}: no such figure in the current snapshot")
    return dict(zip(names, rows[0]))


def _effective_value(field: str, raw: dict, st: dict | None):
    if st and field in st["fields"]:
        return st["fields"][field][0]
    if field == "place":
        return {k: raw.get(k) for k in ("county_code", "county", "city_code", "city",
                                         "province", "place_level")}
    if field == "date":
        d = raw.get("published_on")
        return d.isoformat() if d is not None else None
    return raw.get(field)


def _is_none(text: str) -> bool:
    return text.strip().lower() in NONE_WORDS


def parse_value(con, field: str, text: str, fig: dict) -> tuple[object, dict]:
    """Check and normalise one `field=value`; returns (after, extra) or a CorrectionError."""
    where = f"figure {fig['figure_id']}: field {field!r}"
    text = str(text).strip()
    if field not in FIELDS:
        raise CorrectionError(f"figure {fig['figure_id']}: unknown field {field!r} "
                              f"(fields: {', '.join(FIELDS)})")
    if field == "value":
        try:
            v = float(text.replace(",", ""))
        except ValueError:
            raise CorrectionError(f"{where}: {text!r} is not a number") from None
        if math.isnan(v) or math.isinf(v):
            raise CorrectionError(f"{where}: {text!r} is not a finite number")
        return v, {}
    if field == "unit":
        if _is_none(text) or len(text) > 10:
            raise CorrectionError(f"{where}: a unit is 1 to 10 characters (起, 人, %, 元…)")
        return text, {}
    if field == "qualifier":
        if _is_none(text):
            return None, {}
        if text not in QUALIFIERS:
            raise CorrectionError(f"{where}: {text!r} is not one of {' '.join(QUALIFIERS)} (or none)")
        return text, {}
    if field == "measure":
        if text not in MEASURES:
            raise CorrectionError(f"{where}: {text!r} is not one of {', '.join(MEASURES)}")
        return text, {}
    if field == "direction":
        if _is_none(text):
            return None, {}
        if text not in DIRECTIONS:
            raise CorrectionError(f"{where}: {text!r} is not up, down or none")
        return text, {}
    if field == "metric":
        got = con.execute("SELECT category FROM metrics WHERE code = ?", [text]).fetchall()
        if not got:
            got = con.execute("SELECT any_value(category) FROM figures WHERE metric = ? "
                              "HAVING count(*) > 0", [text]).fetchall()
        if not got:
            raise CorrectionError(f"{where}: {text!r} is not a metric code of the taxonomy "
                                  "(data/reference/metrics.csv)")
        return text, {"category": got[0][0]}
    if field == "place":
        if _is_none(text):
            return {k: None for k in ("county_code", "county", "city_code", "city", "province",
                                      "place_level")}, {}
        from etl import places
        p = places.by_code(text) if text.isdigit() else places.resolve(text)
        if p is None:
            raise CorrectionError(f"{where}: {text!r} is not a place of the gazetteer "
                                  "(give a 6-digit code or a name such as 景宁县)")
        level = p.level
        return {"county_code": p.code if level == "county" else None,
                "county": p.name if level == "county" else None,
                "city_code": (p.city_code or p.code) if level in ("county", "city") else None,
                "city": (p.city or p.name) if level in ("county", "city") else None,
                "province": p.province or (p.name if level == "province" else None),
                "place_level": level}, {}
    if field == "initiative":
        if _is_none(text):
            return None, {}
        if not con.execute("SELECT 1 FROM initiatives WHERE code = ?", [text]).fetchall():
            raise CorrectionError(f"{where}: {text!r} is not an initiative code "
                                  "(data/reference/initiatives.csv)")
        return text, {}
    if field == "period":
        if _is_none(text):
            return None, {}
        if len(text) > 40:
            raise CorrectionError(f"{where}: a period is at most 40 characters")
        from etl.dates import resolve_period
        pub = fig.get("published_on")
        start, end = resolve_period(text, pub)
        return text, {"period_start": start.isoformat() if start else None,
                      "period_end": end.isoformat() if end else None}
    # date (publication date of the figure's report)
    if _is_none(text):
        return None, {}
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        raise CorrectionError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None
    if not dt.date(1990, 1, 1) <= d <= dt.date(2100, 12, 31):
        raise CorrectionError(f"{where}: {text} is out of range")
    return d.isoformat(), {}


def parse_sets(items) -> dict[str, str]:
    """['value=1200', 'unit=起'] -> {'value': '1200', 'unit': '起'} (one value per field)."""
    out: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise CorrectionError(f"--set {item!r}: write field=value (fields: {', '.join(FIELDS)})")
        field, value = item.split("=", 1)
        field = field.strip()
        if field not in FIELDS:
            raise CorrectionError(f"--set {item!r}: unknown field {field!r} (fields: {', '.join(FIELDS)})")
        if field in out:
            raise CorrectionError(f"--set: field {field!r} given twice")
        out[field] = value
    return out


def correct(wh, con, figure_id: str, changes: dict[str, str], by: str, reason: str) -> list[Record]:
    """Record corrections of one figure (one record per field); `con` reads the snapshot."""
    by = _text("by (who corrects)", by, True)
    reason = _text("reason", reason, True)
    if not changes:
        raise CorrectionError(f"figure {figure_id}: nothing to correct (give field=value)")
    fig = _figure(con, figure_id)
    st = state(records(wh, fig["figure_id"])).get(fig["figure_id"])
    at = _now()
    rows = []
    for field, text in changes.items():
        after, extra = parse_value(con, field, text, fig)
        before = _effective_value(field, fig, st)
        rows.append({"correction_id": _new_id(), "figure_id": fig["figure_id"], "action": "correct",
                     "field": field, "before": before, "after": after, "extra": extra or None,
                     "reason": reason, "by": by, "at": at})
    return _append(wh, rows)


def verdict(wh, con, figure_ids, action: str, by: str, reason: str) -> list[Record]:
    """Confirm or reject figures (several at once: one record each, one transaction)."""
    if action not in ("confirm", "reject"):
        raise CorrectionError(f"action {action!r}: confirm or reject")
    by = _text("by (who reviews)", by, True)
    reason = _text("reason", reason, True)
    ids = [str(i).strip() for i in (figure_ids if not isinstance(figure_ids, str) else [figure_ids])]
    if not ids:
        raise CorrectionError("no figure given")
    at = _now()
    rows = [{"correction_id": _new_id(), "figure_id": _figure(con, fid)["figure_id"],
             "action": action, "reason": reason, "by": by, "at": at} for fid in ids]
    return _append(wh, rows)


def undo(wh, correction_id: str, by: str, reason: str | None = None) -> Record:
    """Cancel one record (a correction, confirmation or rejection). Undos are final."""
    by = _text("by (who undoes)", by, True)
    reason = _text("reason", reason, False)
    cid = str(correction_id or "").strip()
    recs = records(wh)
    target = next((r for r in recs if r.correction_id == cid), None)
    if target is None:
        raise CorrectionError(f"correction {cid}: no such correction")
    if target.action == "undo":
        raise CorrectionError(f"correction {cid}: is itself an undo; record the change again instead")
    if any(r.undoes == cid for r in recs):
        raise CorrectionError(f"correction {cid}: already undone")
    return _append(wh, [{"correction_id": _new_id(), "figure_id": target.figure_id,
                         "action": "undo", "field": target.field, "reason": reason,
                         "by": by, "at": _now(), "undoes": cid}])[0]


def history(wh, figure_id: str) -> pd.DataFrame:
    """Every record of one figure, oldest first, with whether it is still in effect."""
    return log_frame(records(wh, figure_id))


def env_user() -> str | None:
    """Fallback name for scripts: $USER (the CLI requires --by)."""
    return os.environ.get("USER")
