"""Persian editorial text engine: checker, fixer, ingester and search normaliser.

Pure Python, no Django.  Entry points:

- ``check(text)`` -> list of ``Finding`` (code, span, Persian message, suggestion, safe)
- ``fix(text)`` -> text with every safe finding applied (idempotent)
- ``ingest(text_or_html)`` -> ``Article`` (one clean article from a scraped page)
- ``normalize_for_search(text)`` -> index/query form for full-text search
"""

from hamafza.persian.text.checker import Finding, check, fix

__all__ = ["Finding", "check", "fix"]
