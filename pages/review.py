"""审核 Review: the figures most likely to be wrong, weakest evidence first; confirm, correct
or reject each with a reason (logic in dashboard.review, records in etl.corrections)."""
import pandas as pd
import streamlit as st

from dashboard import i18n, layout, review
from dashboard.text import escape_markdown, highlight_markdown
from etl.corrections import CorrectionError, MEASURES

ctx = layout.page_setup("review")
lang, f, snap, user = ctx.lang, ctx.filters, ctx.snap, ctx.user
gen = st.session_state.setdefault("rv_gen", 0)  # a new table (no stale selection) after each write


def done(message: str) -> None:
    st.session_state["rv_flash"] = message
    st.session_state["rv_gen"] = gen + 1
    st.rerun()


if st.session_state.get("rv_flash"):
    st.success(st.session_state.pop("rv_flash"))

prog = review.progress(snap, f)
c = st.columns(3)
c[0].metric(ctx.t("rv_progress_reviewed"), i18n.fmt_number(prog["reviewed"], lang))
c[1].metric(ctx.t("rv_progress_queue"), i18n.fmt_number(prog["queue"], lang))
c[2].metric(ctx.t("rv_progress_rejected"), i18n.fmt_number(prog["rejected"], lang))
total = prog["reviewed"] + prog["queue"]
st.progress(prog["reviewed"] / total if total else 1.0)

st.subheader(ctx.t("rv_queue"))
show_reviewed = st.toggle(ctx.t("rv_show_reviewed"), key="rv_show_reviewed")
q = review.queue(snap, f, include_reviewed=show_reviewed)
# any figure can be opened by its id (the Figures page shows it), queued or not
goto = st.text_input(ctx.t("rv_goto"), key="rv_goto").strip()
if goto and review.figure(snap, goto) is not None and goto not in set(q["figure_id"]):
    q = pd.concat([review.queue_row(snap, goto), q], ignore_index=True)
elif goto and review.figure(snap, goto) is None and goto not in review.rejected_ids(snap):
    st.warning(ctx.t("rv_goto_unknown", id=goto))
names = layout.metric_names(ctx)
if q.empty:
    st.info(ctx.t("rv_empty"))
else:
    st.caption(ctx.t("rv_queue_hint"))
    table = pd.DataFrame({
        ctx.t("rv_col_flags"): ["、".join(ctx.t("rv_flag_" + n) for n in review.flags_of(r))
                                if lang == "zh" else ", ".join(ctx.t("rv_flag_" + n) for n in review.flags_of(r))
                                for r in q.to_dict("records")],
        ctx.t("rv_col_status"): [ctx.t("rv_status_" + s) if isinstance(s, str) else "" for s in q["review_status"]],
        ctx.t("col_raw"): q["raw"],
        ctx.t("col_place"): [i18n.place(p, lang) or "—" for p in q["place_name"]],
        ctx.t("col_metric"): [names.get(m, m) for m in q["metric"]],
        ctx.t("col_date"): [ctx.t("unknown") if pd.isna(d) else pd.Timestamp(d).date().isoformat()
                            for d in q["published_on"]],
        # the sentence around its figure; the chosen figure's whole sentence is shown below
        ctx.t("col_excerpt"): [layout.excerpt(s, r) for s, r in zip(q["sentence"], q["raw"])],
        ctx.t("col_bulletin"): [layout.shorten(b) for b in q["bulletin_title"].fillna(q["bulletin_file"])],
        ctx.t("col_figure_id"): q["figure_id"],
    })
    ev = st.dataframe(table, hide_index=True, width="stretch", key=f"rv_queue_{gen}",
                      on_select="rerun", selection_mode="multi-row", column_config=layout.grid_config(table, lang))
    rows = list(getattr(getattr(ev, "selection", None), "rows", []) or [])
    ticked = [q["figure_id"].iloc[i] for i in rows if i < len(q)]
    labels = {r["figure_id"]: f"{r['raw']} · {r['place_name'] or '—'} · {r['bulletin_file']}"
              for r in q.to_dict("records")}
    # the table's ticks fill the picker; the picker (keyboard-friendly) is what the buttons use
    if st.session_state.get("rv_ticked") != ticked:
        st.session_state["rv_ticked"] = ticked
        st.session_state["rv_batch_pick"] = ticked
    st.session_state["rv_batch_pick"] = [i for i in st.session_state.get("rv_batch_pick", []) if i in labels]
    selected = st.multiselect(ctx.t("rv_batch_pick"), list(labels), key="rv_batch_pick",
                              format_func=lambda i: labels.get(i, i), placeholder="—")

    with st.form("rv_batch", border=False):
        b_reason = st.text_input(ctx.t("rv_reason"), key="rv_batch_reason")
        b1, b2 = st.columns(2)
        go_confirm = b1.form_submit_button(ctx.t("rv_confirm_selected", n=len(selected)),
                                           disabled=not selected, width="stretch")
        go_reject = b2.form_submit_button(ctx.t("rv_reject_selected", n=len(selected)),
                                          disabled=not selected, width="stretch")
    if go_confirm or go_reject:
        if not b_reason.strip():
            st.error(ctx.t("rv_reason_needed"))
        else:
            try:
                recs = review.verdict(snap, user, selected, "confirm" if go_confirm else "reject", b_reason)
            except CorrectionError as exc:
                st.error(str(exc))
            else:
                done(ctx.t("rv_done", n=len(recs)))

    # ---- one figure: its sentence, what was decided, correct / confirm / reject, history
    st.subheader(ctx.t("rv_detail"))
    ids = q["figure_id"].tolist()
    if show_reviewed:  # rejected figures have left every view; their history can undo that
        ids += [i for i in review.rejected_ids(snap) if i not in ids]
    labels.update({i: f"{i} · {ctx.t('rv_status_rejected')}" for i in ids if i not in labels})
    if ticked and st.session_state.get("rv_last_sel") != ticked[0]:
        st.session_state["rv_pick"] = ticked[0]
    st.session_state["rv_last_sel"] = ticked[0] if ticked else None
    if goto in ids and st.session_state.get("rv_goto_prev") != goto:
        st.session_state["rv_pick"] = goto
    st.session_state["rv_goto_prev"] = goto
    if goto and goto not in ids and goto in review.rejected_ids(snap):
        ids.append(goto)
        labels[goto] = f"{goto} · {ctx.t('rv_status_rejected')}"
    if st.session_state.get("rv_pick") not in ids:
        st.session_state["rv_pick"] = ids[0]
    fid = st.selectbox(ctx.t("rv_pick"), ids, key="rv_pick", format_func=lambda i: labels.get(i, i))
    fig = review.figure(snap, fid)
    if fig is not None:
        st.markdown(highlight_markdown(fig["sentence"], fig["raw"]))
        date = fig.get("published_on")
        # title and file name come from the bulletin: escaped, so they show as text
        st.caption(" · ".join(str(x) for x in (
            escape_markdown(fig.get("bulletin_title") or ""), escape_markdown(fig.get("bulletin_file") or ""),
            ctx.t("unknown") if date is None or pd.isna(date) else pd.Timestamp(date).date().isoformat(),
            f"{ctx.t('col_figure_id')} {fid}") if x))
        before = review.form_values(fig)
        decided = pd.DataFrame({
            ctx.t("col_field"): [ctx.t("rv_field_" + k) for k in before] + ["place_source", "metric_source"],
            ctx.t("rv_col_decided"): list(before.values()) + [
                str(fig.get("place_source") or "—"), str(fig.get("metric_source") or "—")],
        })
        left, right = st.columns([2, 3])
        left.dataframe(decided, hide_index=True, width="stretch", key=f"rv_decided_{gen}",
                       column_config=layout.grid_config(decided, lang))
        with right.form(f"rv_correct_{fid}_{gen}"):
            st.markdown(f"**{ctx.t('rv_correct_title')}**")
            after = {}
            cols = st.columns(2)
            for i, field in enumerate(before):
                box = cols[i % 2]
                if field == "measure":
                    opts = list(MEASURES)
                    after[field] = box.selectbox(ctx.t("rv_field_measure"), opts,
                                                 index=opts.index(before[field]) if before[field] in opts else 0,
                                                 format_func=lambda m: i18n.measure(m, lang))
                elif field == "direction":
                    opts = ["", "up", "down"]
                    after[field] = box.selectbox(ctx.t("rv_field_direction"), opts,
                                                 index=opts.index(before[field]) if before[field] in opts else 0,
                                                 format_func=lambda d: i18n.direction(d, lang) if d else "—")
                else:
                    after[field] = box.text_input(ctx.t("rv_field_" + field), value=before[field])
            c_reason = st.text_input(ctx.t("rv_reason"), key=f"rv_c_reason_{fid}_{gen}")
            go_correct = st.form_submit_button(ctx.t("rv_correct"), type="primary")
        if go_correct:
            changes = review.changed_fields(before, after)
            if not changes:
                st.warning(ctx.t("rv_nothing_changed"))
            elif not c_reason.strip():
                st.error(ctx.t("rv_reason_needed"))
            else:
                try:
                    recs = review.correct(snap, user, fid, changes, c_reason)
                except CorrectionError as exc:
                    st.error(str(exc))
                else:
                    done(ctx.t("rv_done", n=len(recs)))

        with st.form(f"rv_verdict_{fid}_{gen}", border=False):
            v_reason = st.text_input(ctx.t("rv_reason"), key=f"rv_v_reason_{fid}_{gen}")
            v1, v2 = st.columns(2)
            go_ok = v1.form_submit_button(ctx.t("rv_confirm"), width="stretch")
            go_no = v2.form_submit_button(ctx.t("rv_reject"), width="stretch")
        if go_ok or go_no:
            if not v_reason.strip():
                st.error(ctx.t("rv_reason_needed"))
            else:
                try:
                    recs = review.verdict(snap, user, [fid], "confirm" if go_ok else "reject", v_reason)
                except CorrectionError as exc:
                    st.error(str(exc))
                else:
                    done(ctx.t("rv_done", n=len(recs)))

    # history of the picked figure (also when it was rejected: then undo brings it back)
    st.markdown(f"**{ctx.t('rv_history')}**")
    hist = review.history(snap, fid)
    if hist.empty:
        st.caption(ctx.t("rv_no_history"))
    else:
        layout_hist = pd.DataFrame({
            ctx.t("col_correction_id"): hist["correction_id"], ctx.t("col_action"): hist["action"],
            ctx.t("col_field"): hist["field"].fillna(""), ctx.t("col_before"): hist["before"].fillna(""),
            ctx.t("col_after"): hist["after"].fillna(""), ctx.t("col_reason"): hist["reason"].fillna(""),
            ctx.t("col_by"): hist["by"], ctx.t("col_at"): hist["at"].astype(str),
            ctx.t("col_undone"): [ctx.t("yes") if u else "" for u in hist["undone"]],
        })
        st.dataframe(layout_hist, hide_index=True, width="stretch", key=f"rv_history_{gen}",
                     column_config=layout.grid_config(layout_hist, lang))
        undoable = hist[(hist["action"] != "undo") & (~hist["undone"])]["correction_id"].tolist()
        if undoable:
            u1, u2 = st.columns([3, 1])
            pick = u1.selectbox(ctx.t("rv_undo_pick"), undoable, key=f"rv_undo_pick_{gen}")
            if u2.button(ctx.t("rv_undo"), key=f"rv_undo_{gen}", width="stretch"):
                try:
                    review.undo(snap, user, pick)
                except CorrectionError as exc:
                    st.error(str(exc))
                else:
                    done(ctx.t("rv_undone", id=pick))

# ---- corrections whose figure is gone from this snapshot: listed, never dropped
st.subheader(ctx.t("rv_orphans"))
orph = review.orphans(snap)
if orph.empty:
    st.caption(ctx.t("rv_orphans_none"))
else:
    st.dataframe(pd.DataFrame({
        ctx.t("col_correction_id"): orph["correction_id"], ctx.t("col_figure_id"): orph["figure_id"],
        ctx.t("col_action"): orph["action"], ctx.t("col_field"): orph["field"].fillna(""),
        ctx.t("col_before"): orph["before"].fillna(""), ctx.t("col_after"): orph["after"].fillna(""),
        ctx.t("col_reason"): orph["reason"].fillna(""), ctx.t("col_by"): orph["by"],
        ctx.t("col_at"): orph["at"].astype(str),
    }), hide_index=True, width="stretch", key="rv_orphans")
