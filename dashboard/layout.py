"""What every page does first: config, language, sidebar filters, URL sync, demo banner.

Why each page calls `page_setup()` itself instead of app.py doing it once: Streamlit's
legacy auto-discovery of `pages/` can run a page file alone, without app.py, when a
`/<page>` link is opened on a fresh server. A page that sets itself up is safe either way.
It is not enough, though: that session would show Streamlit's file-name menu (app,
counties, figures…) instead of ours, so `leave_legacy_pages_mode()` turns the legacy mode
off and reruns the same page through app.py (see its docstring).

Filter state: the committed Filters live in `st.session_state["_filters"]` (a plain key,
which survives page switches, unlike widget state, whose identity includes the page) and
are mirrored into `st.query_params` on every run, so the address bar always holds a link
to the current view. A new session (a pasted link) starts from the URL.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, fields

import pandas as pd
import streamlit as st

from dashboard import i18n, queries, store
from dashboard.downloads import briefing_buttons
from dashboard.filters import Filters
from dashboard.i18n import t

STATE = "_filters"
#: widget keys, stable for the browser tests
KEYS = {"lang": "f_lang", "since": "f_since", "until": "f_until", "cities": "f_cities",
        "counties": "f_counties", "categories": "f_categories", "metrics": "f_metrics",
        "initiatives": "f_initiatives", "include_demo": "f_demo"}
FILTER_PARAMS = tuple(f.name for f in fields(Filters))
PAGES = (("overview", "pages/overview.py", ":material/dashboard:"),
         ("counties", "pages/counties.py", ":material/map:"),
         ("initiatives", "pages/initiatives.py", ":material/account_tree:"),
         ("figures", "pages/figures.py", ":material/table_rows:"),
         ("quality", "pages/quality.py", ":material/fact_check:"),
         ("review", "pages/review.py", ":material/rate_review:"),
         ("upload", "pages/upload.py", ":material/upload_file:"))
#: pages that change data: only for editors (dashboard.auth); absent from a viewer's menu
EDITOR_PAGES = ("review", "upload")
#: parameters a page keeps in the URL for its own pickers; dropped on the other pages
PAGE_PARAMS = {"overview": ("trend",), "counties": ("metric", "county"),
               "initiatives": ("initiative_pick",), "figures": ("q",), "quality": (),
               "review": (), "upload": ()}
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
#: an emoji favicon is drawn locally (a data: SVG); a ":material/…" one is fetched from
#: fonts.gstatic.com by the browser, which fails offline with a console error
PAGE_ICON = "🛡️"


#: our own style rules (no bulletin text): a card's label and value wrap instead of being cut
#: with an ellipsis at 1024 px, and the value is a size that fits three cards across
CARD_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; font-size: 1.6rem; line-height: 1.25;
  overflow-wrap: anywhere; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
</style>"""


@dataclass(frozen=True)
class PageContext:
    lang: str
    filters: Filters
    snap: store.Snapshot | None
    options: dict[str, pd.DataFrame]
    user: object = None  # dashboard.auth.User: who is signed in (the audit trail's name)
    warehouse: object = None  # the warehouse folder (also when it holds no snapshot yet)

    def t(self, key: str, **kw) -> str:
        return t(key, self.lang, **kw)


def _committed() -> Filters:
    f = st.session_state.get(STATE)
    if isinstance(f, Filters):
        return f
    return Filters.from_query(st.query_params)


def current_lang() -> str:
    """Language before the sidebar exists (app.py needs it for the page titles)."""
    if KEYS["lang"] in st.session_state:
        return "en" if st.session_state[KEYS["lang"]] == "en" else "zh"
    return _committed().lang


def navigation_pages(lang: str, role: str | None = "admin") -> list:
    """The menu; the editor pages only for a role that may use them (dashboard.auth)."""
    from dashboard.auth import ROLES
    may_edit = role is not None and ROLES.index(role) >= ROLES.index("editor")
    return [st.Page(path, title=t(f"page_{key}", lang), icon=icon, url_path=key, default=(i == 0))
            for i, (key, path, icon) in enumerate(PAGES) if may_edit or key not in EDITOR_PAGES]


def _seed(f: Filters) -> None:
    """Give each filter widget its committed value if it has none (first run, new page)."""
    values = {"lang": f.lang, "since": f.since, "until": f.until, "cities": list(f.cities),
              "counties": list(f.counties), "categories": list(f.categories),
              "metrics": list(f.metrics), "initiatives": list(f.initiatives),
              "include_demo": f.include_demo}
    for name, key in KEYS.items():
        # Re-assigning a present value detaches it from the previous page's widget (whose id
        # included that page), so the widget on this page starts from it instead of its default.
        st.session_state[key] = st.session_state[key] if key in st.session_state else values[name]


def _reset() -> None:
    d = Filters(lang=st.session_state.get(KEYS["lang"], "zh"))
    st.session_state[STATE] = d
    for key in KEYS.values():
        st.session_state.pop(key, None)
    _seed(d)


def _labels(df: pd.DataFrame, code_col: str, zh_col: str, en_col: str | None, lang: str) -> dict:
    out = {}
    for _, r in df.iterrows():
        code = r[code_col]
        if code is None or pd.isna(code):
            continue
        out[str(code)] = i18n.name(r[zh_col], r[en_col] if en_col else None, lang) or str(code)
    return out


def _with_selected(options: list[str], key: str) -> list[str]:
    chosen = st.session_state.get(key) or []
    return options + [c for c in chosen if c not in options]


def _sidebar(opts: dict[str, pd.DataFrame], lang: str) -> Filters:
    sb = st.sidebar
    sb.radio(t("language", lang), ["zh", "en"], key=KEYS["lang"], horizontal=True,
             format_func=lambda v: "中文" if v == "zh" else "English")
    lang = st.session_state[KEYS["lang"]]
    sb.subheader(t("filters", lang))
    c1, c2 = sb.columns(2)
    c1.date_input(t("since", lang), key=KEYS["since"], min_value=DATE_MIN, max_value=DATE_MAX,
                  format="YYYY-MM-DD")
    c2.date_input(t("until", lang), key=KEYS["until"], min_value=DATE_MIN, max_value=DATE_MAX,
                  format="YYYY-MM-DD")

    places = opts["places"]
    city_names = {}
    for _, r in places.dropna(subset=["city_code"]).iterrows():
        city_names.setdefault(str(r["city_code"]), i18n.place(str(r["city"] or r["city_code"]), lang))
    sb.multiselect(t("cities", lang), _with_selected(sorted(city_names), KEYS["cities"]),
                   key=KEYS["cities"], format_func=lambda c: city_names.get(c, c), placeholder="—")
    chosen_cities = set(st.session_state.get(KEYS["cities"]) or [])
    county_rows = places.dropna(subset=["county_code"])
    if chosen_cities:
        county_rows = county_rows[county_rows["city_code"].isin(chosen_cities)]
    county_names = {str(r["county_code"]): i18n.place(str(r["county"] or r["county_code"]), lang)
                    for _, r in county_rows.iterrows()}
    sb.multiselect(t("counties", lang), _with_selected(sorted(county_names), KEYS["counties"]),
                   key=KEYS["counties"], format_func=lambda c: county_names.get(c, c), placeholder="—")

    cats = [c for c in opts["categories"]["category"].dropna().astype(str)]
    sb.multiselect(t("categories", lang), _with_selected(cats, KEYS["categories"]),
                   key=KEYS["categories"], format_func=lambda c: i18n.category(c, lang), placeholder="—")
    chosen_cats = set(st.session_state.get(KEYS["categories"]) or [])
    mdf = opts["metrics"]
    if chosen_cats:
        mdf = mdf[mdf["category"].isin(chosen_cats)]
    metric_names = _labels(mdf, "code", "name_zh", "name_en", lang)
    sb.multiselect(t("metrics", lang), _with_selected(list(metric_names), KEYS["metrics"]),
                   key=KEYS["metrics"], format_func=lambda c: metric_names.get(c, c), placeholder="—")
    ini_names = _labels(opts["initiatives"], "code", "name_zh", "name_en", lang)
    sb.multiselect(t("initiatives", lang), _with_selected(list(ini_names), KEYS["initiatives"]),
                   key=KEYS["initiatives"], format_func=lambda c: ini_names.get(c, c), placeholder="—")
    sb.checkbox(t("include_demo", lang), key=KEYS["include_demo"])
    sb.button(t("reset", lang), key="f_reset", on_click=_reset)
    sb.caption(t("share_hint", lang))

    s = st.session_state
    since, until = s[KEYS["since"]], s[KEYS["until"]]
    return Filters(
        since=since if isinstance(since, dt.date) else None,
        until=until if isinstance(until, dt.date) else None,
        cities=tuple(s[KEYS["cities"]] or ()), counties=tuple(s[KEYS["counties"]] or ()),
        categories=tuple(s[KEYS["categories"]] or ()), metrics=tuple(s[KEYS["metrics"]] or ()),
        initiatives=tuple(s[KEYS["initiatives"]] or ()),
        include_demo=bool(s[KEYS["include_demo"]]), lang="en" if lang == "en" else "zh")


def sync_url(f: Filters, page_key: str | None = None) -> None:
    """Write the filters into the URL; keep this page's own parameters, drop other pages'."""
    want = f.to_query()
    qp = st.query_params
    for other, names in PAGE_PARAMS.items():
        if other != page_key:
            for name in names:
                if name in qp:
                    del qp[name]
    for name in FILTER_PARAMS:
        if name in want:
            if qp.get(name) != want[name]:
                qp[name] = want[name]
        elif name in qp:
            del qp[name]


def leave_legacy_pages_mode(lang: str) -> None:
    """Rerun through app.py when Streamlit's legacy `pages/` mode is running this script.

    Why: a server decides once, at its first session, whether the app uses the legacy
    `pages/` folder (`PagesManager.uses_pages_directory`, true when `pages/` sits beside
    app.py) and keeps thinking so until some run calls `st.navigation`. Until then every
    session runs `_mpa_v1`, which runs the page named in the URL alone (no app.py, no
    login check, a menu of file names). Calling `st.navigation` is Streamlit's documented
    way to leave that mode; the rerun keeps the URL's page and query string, and now goes
    through app.py like any other run. The design card requires the folder to be `pages/`,
    so it cannot be renamed away. A test runner that runs a page file on its own (AppTest,
    no `pages/` beside it) is not in legacy mode and is left alone.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", None):
        st.set_page_config(page_icon=PAGE_ICON)  # else the menu's material icon becomes the favicon
        st.navigation(navigation_pages(lang), position="hidden")  # clears the legacy flag
        st.rerun()


#: pickers whose options are labelled in the page's language (format_func)
RELABEL_KEYS = ("co_metric", "co_scope", "co_county", "ov_metric", "in_pick",
                "f_cities", "f_counties", "f_categories", "f_metrics", "f_initiatives")


def relabel_after_language_switch(lang: str) -> None:
    """Make pickers redraw their chosen option in the new language.

    Why: a widget keeps its identity (its key) across a language switch and the browser
    keeps showing the option text it drew before, so 化解矛盾纠纷 stays on screen in
    English. Assigning the same value through session_state makes Streamlit send it to
    the browser again, which then labels it from the new option names.
    """
    if st.session_state.get("_relabel_lang") == lang:
        return
    if "_relabel_lang" in st.session_state:
        for key in RELABEL_KEYS:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state["_relabel_lang"] = lang


def page_setup(page_key: str, allow_empty: bool = False) -> PageContext:
    """Set up the page; stops the script with a friendly message when there is nothing to show.

    ``allow_empty``: the Import page is how a bureau loads its first bulletins, so with no
    snapshot yet it still runs (ctx.snap is None, no filters) instead of stopping.
    """
    leave_legacy_pages_mode(current_lang())
    f0 = _committed()
    _seed(f0)
    lang = current_lang()
    st.set_page_config(page_title=f"{t('page_' + page_key, lang)} · {t('app_title', lang)}",
                       page_icon=PAGE_ICON, layout="wide")
    from dashboard import auth  # every page, every run: a direct link is checked too
    user = auth.gate(lang)
    if page_key in EDITOR_PAGES:
        auth.require("editor", lang, user)
    wh = store.warehouse_dir()
    try:
        snap = store.current(wh)
    except OSError as err:
        snap = None
        st.error(t("warehouse_error", lang, err=f"{wh}: {err}"))
        st.stop()
    if snap is None:
        st.title(t("page_" + page_key, lang))
        if allow_empty:
            st.info(t("no_warehouse_upload", lang, wh=str(wh)))
            return PageContext(lang=lang, filters=Filters(lang=lang), snap=None, options={},
                               user=user, warehouse=wh)
        st.info(t("no_warehouse", lang, wh=str(wh)))
        st.stop()
    try:
        opts = queries.options(snap)
    except Exception as err:  # a damaged or foreign file: say which and why, in one line
        st.title(t("page_" + page_key, lang))
        st.error(t("warehouse_error", lang, err=f"{snap.path}: {' '.join(str(err).split())[:300]}"))
        st.stop()
    relabel_after_language_switch(lang)
    f = _sidebar(opts, lang)
    st.session_state[STATE] = f
    sync_url(f, page_key)
    lang = f.lang
    briefing_buttons(f, wh, lang)
    stamp = queries.data_stamp(snap)
    loaded = stamp.get("loaded_at")
    st.sidebar.caption(t("data_stamp", lang,
                         date="—" if loaded is None or pd.isna(loaded) else pd.Timestamp(loaded).strftime("%Y-%m-%d %H:%M"),
                         bulletins=i18n.fmt_number(stamp.get("bulletins") or 0, lang),
                         figures=i18n.fmt_number(stamp.get("figures") or 0, lang)))
    st.html(CARD_CSS)
    st.title(t("page_" + page_key, lang))
    ctx = PageContext(lang=lang, filters=f, snap=snap, options=opts, user=user, warehouse=snap.warehouse)
    synthetic_banner(ctx)
    return ctx


def synthetic_banner(ctx: PageContext) -> None:
    """Every page says plainly when synthetic figures are among those shown."""
    if not ctx.filters.include_demo:
        return
    k = queries.kpis(ctx.snap, ctx.filters)
    if int(k.get("synthetic") or 0) > 0:
        st.warning(ctx.t("synthetic_banner"), icon=":material/science:")


def metric_names(ctx: PageContext) -> dict[str, str]:
    """code -> name in the page's language, derived codes (X_change) included."""
    m = ctx.options["metrics"]
    return {str(c): i18n.name(z, e, ctx.lang) or str(c) for c, z, e in zip(m["code"], m["name_zh"], m["name_en"])}


def base_metric_names(ctx: PageContext) -> dict[str, str]:
    """code -> the base metric's name (a derived X_change is named as X; labels add the measure)."""
    return metric_names(ctx)


def metric_label(ctx: PageContext, metric: str, measure: str | None = None) -> str:
    name = metric_names(ctx).get(metric, metric)
    return f"{name} · {i18n.measure(measure, ctx.lang)}" if measure else name


# ------------------------------------------------------------------ grids
#: Why every column of every grid gets its width here: a grid cell is drawn on a canvas
#: (glide-data-grid) at the width the grid guesses from its first rows, so "Lishui
#: Development Zone" became "Lishui Developm…" at 1024 px, and a bulletin's sentence was cut
#: after a dozen characters, invisibly to the DOM. Each column gets the pixel width of its
#: longest value instead; a sentence is shown in a grid as an excerpt around its figure (the
#: chosen row's whole sentence is shown below the grid) and a bulletin title is shortened
#: with an explicit "…", so what the grid receives always fits. tests/browser/test_grid_widths.py
#: measures every column with the browser's own font.
#: the grid's cell font (Streamlit's theme: 0.875rem = 14 px) and padding (0.5rem each side)
GRID_FONT_PX = 14
GRID_PADDING_PX = 2 * 8
#: the header keeps room for the sort arrow and the column menu
GRID_HEADER_EXTRA_PX = 28
GRID_MAX_PX = 640
#: a sentence in a grid: this many em before its figure and after it (CJK characters are 1 em)
EXCERPT_BEFORE_EM, EXCERPT_AFTER_EM = 18, 10
#: a bulletin title or a path in a grid: at most this many em
TITLE_EM = 22


def _char_em(ch: str) -> float:
    """Advance width of one character in em, a little above Source Sans' own (safe side)."""
    o = ord(ch)
    if 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F:
        return 1.0                       # CJK and full-width forms: one em each
    if ch in "mwMW@":
        return 0.9
    if ch.isupper():
        return 0.64
    if ch.isdigit():
        return 0.53
    if ch.islower():
        return 0.32 if ch in "ijlft" else 0.52
    if ch == " ":
        return 0.24
    return 0.5


#: _char_em of each character met so far: a grid of 200 figures measures ~50,000 characters
#: per rerun, and working each one out again was a fifth of an initiatives rerun
_EM_OF: dict[str, float] = {}


def _em(text: str) -> float:
    """Width of `text` in em: _char_em summed in order (the same sum, each character's
    width looked up once per process)."""
    total = 0.0
    get = _EM_OF.get
    for c in text:
        w = get(c)
        if w is None:
            w = _EM_OF[c] = _char_em(c)
        total += w
    return total


@functools.lru_cache(maxsize=65536)
def _text_px(text: str, font_px: int) -> int:
    return int(round(_em(text) * font_px))


def text_px(text, font_px: int = GRID_FONT_PX) -> int:
    """Width in pixels of a text in the grid's font, from a per-character metric (a grid
    repeats its dates, units and places: each text is measured once per process)."""
    return _text_px(str(text), font_px)


def fit_px(values, header: str = "") -> int:
    """A column width that shows its longest value and its header in full."""
    longest = max((text_px(v) for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))),
                  default=0)
    return min(GRID_MAX_PX, max(longest + GRID_PADDING_PX + 8,
                                text_px(header) + GRID_PADDING_PX + GRID_HEADER_EXTRA_PX, 60))


def shorten(text, em: float = TITLE_EM, keep: str = "end") -> str:
    """`text` cut to about `em` em with an explicit "…" (keep="start" keeps the tail: a path's file)."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else " ".join(str(text).split())
    if _em(text) <= em:
        return text
    out, width = [], 1.0
    chars = text if keep == "end" else reversed(text)
    for ch in chars:
        width += _char_em(ch)
        if width > em:
            break
        out.append(ch)
    return "".join(out) + "…" if keep == "end" else "…" + "".join(reversed(out))


def excerpt(sentence, raw) -> str:
    """The sentence around its figure, the figure in 【】: "…由公安牵头化解纠纷【6300余起】，调解成功…".

    A grid row cannot hold a 200-character sentence; this part of it says what the figure
    counts. The whole sentence is shown under the grid for the chosen row (figure_grid)."""
    from dashboard.text import split_on_figure
    sentence = " ".join(str(sentence or "").split())
    before, fig, after = split_on_figure(sentence, raw)
    if not fig:
        return shorten(sentence, EXCERPT_BEFORE_EM + EXCERPT_AFTER_EM)
    head = shorten(before, EXCERPT_BEFORE_EM, keep="start") if before else ""
    tail = shorten(after, EXCERPT_AFTER_EM) if after else ""
    return f"{head}【{shorten(fig, EXCERPT_AFTER_EM)}】{tail}"


def cell_text(v) -> str:
    """A value as the grid draws it (numbers plainly: 16000000, 29.8)."""
    if v is None or (not isinstance(v, (str, bytes, list, tuple)) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def grid_config(df, lang: str | None = None, fmt=None, pinned: tuple[str, ...] = (),
                helps: dict | None = None) -> dict:
    """column_config giving every column of a grid the width of its longest value and header.

    `df` may be a pandas Styler (its data is measured through `fmt`, the Styler's own
    formatter of numbers); `pinned` columns stay in view when the grid scrolls sideways;
    `helps` (column -> text) is a header's tooltip: what a short header stands for."""
    frame = df.data if hasattr(df, "data") and not isinstance(df, pd.DataFrame) else df
    out = {}
    for col in frame.columns:
        values = frame[col].tolist()
        if fmt is not None and pd.api.types.is_numeric_dtype(frame[col]):
            texts = [fmt(v) for v in values]
        else:
            texts = [cell_text(v) for v in values]
        width = fit_px(texts, str(col))
        kw = dict(width=width, pinned=col in pinned or None, help=(helps or {}).get(col))
        if pd.api.types.is_bool_dtype(frame[col]):
            out[col] = st.column_config.CheckboxColumn(**kw)
        elif pd.api.types.is_numeric_dtype(frame[col]):
            out[col] = st.column_config.NumberColumn(**kw)
        else:
            out[col] = st.column_config.TextColumn(**kw)
    return out


def others_grid(ctx: PageContext, others: pd.DataFrame, key: str, count: int | None = None) -> None:
    """The places left out of a comparison because their latest report covers another period
    (dashboard.comparable), each with its figure, period and date: listed, never ranked."""
    from dashboard import comparable
    from dashboard.cards import change_text, value_text
    if others is None or others.empty:
        return
    lang = ctx.lang
    recs = others.to_dict("records")
    table = pd.DataFrame({
        t("col_place", lang): [i18n.place(r["place_name"], lang) or "—" for r in recs],
        t("col_figure", lang): [change_text(r, lang) if r.get("measure") == "change" else value_text(r, lang)
                                for r in recs],
        t("col_period", lang): [i18n.period(r.get("period"), lang) or i18n.period_kind("unknown", lang) for r in recs],
        t("col_date", lang): [t("unknown", lang) if pd.isna(r.get("published_on")) else
                              pd.Timestamp(r["published_on"]).date().isoformat() for r in recs],
    })
    with st.expander(f"{comparable.words(lang)['others_title']} · {len(table) if count is None else count}"):
        st.dataframe(table, hide_index=True, width="stretch", key=key, column_config=grid_config(table, lang))


def source_table(ctx: PageContext, df: pd.DataFrame, key: str) -> None:
    """The provenance table every click leads to: sentence (figure in 【】), bulletin, date."""
    if df is None or df.empty:
        st.caption(ctx.t("no_rows"))
        return
    figure_grid(ctx, df, key)


def grid_view(ctx: PageContext, table: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """What a grid shows of display_frame(rows), and in which column order: the sentence as
    an excerpt around its figure, the bulletin title shortened. The whole sentence stays in
    the grid's data (a hidden column: the grid's data holds every character as written) and
    is shown under the grid for the chosen row."""
    lang = ctx.lang
    view = table.copy()
    sent = t("col_sentence", lang)
    view.insert(list(view.columns).index(sent), t("col_excerpt", lang),
                [excerpt(s, r) for s, r in zip(rows["sentence"], rows["raw"])])
    bul = t("col_bulletin", lang)
    if bul in view:
        view[bul] = [shorten(x) for x in view[bul]]
    return view, [c for c in view.columns if c != sent]


def figure_grid(ctx: PageContext, rows: pd.DataFrame, key: str, table: pd.DataFrame | None = None):
    """Figures in a grid a reader can take in at 1024 px, and the chosen row's whole sentence
    below it (the figure highlighted, bulletin, file and date): the grid's "detail view".

    Returns the grid's event (its selection), so a page can act on the chosen row too."""
    from dashboard.text import escape_markdown, highlight_markdown
    table = display_frame(ctx, rows) if table is None else table
    view, shown = grid_view(ctx, table, rows)
    ev = st.dataframe(view, hide_index=True, width="stretch", key=key, on_select="rerun", column_order=shown,
                      selection_mode="single-row", column_config=grid_config(view[shown], ctx.lang))
    sel = list(getattr(getattr(ev, "selection", None), "rows", []) or []) if ev is not None else []
    sel = [i for i in sel if isinstance(i, int) and 0 <= i < len(rows)]
    if sel:
        r = rows.iloc[sel[0]]
        st.markdown(highlight_markdown(r["sentence"], r["raw"]))
        day = ctx.t("unknown") if pd.isna(r["published_on"]) else pd.Timestamp(r["published_on"]).date().isoformat()
        title = r.get("bulletin_title")
        # a title, file name or place is text from outside: `**` or `:red[…]` in it must not format
        parts = [escape_markdown(title) if isinstance(title, str) and title else "",
                 escape_markdown(r["bulletin_file"]), day,
                 escape_markdown(i18n.place(r["place_name"], ctx.lang) or "—")]
        st.caption(" · ".join(p for p in parts if p))
        from dashboard import correction_text
        if correction_text.statement(r, ctx.lang):  # a reviewer's correction: who, when, why, what changed
            st.caption(escape_markdown(f"{correction_text.cell(r, ctx.lang)} · {correction_text.changes(r, ctx.lang)}"))
    else:
        st.caption(ctx.t("pick_row"))
    return ev


def display_frame(ctx: PageContext, df: pd.DataFrame) -> pd.DataFrame:
    """Figures as people read them; bulletin text stays plain text in the grid.

    First what a row at 1024 px must show: date, place, the figure in the reader's words
    (下降29.8%, over 16 million yuan: a change says which way), the metric; then the period,
    the sentence, the bulletin; the figure as written and its parts last. A change or a
    share is named as such (电信网络诈骗案件（占比）), so a 2.6% share never reads as the
    same thing as a 19% fall. A corrected figure gets a 更正说明 column beside it (only when
    one is shown): ✎, who, when and why."""
    from dashboard.cards import series_label, value_text
    from dashboard.text import bracket
    lang = ctx.lang
    names = metric_names(ctx)
    out = pd.DataFrame({
        t("col_date", lang): [d.date().isoformat() if not pd.isna(d) else t("unknown", lang)
                              for d in pd.to_datetime(df["published_on"])],
        t("col_place", lang): [i18n.place(p, lang) or "—" for p in df["place_name"]],
        t("col_figure", lang): [value_text(r, lang) for r in df.to_dict("records")],
        t("col_metric", lang): [series_label(names.get(m) or i18n.name(z, e, lang) or m, s, lang) for z, e, m, s in
                                zip(df["metric_zh"], df["metric_en"], df["metric"], df["measure"])],
        t("col_period", lang): [i18n.period(p, lang) or "—" for p in df["period"]],
        t("col_sentence", lang): [bracket(s, r) for s, r in zip(df["sentence"], df["raw"])],
        t("col_bulletin", lang): df["bulletin_title"].fillna(df["bulletin_file"]),
        t("col_raw", lang): df["raw"],
        t("col_value", lang): df["value"],
        t("col_unit", lang): [(i18n.UNITS_EN.get(u, u) if lang == "en" else u) for u in df["unit"]],
        t("col_file", lang): df["bulletin_file"],
        t("col_demo", lang): [t("yes", lang) if s else "" for s in df["synthetic"]],
        t("col_figure_id", lang): df["figure_id"],
    })
    # a corrected figure says so beside its (corrected) value: ✎, who, when and why (issue 9)
    from dashboard import correction_text
    notes = [correction_text.cell(r, lang) for r in df.to_dict("records")]
    if any(notes):
        out.insert(out.columns.get_loc(t("col_figure", lang)) + 1, t("col_correction", lang), notes)
    return out


def clickable_chart(ctx: PageContext, fig, key: str, sources_of, hint: bool = False) -> None:
    """A chart whose marks lead to their sources in one click (principle 2).

    `sources_of(customdata)` returns (what the mark is, its source figures) or None; the
    page says what each mark carries, this draws the chart and the provenance table.
    """
    ev = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", width="stretch")
    if hint:
        st.caption(ctx.t("click_hint"))
    pts = [p for p in selected_points(ev) if p.get("customdata")]
    found = sources_of(pts[0]["customdata"]) if pts else None
    if found:
        what, df = found
        st.markdown(f"**{ctx.t('sources_of', what=what)}**")
        source_table(ctx, df, key=f"{key}_sources")


def selected_points(event) -> list[dict]:
    """Points of a plotly on_select event (tolerant of the event's shape)."""
    if not event:
        return []
    sel = event.get("selection") if isinstance(event, dict) else getattr(event, "selection", None)
    if not sel:
        return []
    pts = sel.get("points") if isinstance(sel, dict) else getattr(sel, "points", None)
    return list(pts or [])
