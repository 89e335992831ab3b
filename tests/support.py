"""Helpers the tests import by name (a conftest.py cannot be imported reliably: there is
one per test folder, all called `conftest`)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

HOSTILE_FILE = "2024-06-18_龙泉公安工作动态.txt"
#: written for the test in the genre: a county bureau's lead with markup in the text
HOSTILE_TEXT = (
    "丽水:\n\n"
    "龙泉公安深化“枫桥式”派出所建设\n\n"
    "通讯员 李明\n\n"
    "本报讯 龙泉公安<b>坚持</b>源头治理，<script>alert('pingan')</script>今年以来化解矛盾纠纷120起。\n\n"
    "该局组建巡逻队伍12支，**每日**开展巡逻防控。\n"
)
REFUSED_FILE = "损坏的通报.docx"


def run_etl(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m etl ARGS` in the project; fail the test with its stderr if it fails."""
    proc = subprocess.run([PYTHON, "-m", "etl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc


def run_cli(*args, env_extra=None, cwd=ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` as a user runs it, with none of this machine's PINGAN_* settings
    leaking in (warehouse, size cap, crash hook) unless the test passes them."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PINGAN_WAREHOUSE", "PINGAN_MAX_BYTES", "PINGAN_TEST_CRASH_BEFORE_SWITCH")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(env_extra or {})
    return subprocess.run([PYTHON, "-m", "etl", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def query(wh, sql, params=None) -> list[tuple]:
    """Rows of a read-only query on the warehouse's current snapshot."""
    from etl import warehouse as etl_warehouse
    con = etl_warehouse.connect_read_only(wh)
    try:
        return con.execute(sql, list(params or [])).fetchall()
    finally:
        con.close()


def ingest(paths, warehouse: Path) -> subprocess.CompletedProcess:
    """Real ingest; exit status 1 (some files refused) is expected when a corpus holds bad files."""
    proc = run_etl("ingest", *[str(p) for p in paths], "--warehouse", str(warehouse))
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"etl ingest failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc




# ------------------------------------------------------------------ PDF fixtures

NOTO_CJK = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
            Path("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc"),
            Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")]


def cjk_truetype(out: Path, text: str) -> Path:
    """A TrueType subset of Noto Sans CJK SC covering `text`.

    fpdf2 embeds the collection's CFF outlines in a way pdfminer cannot read back, so
    the test converts the glyphs it needs to TrueType outlines (fontTools, no download).
    """
    import pytest
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, newTable

    src = next((p for p in NOTO_CJK if p.exists()), None)
    if src is None:
        pytest.skip("fonts-noto-cjk not installed (scripts/setup.sh installs it)")
    fonts = TTCollection(str(src), lazy=True).fonts
    font = next(f for f in fonts if "SC" in (f["name"].getDebugName(1) or ""))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)

    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["loca"], font["glyf"] = newTable("loca"), glyf
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["post"].formatType = 2.0
    font["post"].extraNames, font["post"].mapping = [], {}
    font.sfntVersion = "\0\1\0\0"
    font.save(str(out))
    return out


def make_pdf(path: Path, pages, font_file: Path | None) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    if font_file:
        pdf.add_font("cjk", fname=str(font_file))
    for lines in pages:
        pdf.add_page()
        if lines is None:          # a "scanned" page: drawing only, no text
            pdf.rect(20, 20, 120, 80, style="F")
            continue
        pdf.set_font("cjk", size=12)
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))




def wait_for_lock_owner(lock: Path, proc, timeout: float = 120.0) -> bool:
    """True once process `proc` holds the warehouse's writer lock (an ingest writes its pid
    there right after flock), False if it exits first: the moment a kill lands in a run."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if lock.read_text().strip() == str(proc.pid):
                return True
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False
