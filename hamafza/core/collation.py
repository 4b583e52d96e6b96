"""Persian order in the database: one collation, ``fa_ir``, on both databases.

PostgreSQL gets it from ICU (migration core 0008); SQLite gets it on every new connection
from the pure-Python key in ``hamafza.persian.collation``. Lists people read order by
``persian_order("name")`` instead of ``"name"``, which sorts by code point.
"""

from django.db.backends.signals import connection_created
from django.db.models import F, OrderBy
from django.db.models.functions import Collate

from hamafza.persian.collation import compare

COLLATION = "fa_ir"


def persian_order(field: str, *, descending: bool = False) -> OrderBy:
    """An ordering on ``field`` (a name or a ``related__name`` path) in Persian order,
    for ``order_by()`` and a model's ``Meta.ordering``."""
    return OrderBy(Collate(F(field), COLLATION), descending=descending)


# People are listed by family name, then first name, as an Iranian register lists them.
PERSON_ORDER = (persian_order("last_name"), persian_order("first_name"), "username")


def _register_on_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)


def _compare(a, b) -> int:
    # SQLite passes NULLs through; they sort first, as SQLite sorts NULL.
    return compare(a or "", b or "")


def register() -> None:
    connection_created.connect(_register_on_sqlite, dispatch_uid="hamafza-persian-collation")
