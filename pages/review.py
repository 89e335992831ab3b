"""审核 Review: the figures most likely to be wrong, weakest evidence first; confirm, correct
or reject each with a reason (logic in dashboard.review, records in etl.corrections)."""
import pandas as pd
import streamlit as st

from dashboard import correction_text, i18n, layout, review
from dashboard.text import escape_markdown, highlight_markdown
from etl.corrections import QUALIFIERS, CorrectionError, MEASURES

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
st.progress(prog["reviewed"] / total if total else 1.0,
            text=ctx.t("rv_progress_text", reviewed=i18n.fmt_number(prog["reviewed"], lang),
                       total=i18n.fmt_number(total, lang)))

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
ini_names = {str(c): i18n.name(z, e, lang) or str(c) for c, z, e in
             zip(ctx.options["initiatives"]["code"], ctx.options["initiatives"]["name_zh"],
                 ctx.options["initiatives"]["name_en"])}


def place_of(name) -> str:
    return i18n.place(name, lang) if isinstance(name, str) and name else "—"


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
        ctx.t("col_place"): [place_of(p) for p in q["place_name"]],
        ctx.t("col_metric"): [review.metric_text(m, lang, names) for m in q["metric"]],
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
    labels = {r["figure_id"]: f"{r['raw']} · {place_of(r['place_name'])} · {r['bulletin_file'] or '—'}"
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
        said = correction_text.statement(fig, lang)
        if said:  # who changed it, when and why (names and reasons are typed by people)
            st.caption(escape_markdown(f"{ctx.t('corrected_prefix')}{said}"))
        before = review.form_values(fig)
        decided = review.decided_rows(fig, lang, names, ini_names)
        # the whole table, every value in full (no scrolling, no cut names), then the form
        st.dataframe(decided, hide_index=True, key=f"rv_decided_{gen}", height=35 * (len(decided) + 1) + 3,
                     column_config={c: st.column_config.TextColumn(width=layout.fit_px(decided[c].tolist(), c))
                                    for c in decided.columns})
        with st.form(f"rv_correct_{fid}_{gen}"):
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
                elif field == "qualifier":
                    opts = [""] + list(QUALIFIERS)
                    after[field] = box.selectbox(ctx.t("rv_field_qualifier"), opts,
                                                 index=opts.index(before[field]) if before[field] in opts else 0,
                                                 format_func=lambda q: q or ctx.t("rv_field_pick_none"))
                elif field == "metric":
                    opts = list(dict.fromkeys([before[field]] + sorted(names, key=lambda c: (names[c], c))))
                    after[field] = box.selectbox(ctx.t("rv_field_metric"), opts, index=0,
                                                 format_func=lambda m: review.metric_text(m, lang, names))
                elif field == "initiative":
                    opts = list(dict.fromkeys([""] + ([before[field]] if before[field] else []) + list(ini_names)))
                    after[field] = box.selectbox(ctx.t("rv_field_initiative"), opts,
                                                 index=opts.index(before[field]),
                                                 format_func=lambda c: ini_names.get(c, c) if c
                                                 else ctx.t("rv_field_pick_none"))
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
        hist_frame = review.history_frame(hist, lang)
        st.dataframe(hist_frame, hide_index=True, width="stretch", key=f"rv_history_{gen}",
                     column_config=layout.grid_config(hist_frame, lang))
        live = hist[(hist["action"] != "undo") & (~hist["undone"])]
        undoable = live["correction_id"].tolist()
        undo_labels = {r["correction_id"]: review.undo_label(r, lang) for r in live.to_dict("records")}
        if undoable:
            u1, u2 = st.columns([3, 1], vertical_alignment="bottom")
            pick = u1.selectbox(ctx.t("rv_undo_pick"), undoable, key=f"rv_undo_pick_{gen}",
                                format_func=lambda c: undo_labels.get(c, c))
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
    table = review.history_frame(orph, lang).drop(columns=[ctx.t("col_undone")])
    table.insert(0, ctx.t("col_figure_id"), orph["figure_id"].tolist())
    st.dataframe(table, hide_index=True, width="stretch", key="rv_orphans")
