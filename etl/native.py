"""Loads the extractor's modules compiled by scripts/build_native.py, when they are current.

Why: the compiled modules run the same source about a sixth faster (docs/BENCHMARKS.md),
but a build is only worth using while it is a build of *today's* source. The build
records the sha256 of each source file; when any of them differs (someone edited a rule
and has not run setup again), none of the compiled modules is used: they call each other
directly, so half a build would mix old and new code. The extractor then runs from the
source, as it always can.

PINGAN_PURE_PYTHON=1 turns the compiled modules off (tests compare both).
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from pathlib import Path

#: the modules on the extraction path, compiled together (the others stay interpreted)
#: (scripts/build_native.py refuses ``nonlocal`` in these: compiled code cannot follow a
#: local that a nested function rebinds)
NATIVE_MODULES = ("numbers", "segment", "figures", "places", "place_of", "metric_of",
                  "field_of", "period_of", "initiative_of", "incidental", "extract")

#: where the build lives, relative to the project's root (ignored by git)
NATIVE_DIR = ".native"

ROOT = Path(__file__).resolve().parent.parent

#: why the compiled modules are or are not in use (scripts/build_native.py --status prints it)
STATUS = "not checked"


def source_hashes(root: Path = ROOT) -> dict[str, str]:
    return {name: hashlib.sha256((root / "etl" / f"{name}.py").read_bytes()).hexdigest()
            for name in NATIVE_MODULES}


class _Finder(importlib.abc.MetaPathFinder):
    """Finds etl.<module> in the build instead of the source, for NATIVE_MODULES only."""

    def __init__(self, folder: Path, suffix: str):
        self.folder, self.suffix = folder, suffix

    def find_spec(self, fullname, path=None, target=None):
        pkg, _, name = fullname.rpartition(".")
        if pkg != "etl" or name not in NATIVE_MODULES:
            return None
        so = self.folder / "etl" / f"{name}{self.suffix}"
        return importlib.util.spec_from_file_location(
            fullname, so, loader=importlib.machinery.ExtensionFileLoader(fullname, str(so)))


def check(root: Path = ROOT) -> tuple[dict | None, str]:
    """(the build's manifest, or None when it must not be used; why)."""
    if os.environ.get("PINGAN_PURE_PYTHON", "") not in ("", "0"):
        return None, "off (PINGAN_PURE_PYTHON)"
    folder = root / NATIVE_DIR
    try:
        built = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "no build (run scripts/setup.sh or scripts/build_native.py)"
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    if built.get("python") != suffix:
        return None, f"built for another interpreter ({built.get('python')})"
    try:
        hashes = source_hashes(root)
    except OSError as e:
        return None, f"source unreadable ({e})"
    stale = [n for n, h in hashes.items() if built.get("sources", {}).get(n) != h]
    if stale:
        return None, "stale: " + ", ".join(f"etl/{n}.py" for n in stale) + " changed since the build"
    group = built.get("group", "")
    if not group or not (folder / f"{group}{suffix}").is_file() or not all(
            (folder / "etl" / f"{n}{suffix}").is_file() for n in NATIVE_MODULES):
        return None, "incomplete build"
    return built, f"compiled ({len(NATIVE_MODULES)} modules, {NATIVE_DIR}/)"


def install(root: Path = ROOT) -> bool:
    """Put the compiled modules in front of the source when the build is current."""
    global STATUS
    built, STATUS = check(root)
    if built is None:
        return False
    folder, suffix, group = root / NATIVE_DIR, built["python"], built["group"]
    if group not in sys.modules:
        # the shared library the compiled modules import by its own top-level name
        lib = folder / f"{group}{suffix}"
        spec = importlib.util.spec_from_file_location(
            group, lib, loader=importlib.machinery.ExtensionFileLoader(group, str(lib)))
        module = importlib.util.module_from_spec(spec)
        sys.modules[group] = module
        spec.loader.exec_module(module)
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(folder, suffix))
    return True


def in_use() -> bool:
    """Are the extractor's modules, as imported, the compiled ones?"""
    mod = sys.modules.get("etl.extract")
    return bool(mod and str(getattr(mod, "__file__", "")).endswith(sysconfig.get_config_var("EXT_SUFFIX")))
