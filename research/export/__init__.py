"""Anonymised record-level exports for the research bureau (the engine).

catalogue.py  what may be requested; rules.py  generalisation as data; kanon.py  k-anonymity and
the risk report in PostgreSQL; pseudonyms.py  per-study keyed pseudonyms; writers.py  CSV, XLSX,
SPSS .sav and Parquet in a ZIP with codebook and manifest; engine.py  ties them together.
"""
