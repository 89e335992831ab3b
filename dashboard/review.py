"""The review queue and the writes behind the Review page (审核).

Why this order: an editor's hour is best spent where the extractor's evidence is weakest.
Each figure gets flags, each flag a weight, and the queue is sorted by the sum:
- `other`       (3) the metric fits no taxonomy entry;
- `no_place`    (3) no place at all;
- `disagree`    (3) the same place, metric, measure, period and date reported with
                    different values (the sources of one fact disagree);
- `outlier`     (2) more than 10× or less than 1/10 of the same place and metric's
                    previous report;
- `unit_only`   (2) the metric was decided by the unit alone (`metric_source`);
- `weak_place`  (1) the place was decided by a fallback only (`place_source`: headline,
                    article lead, column label, outlet, manifest).
`place_source`/`metric_source` come from the extractor (issue 8); a snapshot without
them is still queued by the other flags.

Every read is of figures_effective, so a figure leaves the queue as soon as it is
reviewed, and rejected figures are gone from it; writes go to etl.corrections with the
signed-in user's name.
"""
from __future__ import annotations

from contextlib import contextmanager

import pandas as pd

from dashboard import store
from etl import localtime
from dashboard.filters import Filters
from etl import corrections as corr
from etl import warehouse as etl_warehouse

FLAGS = ("other", "no_place", "disagree", "outlier", "unit_only", "weak_place")
WEIGHTS = {"other": 3, "no_place": 3, "disagree": 3, "outlier": 2, "unit_only": 2, "weak_place": 1}
WEAK_PLACE_SOURCES = ("headline", "article_lead", "column", "outlet", "manifest")
OUTLIER_RATIO = 10.0
QUEUE_LIMIT = 500


def _columns(snap: store.Snapshot) -> set[str]:
    df = store.query(snap, "SELECT column_name FROM information_schema.columns "
                           "WHERE table_name = 'figures' AND table_catalog = current_database()")
    return set(df["column_name"])


def _flag_sql(cols: set[str]) -> dict[str, str]:
    weak = ", ".join(f"'{s}'" for s in WEAK_PLACE_SOURCES)  # constants, not user input
    return {
        "other": "category = 'other'",
        "no_place": "place_key IS NULL",
        "disagree": "n_values > 1",
        "outlier": (f"prev_value > 0 AND (value > {OUTLIER_RATIO} * prev_value "
                    f"OR value < prev_value / {OUTLIER_RATIO})"),
        "unit_only": "metric_source = 'unit_only'" if "metric_source" in cols else "FALSE",
        "weak_place": (f"place_key IS NOT NULL AND place_source IN ({weak})"
                       if "place_source" in cols else "FALSE"),
    }


def _flagged(snap: store.Snapshot, f: Filters, extra_where: str = "", extra_params=()) -> tuple[str, list]:
    """WITH … flagged: every figure in the filtered view with its flags and score."""
    cols = _columns(snap)
    flags = _flag_sql(cols)
    where, params = f.where()
    extra = ", place_source" if "place_source" in cols else ", NULL AS place_source"
    extra += ", metric_source" if "metric_source" in cols else ", NULL AS metric_source"
    flag_cols = ",\n".join(f"({cond}) AS flag_{name}" for name, cond in flags.items())
    score = " + ".join(f"CASE WHEN flag_{n} THEN {WEIGHTS[n]} ELSE 0 END" for n in FLAGS)
    any_flag = " OR ".join(f"flag_{n}" for n in FLAGS)
    return f"""
        WITH base AS (
            SELECT *, {etl_warehouse.PLACE_KEY_SQL} AS place_key{extra}
            FROM figures_effective WHERE {where}
        ), ctx AS (
            SELECT *,
                   lag(value) OVER (PARTITION BY place_key, metric, measure, unit, synthetic
                                    ORDER BY published_on NULLS FIRST, bulletin_id, start) AS prev_value,
                   CASE WHEN place_key IS NOT NULL AND period IS NOT NULL
                        THEN count(DISTINCT value) OVER (PARTITION BY place_key, metric, measure,
                                                         direction, period, published_on)
                        ELSE 1 END AS n_values
            FROM base
        ), scored AS (
            SELECT *, {flag_cols} FROM ctx
        ), flagged AS (
            SELECT *, ({score}) AS score, ({any_flag}) AS in_queue FROM scored
        )""", list(params)


def queue(snap: store.Snapshot, f: Filters, include_reviewed: bool = False,
          limit: int = QUEUE_LIMIT, figure_id: str | None = None) -> pd.DataFrame:
    """Flagged figures in the filtered view, weakest evidence first, with their provenance."""
    head, params = _flagged(snap, f)
    cond = "q.figure_id = ?" if figure_id else "q.in_queue"
    if figure_id:
        params = params + [figure_id]
    reviewed = "" if include_reviewed or figure_id else "AND q.review_status IS NULL"
    return store.query(snap, f"""{head}
        SELECT q.figure_id, q.bulletin_id, q.source, q.article, q.start, q.sentence, q.raw,
               q.value, q.unit, q.qualifier, q.measure, q.direction, q.metric, q.category,
               m.name_zh AS metric_zh, m.name_en AS metric_en, q.county_code, q.county,
               q.city_code, q.city, q.province, q.place_key,
               coalesce(q.county, q.city, q.province) AS place_name, q.agency, q.initiative,
               q.mechanism, q.period, q.published_on, q.synthetic, q.place_source, q.metric_source,
               q.prev_value, q.n_values, q.review_status, q.reviewed_by, q.reviewed_at,
               q.review_reason, q.correction_note,
               b.title AS bulletin_title, b.file_name AS bulletin_file,
               {", ".join(f"q.flag_{n}" for n in FLAGS)}, q.score
        FROM flagged q
        LEFT JOIN metrics m ON m.code = q.metric
        LEFT JOIN bulletins b ON b.bulletin_id = q.bulletin_id
        WHERE {cond} {reviewed}
        ORDER BY q.score DESC, q.published_on DESC NULLS LAST, q.bulletin_id, q.start
        LIMIT {int(limit)}""", params)


def queue_row(snap: store.Snapshot, figure_id: str) -> pd.DataFrame:
    """One figure in the queue's columns (opened by id, whether flagged or not, any filter)."""
    return queue(snap, Filters(), figure_id=figure_id)


def progress(snap: store.Snapshot, f: Filters) -> dict[str, int]:
    """Reviewed (confirmed or corrected) and still queued among the flagged figures in view,
    and how many figures of the snapshot were rejected (they left every view)."""
    head, params = _flagged(snap, f)
    df = store.query(snap, f"""{head}
        SELECT count(*) FILTER (WHERE review_status IS NOT NULL) AS reviewed,
               count(*) FILTER (WHERE review_status IS NULL) AS queue
        FROM flagged WHERE in_queue""", params)
    return {"reviewed": int(df["reviewed"].iloc[0]), "queue": int(df["queue"].iloc[0]),
            "rejected": len(rejected_ids(snap))}


def rejected_ids(snap: store.Snapshot) -> list[str]:
    _, _, over = corr.frames(snap.warehouse)
    if over.empty:
        return []
    return over.loc[over["rejected"].fillna(False).astype(bool), "figure_id"].tolist()


def flags_of(row) -> list[str]:
    return [n for n in FLAGS if bool(row.get(f"flag_{n}"))]


def figure(snap: store.Snapshot, figure_id: str) -> dict | None:
    """One figure as effective now (None when rejected or unknown)."""
    df = store.query(snap, """
        SELECT f.*, b.title AS bulletin_title, b.file_name AS bulletin_file
        FROM figures_effective f LEFT JOIN bulletins b USING (bulletin_id)
        WHERE f.figure_id = ?""", [figure_id])
    return None if df.empty else df.iloc[0].to_dict()


# ------------------------------------------------------------------ writes

@contextmanager
def _snapshot_connection(snap: store.Snapshot):
    con = etl_warehouse.connect_read_only(snap.warehouse, snapshot=snap.path, corrections=False)
    try:
        yield con
    finally:
        con.close()


def correct(snap: store.Snapshot, user, figure_id: str, changes: dict[str, str], reason: str):
    with _snapshot_connection(snap) as con:
        return corr.correct(snap.warehouse, con, figure_id, changes, user.name, reason)


def verdict(snap: store.Snapshot, user, figure_ids, action: str, reason: str):
    with _snapshot_connection(snap) as con:
        return corr.verdict(snap.warehouse, con, list(figure_ids), action, user.name, reason)


def undo(snap: store.Snapshot, user, correction_id: str, reason: str | None = None):
    return corr.undo(snap.warehouse, correction_id, user.name, reason)


def history(snap: store.Snapshot, figure_id: str) -> pd.DataFrame:
    return corr.history(snap.warehouse, figure_id)


def orphans(snap: store.Snapshot) -> pd.DataFrame:
    with _snapshot_connection(snap) as con:
        return corr.log_frame(corr.orphans(snap.warehouse, con))


def changed_fields(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Only the fields the editor changed (the form shows every field); blank clears one."""
    return {k: (v.strip() or "none") for k, v in after.items()
            if (v or "").strip() != (before.get(k) or "").strip()}


def form_values(fig: dict) -> dict[str, str]:
    """The editable fields of a figure as the correction form shows them."""
    def s(v):
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            return ""
        return corr.display(None, v)
    date = fig.get("published_on")
    return {"value": s(fig.get("value")), "unit": s(fig.get("unit")), "qualifier": s(fig.get("qualifier")),
            "measure": s(fig.get("measure")), "direction": s(fig.get("direction")),
            "metric": s(fig.get("metric")),
            "place": s(fig.get("county_code") or fig.get("county") or fig.get("city_code") or fig.get("province")),
            "initiative": s(fig.get("initiative")), "period": s(fig.get("period")),
            "date": "" if date is None or pd.isna(date) else pd.Timestamp(date).date().isoformat()}


# ------------------------------------------------------------------ what the page shows

def _blank(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) or v == ""


def place_text(fig: dict, lang: str) -> str:
    """'缙云县（331122）' / 'Jinyun (331122)': the place by name, its code beside it."""
    from dashboard import i18n
    name = next((fig.get(k) for k in ("county", "city", "province") if not _blank(fig.get(k))), None)
    code = next((fig.get(k) for k in ("county_code", "city_code") if not _blank(fig.get(k))), None)
    if name is None and code is None:
        return "—"
    shown = i18n.place(name, lang) if name else str(code)
    if code and name:
        return f"{shown}（{code}）" if lang != "en" else f"{shown} ({code})"
    return shown


def metric_text(code, lang: str, names: dict[str, str]) -> str:
    """A metric by name; a derived code (X_change, X_share) says its measure too."""
    from dashboard import i18n
    if _blank(code):
        return "—"
    code = str(code)
    name = names.get(code) or code
    for suffix in ("change", "share", "rate"):
        base = code[:-len(suffix) - 1]
        # named by its base metric (巡逻队伍 for patrol_teams_share): say the measure, so that no
        # two choices read the same; a metric with a name of its own (群众满意率) keeps it
        if code.endswith("_" + suffix) and names.get(base, base) == name:
            return f"{name} · {i18n.measure(suffix, lang)}"
    return name


def initiative_text(code, lang: str, names: dict[str, str]) -> str:
    return "—" if _blank(code) else (names.get(str(code)) or str(code))


def _label(text: str, lang: str) -> str:
    """A word that heads a table row: capitalised in English (it reads inline elsewhere)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def decided_rows(fig: dict, lang: str, metric_names: dict[str, str], initiative_names: dict[str, str]):
    """What the extractor (or a reviewer) decided, field by field, in words."""
    from dashboard import i18n
    from dashboard.i18n import t

    def s(v):
        return "—" if _blank(v) else corr.display(None, v)
    date = fig.get("published_on")
    rows = [
        ("value", s(fig.get("value"))), ("unit", s(fig.get("unit"))), ("qualifier", s(fig.get("qualifier"))),
        ("measure", i18n.measure(fig.get("measure"), lang) or "—"),
        ("direction", i18n.direction(fig.get("direction"), lang) or "—"),
        ("metric", metric_text(fig.get("metric"), lang, metric_names)),
        ("place", place_text(fig, lang)),
        ("initiative", initiative_text(fig.get("initiative"), lang, initiative_names)),
        ("period", "—" if _blank(fig.get("period")) else (i18n.period(fig.get("period"), lang) or "—")),
        ("date", "—" if _blank(date) else pd.Timestamp(date).date().isoformat()),
    ]
    out = [(_label(t("corr_field_" + k, lang), lang), v) for k, v in rows]
    out += [(t("rv_field_place_source", lang), i18n.evidence(fig.get("place_source"), lang)),
            (t("rv_field_metric_source", lang), i18n.evidence(fig.get("metric_source"), lang))]
    return pd.DataFrame(out, columns=[t("col_field", lang), t("rv_col_decided", lang)])


def history_frame(hist: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A figure's records as staff read them: actions and fields in words."""
    from dashboard import i18n
    from dashboard.i18n import t
    return pd.DataFrame({
        t("col_action", lang): [_label(i18n.action(a, lang), lang) for a in hist["action"]],
        t("col_field", lang): [_label(t("corr_field_" + f, lang), lang) if isinstance(f, str) else ""
                               for f in hist["field"]],
        t("col_before", lang): hist["before"].fillna(""), t("col_after", lang): hist["after"].fillna(""),
        t("col_reason", lang): hist["reason"].fillna(""), t("col_by", lang): hist["by"],
        # the log keeps UTC; staff read local time (北京时间 unless PINGAN_TZ says otherwise)
        t("col_at", lang, tz=localtime.label(lang)): [localtime.minute(a) for a in hist["at"]],
        t("col_undone", lang): [t("yes", lang) if u else "" for u in hist["undone"]],
        t("col_correction_id", lang): hist["correction_id"],
    })


def undo_label(rec: dict, lang: str) -> str:
    """'更正 数值 627 → 672（张三，2026-12-07 11:22）' for the undo picker."""
    from dashboard import i18n
    from dashboard.i18n import t
    what = ""
    if rec.get("action") == "correct":
        what = f" {t('corr_field_' + str(rec.get('field')), lang)} {rec.get('before') or '—'} → {rec.get('after') or '—'}"
    return t("rv_undo_label", lang, action=i18n.action(rec.get("action"), lang), what=what, by=rec.get("by"),
             at=localtime.minute(rec.get("at")))
