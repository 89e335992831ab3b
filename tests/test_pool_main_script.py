"""Pool workers never re-run the caller's main script (a Streamlit page under `streamlit run`).

Why a subprocess: the fork server is started once per process, from whatever `__main__` is
at that moment; only a fresh process shows what the Import page's ingest meets in a real
server, where `__main__` is the page being run.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    tmp = Path(sys.argv[1])
    os.environ["PINGAN_WAREHOUSE"] = str(tmp / "empty_wh")   # a page run here fails: no snapshot
    os.environ["PINGAN_ACCOUNTS"] = str(tmp / "accounts.sqlite")
    from streamlit.testing.v1 import AppTest
    AppTest.from_file(str(Path.cwd() / "pages" / "overview.py"), default_timeout=60).run()
    assert getattr(sys.modules["__main__"], "__file__", "").endswith("overview.py")  # as Streamlit leaves it
    from etl import demo
    from etl.ingest import ingest
    demo.generate(40, tmp / "corpus", seed=3, workers=2, block=10)
    rep = ingest([tmp / "corpus"], tmp / "wh", progress=False, workers=2, chunk_files=4)
    failed = [f for f in rep.files if f.outcome == "failed"]
    print("FAILED", len(failed), "ADDED", rep.figures_added)
    assert not failed and rep.figures_added > 0
    assert getattr(sys.modules["__main__"], "__file__", "").endswith("overview.py")  # put back
""")


def test_pool_ingest_and_demo_after_a_page_ran_as_main(tmp_path):
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    assert "FAILED 0" in r.stdout
