"""The one definition of what the user is looking at, shared by pages, URL and briefings.

Pages, the URL (st.query_params) and `python -m dashboard.briefing` all build a Filters and
turn it into the same parameterised WHERE clause, so a briefing always matches the view it
was downloaded from.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

#: the dates a link may carry: the sidebar's date pickers accept no others (the same bounds
#: as dashboard.layout.DATE_MIN/DATE_MAX), so a link outside them is dropped, not a crash
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def _like_literal(text: str) -> str:
    """`text` for a LIKE pattern with its own % and _ taken literally (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None
    until: dt.date | None = None
    cities: tuple[str, ...] = ()        # city codes (6 digits), e.g. 331100
    counties: tuple[str, ...] = ()      # county codes, or alias names for places without one
    categories: tuple[str, ...] = ()    # taxonomy categories (disputes, drones, …)
    metrics: tuple[str, ...] = ()       # taxonomy metric codes
    initiatives: tuple[str, ...] = ()   # initiative codes (programme or pillar)
    include_demo: bool = True           # synthetic figures shown (and flagged) unless false
    lang: str = "zh"

    def where(self, alias: str = "") -> tuple[str, list]:
        """SQL condition over v_figures columns and its parameters (never string-formatted values)."""
        p = f"{alias}." if alias else ""
        conds, params = [], []
        if self.since:
            conds.append(f"{p}published_on >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{p}published_on <= ?")
            params.append(self.until)
        for col, values in (("city_code", self.cities), ("category", self.categories),
                            ("metric", self.metrics)):
            if values:
                conds.append(f"{p}{col} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        if self.counties:
            marks = ", ".join("?" * len(self.counties))
            conds.append(f"({p}county_code IN ({marks}) OR {p}county IN ({marks}))")
            params.extend(self.counties)
            params.extend(self.counties)
        if self.initiatives:
            # a programme selects its pillars too: initiative codes are dotted (programme.pillar)
            ors = []
            for code in self.initiatives:
                ors.append(f"({p}initiative = ? OR {p}initiative LIKE ? ESCAPE '\\')")
                params.extend([code, _like_literal(code) + ".%"])
            conds.append("(" + " OR ".join(ors) + ")")
        if not self.include_demo:
            conds.append(f"NOT {p}synthetic")
        return (" AND ".join(conds) or "TRUE"), params

    # --- URL round trip -------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Only non-default values, so a plain link stays short."""
        out: dict[str, str] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == f.default or (isinstance(v, tuple) and not v):
                continue
            if isinstance(v, tuple):
                out[f.name] = ",".join(v)
            elif isinstance(v, bool):
                out[f.name] = "1" if v else "0"
            elif isinstance(v, dt.date):
                out[f.name] = v.isoformat()
            else:
                out[f.name] = str(v)
        return out

    @classmethod
    def from_query(cls, q) -> "Filters":
        """Tolerant: a hand-edited or stale link drops what it cannot parse instead of failing."""
        kw = {}
        for f in fields(cls):
            raw = q.get(f.name) if hasattr(q, "get") else None
            if raw is None or raw == "":
                continue
            if isinstance(raw, list):
                raw = raw[-1]
            try:
                if f.name in ("since", "until"):
                    day = dt.date.fromisoformat(raw)
                    if not DATE_MIN <= day <= DATE_MAX:
                        continue  # the date pickers would refuse it: an absurd link
                    kw[f.name] = day
                elif f.name == "include_demo":
                    kw[f.name] = raw not in ("0", "false", "no")
                elif f.name == "lang":
                    kw[f.name] = raw if raw in ("zh", "en") else "zh"
                else:
                    kw[f.name] = tuple(x for x in str(raw).split(",") if x)
            except ValueError:
                continue
        return cls(**kw)

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)
