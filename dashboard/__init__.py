"""Read side of Ping'an Metrics: queries, charts, filters, i18n and briefings for the pages.

Opens warehouse snapshots read-only; never writes. May import etl.config/etl.places for
reference data, never the ETL's writers.
"""
