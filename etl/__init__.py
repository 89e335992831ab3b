"""Write side of Ping'an Metrics: bulletins in, a DuckDB warehouse snapshot out.

Never imports the dashboard: the read side depends on this package, not the reverse.
"""
__version__ = "0.1.0"
