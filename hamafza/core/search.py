"""Searching names the way they are read, not the way they were keyed.

«کرد» and «كرد» are one word to a reader; an Arabic keyboard types the second. Names are
folded on input (``core.typed``), but rows stored before that, or brought in by a command,
may still hold ي/ك: the search folds both sides, the query here and the column in SQL.
"""

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.db.models.lookups import IContains

from hamafza.persian.typed import ARABIC_TO_PERSIAN_LETTERS, clean_name


def folded(field: str):
    """The column ``field`` with ي، ى and ك read as ی and ک."""
    expression = F(field)
    for arabic, persian in ARABIC_TO_PERSIAN_LETTERS.items():
        expression = Replace(expression, Value(arabic), Value(persian))
    return expression


def name_contains(field: str, text: str) -> Q:
    """Rows whose ``field`` contains ``text``, whichever ي/ك either side was written with."""
    return Q(IContains(folded(field), clean_name(text)))


def name_contains_any(fields: tuple[str, ...], text: str) -> Q:
    query = Q()
    for field in fields:
        query |= name_contains(field, text)
    return query
