"""Compile the extractor's hot modules with mypyc into .native/ (setup runs this).

Why: extraction is pure Python and CPU-bound; every rule added for unseen bulletins costs
time on every page. mypyc (part of mypy, pinned in requirements.txt) turns the same
Python source into C extension modules: no C is written by hand and the source stays the
one truth. The output is byte-for-byte the same (tests/test_native.py checks it on every
fixture corpus); only the speed differs (docs/BENCHMARKS.md).

How:
- the modules of NATIVE_MODULES are copied into a scratch tree where every name is
  declared Any (parameters, locals, fields, globals: see _Untyped). Compiled code checks
  declared and inferred types at run time; with everything Any it accepts what the
  interpreted source accepts, on pages nobody has tried too;
- mypyc compiles them as one group (calls between them become direct C calls) into
  .native/, with manifest.json recording the sha256 of each source file it was built from;
- etl.native loads the compiled modules only while every source file still has that hash,
  so an edited module never runs from a stale build: it falls back to the source.

Nothing is compiled when the build is current. Exit status 0 also when no C compiler is
available (the extractor then runs as plain Python, slower, with a warning); --strict
turns that into a failure.

    .venv/bin/python scripts/build_native.py [--force] [--strict]
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.native import NATIVE_DIR, NATIVE_MODULES, source_hashes  # noqa: E402


_ANY = "Any"


def _any() -> ast.expr:
    return ast.Name(_ANY, ast.Load())


def _bound_names(body: list[ast.stmt]) -> list[str]:
    """Names a function body binds by assignment, loop, ``with`` or walrus, in order of
    first binding; not those of nested functions, classes or comprehension loops (scopes of
    their own), nor those it declares global or nonlocal."""
    found: dict[str, None] = {}
    skip: set[str] = set()

    def targets(t):
        if isinstance(t, ast.Name):
            found.setdefault(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                targets(e)
        elif isinstance(t, ast.Starred):
            targets(t.value)

    def walk(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return
        if isinstance(node, ast.Nonlocal):
            # a local another function rebinds: mypy narrows it as if only this one could
            # (x = None, then a nested call sets it: compiled code would insist on None)
            raise ValueError(f"line {node.lineno}: nonlocal {', '.join(node.names)}: "
                             "keep such a module out of NATIVE_MODULES, or pass the value back")
        if isinstance(node, ast.Global):
            skip.update(node.names)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                targets(t)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
            targets(node.target)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    targets(item.optional_vars)
        elif isinstance(node, ast.NamedExpr):
            targets(node.target)
        for child in ast.iter_child_nodes(node):
            walk(child)

    for stmt in body:
        walk(stmt)
    return [n for n in found if n not in skip]


#: classes of the compiled modules whose instances a parameter may be declared to be:
#: the one kind of annotation kept (f: Figure), so that the compiled code reads their
#: attributes directly; each is only ever called with what it names, and a call that
#: passed anything else would fail at once, on every page, not on a rare one
OWN_CLASSES = frozenset({"Figure", "Place", "_Entry", "_Gazetteer", "ArticleContext", "Line",
                         "SentenceTriggers", "Paragraph", "Article"})


def _own_class(annotation) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value in OWN_CLASSES
    return isinstance(annotation, ast.Name) and annotation.id in OWN_CLASSES


class _Untyped(ast.NodeTransformer):
    """Makes every name the compiled code declares ``Any``: function parameters and returns
    lose their annotations, each local is declared ``Any`` at the top of its function, and
    module- and class-level annotations (dataclass and NamedTuple fields) become ``Any``.

    Why: mypyc checks declared and inferred types at run time. An annotation that is only
    documentation (a field said to hold a Place that once holds a list), or a local first
    bound to 0 and later to 0.5, or to None and later to an Article in a nested function,
    would raise TypeError on a page nobody has tried yet, where the interpreted code runs
    on. With every name Any the compiled code accepts what the source accepts; it still
    gains from calling compiled functions directly and running their loops in C.
    Properties keep their return annotation (mypyc requires one); it is made Any too."""

    def visit_FunctionDef(self, node):
        # annotated Any throughout, the function counts as typed: mypy then reads its local
        # declarations (in an unannotated function mypyc would still infer from the first
        # assignment: a local first bound to None stays None)
        node.returns = ast.Constant(None) if node.name == "__init__" else _any()
        args = node.args
        params = set()
        first = (args.posonlyargs + args.args)[:1]
        method = bool(first) and first[0].arg in ("self", "cls")
        for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None:
                if method and a is first[0]:
                    a.annotation = None
                elif not _own_class(a.annotation):
                    a.annotation = _any()
                params.add(a.arg)
        self.generic_visit(node)
        declared = [ast.AnnAssign(ast.Name(n, ast.Store()), _any(), None, 1)
                    for n in _bound_names(node.body) if n not in params]
        # after the docstring, if any
        at = 1 if (node.body and isinstance(node.body[0], ast.Expr)
                   and isinstance(node.body[0].value, ast.Constant)
                   and isinstance(node.body[0].value.value, str)) else 0
        node.body[at:at] = declared
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node):
        if isinstance(node.target, ast.Attribute):
            node.annotation = _any()  # self.x: T = v, an attribute's declaration
            return node
        # inside a function: the name is declared Any at the top; keep only the binding
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign([node.target], node.value), node)


class _SelfAttributes(ast.NodeTransformer):
    """``self.x = v`` becomes ``self.x: Any = v`` where a method first sets x: an attribute
    set in a method is typed like a local otherwise (inferred from that first value)."""

    def __init__(self):
        self.seen: set[str] = set()

    def visit_Assign(self, node):
        t = node.targets[0] if len(node.targets) == 1 else None
        if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                and t.attr not in self.seen):
            self.seen.add(t.attr)
            return ast.copy_location(ast.AnnAssign(t, _any(), node.value, 0), node)
        return node

    def visit_AnnAssign(self, node):
        t = node.target
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
            if t.attr in self.seen:  # declared before: a plain assignment now
                return ast.copy_location(ast.Assign([t], node.value), node) if node.value else None
            self.seen.add(t.attr)
            node.annotation = _any()
        return node


def _fields_any(node: ast.ClassDef) -> ast.ClassDef:
    for b in node.body:
        if isinstance(b, ast.AnnAssign):
            b.annotation = _any()
    attrs = _SelfAttributes()
    for name in (b.target.id for b in node.body
                 if isinstance(b, ast.AnnAssign) and isinstance(b.target, ast.Name)):
        attrs.seen.add(name)  # declared as a field already
    methods = [b for b in node.body if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef))]
    # __init__ first: that is where an attribute is declared
    for m in sorted(methods, key=lambda m: m.name != "__init__"):
        attrs.visit(m)
    node.body = [_Untyped().visit(b) if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef)) else b
                 for b in node.body]
    return node


def untyped_source(text: str) -> str:
    """The module's source with every declared name made Any (see _Untyped)."""
    tree = ast.parse(text)
    body = []
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            node.annotation = _any()
            body.append(node)
        elif isinstance(node, ast.ClassDef):
            body.append(_fields_any(node))
        else:
            body.append(_Untyped().visit(node))
    # ``from __future__`` must stay first; Any is imported right after it
    at = next((i + 1 for i, n in enumerate(body)
               if isinstance(n, ast.ImportFrom) and n.module == "__future__"), 0)
    body.insert(at, ast.ImportFrom("typing", [ast.alias(_ANY)], 0))
    tree.body = body
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def current(root: Path = ROOT) -> bool:
    """Is .native/ a complete build of today's sources for this interpreter?"""
    manifest = root / NATIVE_DIR / "manifest.json"
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (built.get("sources") == source_hashes(root)
            and built.get("python") == sysconfig.get_config_var("EXT_SUFFIX"))


def build(root: Path = ROOT) -> Path:
    out = root / NATIVE_DIR
    with tempfile.TemporaryDirectory(prefix="pingan-native-") as tmp:
        work = Path(tmp)
        # the whole package, so that imports between modules resolve for the type checker;
        # only NATIVE_MODULES are rewritten and compiled
        shutil.copytree(root / "etl", work / "etl", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        for name in NATIVE_MODULES:
            src = work / "etl" / f"{name}.py"
            src.write_text(untyped_source(src.read_text(encoding="utf-8")), encoding="utf-8")
        env = dict(os.environ, MYPYC_OPT_LEVEL=os.environ.get("MYPYC_OPT_LEVEL", "3"))
        cmd = [sys.executable, "-m", "mypyc", "--ignore-missing-imports", "--follow-imports=silent",
               # Optional results used unchecked (rx.match(t).end()): the interpreted code
               # raises the same AttributeError on None
               "--disable-error-code", "annotation-unchecked", "--disable-error-code", "union-attr",
               *(f"etl/{n}.py" for n in NATIVE_MODULES)]
        done = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"mypyc failed (exit {done.returncode}):\n{tail}")
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        group = [p.name for p in work.glob(f"*__mypyc{suffix}")]
        if len(group) != 1:
            raise RuntimeError(f"mypyc built {len(group)} group libraries in {work}, expected one")
        staging = root / (NATIVE_DIR + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "etl").mkdir(parents=True)
        shutil.copy2(work / group[0], staging / group[0])
        for name in NATIVE_MODULES:
            shutil.copy2(work / "etl" / f"{name}{suffix}", staging / "etl" / f"{name}{suffix}")
        manifest = {"python": suffix, "group": group[0][: -len(suffix)],
                    "sources": source_hashes(root), "mypyc_opt_level": env["MYPYC_OPT_LEVEL"]}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                               encoding="utf-8")
        # swap in whole: a reader never sees half a build
        old = root / (NATIVE_DIR + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when current")
    ap.add_argument("--strict", action="store_true", help="fail when the build cannot be made")
    ap.add_argument("--status", action="store_true", help="only say whether the build is in use, and why")
    args = ap.parse_args(argv)
    if args.status:
        from etl import native
        print(f"native: {native.check()[1]}")
        return 0
    if not args.force and current():
        print(f"native: {NATIVE_DIR}/ is current ({len(NATIVE_MODULES)} modules)")
        return 0
    try:
        out = build()
    except (RuntimeError, OSError, ValueError) as e:
        print(f"native: WARNING: the extractor will run as plain Python (slower): {e}", file=sys.stderr)
        return 1 if args.strict else 0
    print(f"native: compiled {len(NATIVE_MODULES)} modules into {out.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
