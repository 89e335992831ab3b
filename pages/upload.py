"""导入 Import: add bulletins from the browser; preview per file, then store and ingest
(logic in dashboard.upload, which calls the command line's own ingest)."""
import hashlib
import logging

import streamlit as st

from dashboard import i18n, layout, upload
from etl import localtime
from dashboard.text import escape_markdown
from etl import config

ctx = layout.page_setup("upload", allow_empty=True)
lang, user = ctx.lang, ctx.user
wh = ctx.warehouse
cap_mb = config.max_bytes() / (1024 * 1024)
gen = st.session_state.setdefault("up_gen", 0)  # a new uploader (empty) after each import

def report_state(report, refused: list[tuple[str, str]]) -> dict:
    """What the page shows after an ingest: one line, and a row per file with its outcome.
    A manifest line that did not apply is a row of its own, not a file that failed."""
    def manifest_line(f) -> bool:
        return f.path.rsplit("/", 1)[-1].lower() == upload.MANIFEST and f.outcome == "failed"
    rows = [{ctx.t("col_file"): f.path.rsplit("/", 1)[-1],
             ctx.t("col_outcome"): ctx.t("up_manifest_line") if manifest_line(f) else i18n.outcome(f.outcome, lang),
             ctx.t("col_figures"): "" if f.n_figures is None else str(f.n_figures),
             ctx.t("col_reason"): i18n.refusal(f.reason, lang)} for f in report.files]
    rows += [{ctx.t("col_file"): given, ctx.t("col_outcome"): i18n.outcome("failed", lang),
              ctx.t("col_figures"): "", ctx.t("col_reason"): i18n.refusal(reason, lang)} for given, reason in refused]
    n_bad = sum(1 for f in report.files if f.outcome == "failed" and not manifest_line(f)) + len(refused)
    msg = (ctx.t("up_done_n", snap=upload.snapshot_label(report.snapshot), n=report.figures_added)
           if report.new_snapshot else ctx.t("up_nothing_new"))
    if n_bad:
        msg += " " + ctx.t("up_partly", n=n_bad)
    n_lines = sum(1 for f in report.files if manifest_line(f))
    if n_lines:
        msg += " " + ctx.t("up_manifest_ignored", n=n_lines)
    return {"ok": report.ok and not refused, "rows": rows, "message": msg}


def report_after(report, refused: list[tuple[str, str]]) -> None:
    """Keep the outcome for the next run (the uploader and the kept list start afresh)."""
    st.session_state["up_report"] = report_state(report, refused)


def error_words(exc: upload.UploadError) -> str:
    """An upload error in the page's language (its English str() may name server paths)."""
    return ctx.t(exc.key, **exc.words) if exc.key else ctx.t("up_failed_plain")


def kept_section() -> None:
    """Folders kept in the inbox but never ingested (another ingest was running, or the
    ingest stopped): who uploaded which files when; ingest them now, or discard them."""
    waiting = upload.kept(wh)
    names = {k.folder.name for k in waiting}
    if (st.session_state.get("up_pending") or {}).get("name") not in names:
        st.session_state.pop("up_pending", None)
    if not waiting:
        return
    pending = st.session_state.get("up_pending")
    if pending:  # this editor's own import just found another one running
        # where the files wait, as a path inside the warehouse (never the server's own folders)
        st.info(ctx.t("up_busy", path=pending["path"]))
    st.subheader(ctx.t("up_kept_title"))
    st.caption(ctx.t("up_kept_hint"))
    for k in waiting:
        path = upload.inbox_label(wh, k.folder)
        key = hashlib.sha1(k.folder.name.encode()).hexdigest()[:10]
        with st.container(border=True, key=f"up_kept_{key}"):
            when = localtime.minute(k.at) if k.at else ctx.t("up_kept_unknown")
            st.markdown(escape_markdown(ctx.t("up_kept_head", path=path, by=k.by or ctx.t("up_kept_unknown"),
                                              at=when, tz=localtime.label(lang), n=len(k.files))))
            sep = ", " if lang == "en" else "、"
            st.caption(escape_markdown(sep.join(ctx.t("up_kept_file", name=name, kb=f"{max(size / 1024, 0.1):,.1f}")
                                                for name, size in k.files) or "—"))
            if k.refused:
                st.caption(escape_markdown(ctx.t("up_kept_refused", files=sep.join(
                    f"{given}{ctx.t('up_kept_why', reason=i18n.refusal(reason, lang))}" for given, reason in k.refused))))
            if st.session_state.get("up_discard_ask") == k.folder.name:
                st.warning(ctx.t("up_discard_confirm", path=path, n=len(k.files)))
                c1, c2 = st.columns(2)
                if c1.button(ctx.t("up_discard_yes"), key=f"up_discard_yes_{key}", type="primary", width="stretch"):
                    st.session_state.pop("up_discard_ask", None)
                    try:
                        gone = upload.discard_kept(wh, k.folder, user.name)
                    except upload.UploadError as exc:
                        st.session_state["up_flash"] = ("warning", error_words(exc))
                    else:
                        st.session_state["up_flash"] = ("success", ctx.t("up_discarded", path=path, n=len(gone)))
                    st.rerun()
                if c2.button(ctx.t("up_cancel"), key=f"up_discard_no_{key}", width="stretch"):
                    st.session_state.pop("up_discard_ask", None)
                    st.rerun()
                continue
            c1, c2 = st.columns(2)
            if c1.button(ctx.t("up_retry"), key=f"up_kept_ingest_{key}", type="primary", width="stretch"):
                try:
                    report = upload.ingest_inbox(wh, k.folder, user.name)
                except upload.UploadError as exc:
                    st.session_state["up_flash"] = ("warning", error_words(exc))
                except Exception:  # the files stay kept (no record of a finished ingest): say so, in words
                    logging.getLogger(__name__).exception("ingest of %s failed", k.folder)
                    st.session_state["up_flash"] = ("error", ctx.t("up_failed", path=path))
                else:
                    if report is None:
                        st.session_state["up_flash"] = ("info", ctx.t("up_busy", path=path))
                    else:
                        report_after(report, k.refused)
                st.rerun()
            if c2.button(ctx.t("up_discard"), key=f"up_kept_discard_{key}", width="stretch"):
                st.session_state["up_discard_ask"] = k.folder.name
                st.rerun()


flash = st.session_state.pop("up_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])
if st.session_state.get("up_report"):
    rep = st.session_state.pop("up_report")
    (st.success if rep["ok"] else st.warning)(rep["message"])
    if rep["rows"]:
        st.markdown(f"**{ctx.t('up_report')}**")
        # a table, not a grid: a reason wraps and is read whole at 1024 px (a grid cut it at 40
        # characters and scrolled sideways); st.table draws cells as markdown, so every file
        # name and reason is escaped and shown as written
        with st.container(key="up_report_table"):
            st.html(upload.REPORT_CSS)
            st.table(upload.report_table(rep["rows"]), hide_index=True)

kept_section()

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
            st.error(error_words(exc))
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
            for note in fp.notes:  # which lines will not apply, in words (no server path)
                st.caption(escape_markdown(i18n.manifest_note(note, lang)))
        else:
            with st.expander(ctx.t("up_found_n", name=fp.given, n=len(fp.figures)), expanded=len(previews) <= 3):
                if fp.figures:
                    table = upload.preview_table(fp.figures, lang, layout.metric_names(ctx) if ctx.options else {})
                    st.dataframe(table, hide_index=True, width="stretch", key=f"up_prev_{fp.name}",
                                 column_config=layout.grid_config(table, lang))
    ok = [fp for fp in previews if not fp.refused and not fp.is_manifest]
    if st.button(ctx.t("up_commit", n=len(ok)), type="primary", disabled=not ok, key="up_commit"):
        refused = [(fp.given, fp.refused) for fp in previews if fp.refused]
        st.session_state.pop("up_staged", None)
        st.session_state["up_gen"] = gen + 1
        try:
            dest, report = upload.commit(wh, staged["folder"], previews, user.name)
        except upload.UploadError as exc:
            st.session_state["up_flash"] = ("warning", error_words(exc))
        except Exception:  # the files wait in the inbox, listed as kept: say so, in words
            logging.getLogger(__name__).exception("import failed")
            st.session_state["up_flash"] = ("error", ctx.t("up_failed", path=upload.INBOX + "/"))
        else:
            if report is None:  # another ingest holds the lock: the files wait in the inbox
                st.session_state["up_pending"] = {"name": dest.name, "path": upload.inbox_label(wh, dest)}
            else:
                report_after(report, refused)
        st.rerun()
