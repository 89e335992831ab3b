"""Write side of Ping'an Metrics: bulletins in, a DuckDB warehouse snapshot out.

Never imports the dashboard: the read side depends on this package, not the reverse.
"""
__version__ = "0.1.0"

# the extractor's modules compiled by scripts/build_native.py, when the build is current
# (etl.native says why not otherwise); the source is always the fallback
from etl import native as _native

try:
    _native.install()
except (ImportError, OSError) as _e:  # a broken build must never stop extraction
    _native.STATUS = f"failed to load ({_e})"
