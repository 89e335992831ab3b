"""The extractor compiled by scripts/build_native.py (mypyc): in use after setup, the same
output as the source on every corpus, never run from a build of older source.

Why: the compiled modules are what every ingest runs. A compiled copy that read a page
differently from the source, or a build left over from before an edit, would change
figures without anyone changing a rule.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import native

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

#: every corpus with gold, and the sample page: what the rules were written and judged on
CORPORA = [ROOT / "data" / "bulletins"] + sorted(
    p for p in (ROOT / "tests" / "fixtures").glob("genre*") if p.is_dir())


def _build_native():
    spec = importlib.util.spec_from_file_location("build_native", ROOT / "scripts" / "build_native.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _extract(files: list[Path], pure: bool) -> bytes:
    env = dict(os.environ, PINGAN_PURE_PYTHON="1" if pure else "0")
    done = subprocess.run([PY, "-m", "etl", "extract", *map(str, files), "--format", "jsonl"],
                          cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert b"extraction failed" not in done.stderr, done.stderr.decode()[-2000:]
    return done.stdout


def test_setup_built_the_extractor_and_it_is_in_use():
    # the README's test command runs setup, which builds .native/; without it extraction
    # still works, but some 1.2x slower than docs/BENCHMARKS.md says
    assert native.STATUS.startswith("compiled"), (
        f"the compiled extractor is not in use: {native.STATUS} "
        "(run bash scripts/setup.sh, or .venv/bin/python scripts/build_native.py)")
    from etl import extract, places
    assert native.in_use()
    assert Path(places.__file__).suffix == ".so" and ".native" in Path(places.__file__).parts
    assert extract.EXTRACTOR_VERSION  # a compiled module still exposes its names


@pytest.mark.skipif(not native.STATUS.startswith("compiled"), reason="no current build")
def test_compiled_and_source_extract_byte_for_byte_the_same():
    files = [f for d in CORPORA for f in sorted(d.glob("*.txt"))]
    assert len(files) > 300
    compiled, source = _extract(files, pure=False), _extract(files, pure=True)
    assert compiled.count(b"\n") > 4000
    assert compiled == source


def test_pure_python_switch_turns_the_build_off():
    code = "import etl.native as n, etl.extract; print(n.STATUS); print(n.in_use())"
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PINGAN_PURE_PYTHON="1")).stdout.split("\n")
    assert out[0] == "off (PINGAN_PURE_PYTHON)" and out[1] == "False"


@pytest.mark.skipif(not native.STATUS.startswith("compiled"), reason="no current build")
def test_an_edited_source_never_runs_from_the_old_build(tmp_path):
    # a copy of the project's etl/ and build: current, then one rule file edited
    shutil.copytree(ROOT / "etl", tmp_path / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / native.NATIVE_DIR, tmp_path / native.NATIVE_DIR)
    built, why = native.check(tmp_path)
    assert built is not None and why.startswith("compiled")
    with open(tmp_path / "etl" / "places.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    built, why = native.check(tmp_path)
    assert built is None and why == "stale: etl/places.py changed since the build"
    # ... and such a tree imports its etl from the source, all of it
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import etl, etl.extract, etl.places;"
            "print(etl.native.STATUS); print(etl.places.__file__)")
    out = subprocess.run([PY, "-c", code, str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, env={k: v for k, v in os.environ.items() if k != "PINGAN_PURE_PYTHON"})
    status, where = out.stdout.split("\n")[:2]
    assert status.startswith("stale: etl/places.py"), out.stderr
    assert where == str(tmp_path / "etl" / "places.py")


@pytest.mark.skipif(not native.STATUS.startswith("compiled"), reason="no current build")
def test_the_manifest_names_each_module_and_its_source_hash():
    built = json.loads((ROOT / native.NATIVE_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert set(built["sources"]) == set(native.NATIVE_MODULES)
    assert built["sources"] == native.source_hashes(ROOT)


def test_the_compiled_copy_declares_every_name_any():
    src = '''from __future__ import annotations
from dataclasses import dataclass


@dataclass
class Figure:
    size: int = 0


def grow(box: Figure, other: Box, by: float = 1.0) -> float:
    """doc"""
    total: float = 0
    n = 0
    for k in range(3):
        n += k
    if (half := by / 2) > 0:
        total = half
    box.size = n
    return total
'''
    out = _build_native().untyped_source(src)
    ns: dict = {}
    exec(compile(out, "<untyped>", "exec"), ns)  # still a valid module
    assert ns["grow"](ns["Figure"](), None, 3.0) == 1.5
    assert "from typing import Any" in out
    assert "size: Any = 0" in out  # a field
    # a parameter of one of the compiled modules' own classes keeps its class
    assert "def grow(box: Figure, other: Any, by: Any=1.0) -> Any:" in out
    for name in ("total", "n", "k", "half"):
        assert f"    {name}: Any\n" in out  # each local declared Any, after the docstring
    assert "total: float" not in out


def test_the_build_refuses_a_nonlocal():
    src = "def f():\n    x = None\n    def g():\n        nonlocal x\n        x = 1\n    g()\n    return x\n"
    with pytest.raises(ValueError, match="nonlocal x"):
        _build_native().untyped_source(src)
