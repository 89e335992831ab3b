"""导入 Import: add bulletins from the browser; preview per file, then store and ingest
(logic in dashboard.upload, which calls the command line's own ingest)."""
import pandas as pd
import streamlit as st

from dashboard import i18n, layout, upload
from etl import config

ctx = layout.page_setup("upload", allow_empty=True)
lang, user = ctx.lang, ctx.user
wh = ctx.warehouse
cap_mb = config.max_bytes() / (1024 * 1024)
gen = st.session_state.setdefault("up_gen", 0)  # a new uploader (empty) after each import

def report_state(report, refused: list[tuple[str, str]]) -> dict:
    """What the page shows after an ingest: one line, and a row per file with its outcome."""
    rows = [{ctx.t("col_file"): f.path.rsplit("/", 1)[-1], ctx.t("col_outcome"): i18n.outcome(f.outcome, lang),
             ctx.t("col_figures"): "" if f.n_figures is None else str(f.n_figures),
             ctx.t("col_reason"): i18n.refusal(f.reason, lang)} for f in report.files]
    rows += [{ctx.t("col_file"): given, ctx.t("col_outcome"): i18n.outcome("failed", lang),
              ctx.t("col_figures"): "", ctx.t("col_reason"): i18n.refusal(reason, lang)} for given, reason in refused]
    n_bad = sum(1 for f in report.files if f.outcome == "failed") + len(refused)
    msg = (ctx.t("up_done_n", snap=upload.snapshot_label(report.snapshot), n=report.figures_added)
           if report.new_snapshot else ctx.t("up_nothing_new"))
    if n_bad:
        msg += " " + ctx.t("up_partly", n=n_bad)
    return {"ok": report.ok and not refused, "rows": rows, "message": msg}


if st.session_state.get("up_report"):
    rep = st.session_state.pop("up_report")
    (st.success if rep["ok"] else st.warning)(rep["message"])
    if rep["rows"]:
        st.markdown(f"**{ctx.t('up_report')}**")
        # a long reason or file name is shortened with "…" so the grid shows every row whole
        report = pd.DataFrame(rep["rows"]).map(lambda v: layout.shorten(v, 40) if isinstance(v, str) else v)
        st.dataframe(report, hide_index=True, width="stretch", key="up_report_table",
                     column_config=layout.grid_config(report, lang))

st.caption(ctx.t("up_steps"))
st.caption(ctx.t("up_limit", mb=f"{cap_mb:g}"))
st.html(upload.uploader_css(ctx.t("up_browse"), ctx.t("up_drop")))
files = st.file_uploader(ctx.t("up_files"), accept_multiple_files=True, key=f"up_files_{gen}",
                         type=["txt", "md", "htm", "html", "docx", "pdf", "csv"])

if not files and st.session_state.get("up_staged"):
    # the files were removed from the uploader: their staging folder goes too
    upload.discard(st.session_state.pop("up_staged")["folder"])

if files:
    sig = tuple((f.name, f.size, f.file_id) for f in files)
    staged = st.session_state.get("up_staged")
    if not staged or staged["sig"] != sig:
        if staged:
            upload.discard(staged["folder"])
        st.session_state.pop("up_staged", None)
        try:
            folder, previews = upload.stage(wh, [(f.name, f.getvalue()) for f in files])
        except upload.UploadError as exc:  # too many files at once: nothing was staged
            st.error(str(exc))
            st.stop()
        staged = {"sig": sig, "folder": folder, "previews": upload.preview(folder, previews)}
        st.session_state["up_staged"] = staged
    previews = staged["previews"]

    st.subheader(ctx.t("up_preview"))
    for fp in previews:
        if fp.refused:
            st.error(ctx.t("up_refused", name=fp.given, reason=i18n.refusal(fp.refused, lang)))
        elif fp.is_manifest:
            st.info(ctx.t("up_manifest", n=fp.manifest_rows))
            for note in fp.notes:
                st.caption(note)
        else:
            with st.expander(ctx.t("up_found_n", name=fp.given, n=len(fp.figures)), expanded=len(previews) <= 3):
                if fp.figures:
                    table = upload.preview_table(fp.figures, lang, layout.metric_names(ctx) if ctx.options else {})
                    st.dataframe(table, hide_index=True, width="stretch", key=f"up_prev_{fp.name}",
                                 column_config=layout.grid_config(table, lang))
    ok = [fp for fp in previews if not fp.refused and not fp.is_manifest]
    if st.button(ctx.t("up_commit", n=len(ok)), type="primary", disabled=not ok, key="up_commit"):
        dest, report = upload.commit(wh, staged["folder"], previews, user.name)
        st.session_state.pop("up_staged", None)
        st.session_state["up_gen"] = gen + 1
        if report is None:  # another ingest holds the lock: the files wait in the inbox
            st.session_state["up_pending"] = {"dest": str(dest),
                                              "refused": [(fp.given, fp.refused) for fp in previews if fp.refused]}
        else:
            st.session_state["up_report"] = report_state(report, [(fp.given, fp.refused) for fp in previews
                                                                  if fp.refused])
        st.rerun()

pending = st.session_state.get("up_pending")
if pending and not files:
    # where the files wait, as a path inside the warehouse (never the server's own folders)
    st.info(ctx.t("up_busy", path=upload.inbox_label(wh, pending["dest"])))
    if st.button(ctx.t("up_retry"), key="up_retry", type="primary"):
        report = upload.ingest_inbox(wh, pending["dest"])
        if report is not None:
            st.session_state.pop("up_pending", None)
            st.session_state["up_report"] = report_state(report, pending["refused"])
        st.rerun()
