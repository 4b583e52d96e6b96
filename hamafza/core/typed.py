"""What people type into one-line fields, cleaned on the way in, whoever saves it.

Every one-line text field (a ``CharField``) of Hamafza's models loses bidi control
characters, and every name (a field called ``name`` or ``…_name``) folds ي/ك to ی/ک,
just before it is saved: forms, the API, services and commands all pass here, so no
input path can store a name that reorders a row where it is shown. Free text
(``TextField``) keeps what was typed. Forms clean the same way while they validate
(``core.forms.PersianDigitsMixin``), so what they check is what is stored.
"""

from functools import cache

from django.db import models
from django.db.models.signals import pre_save

from hamafza.persian.typed import clean_name, strip_bidi_controls


def is_name(name: str) -> bool:
    return name == "name" or name.endswith("_name")


def clean_line(name: str, value: str) -> str:
    """A one-line field's value as it is stored: a name folded, any line without bidi controls."""
    return clean_name(value) if is_name(name) else strip_bidi_controls(value)


@cache
def _line_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (field.name, field.attname)
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField) and not field.choices and field.name != "password"
    )


def _clean_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not sender.__module__.startswith("hamafza."):
        return  # fixtures load as they are; other apps' models keep their own rules
    for name, attname in _line_fields(sender):
        if update_fields is not None and name not in update_fields:
            continue
        value = getattr(instance, attname)
        if isinstance(value, str) and value:
            cleaned = clean_line(name, value)
            if cleaned != value:
                setattr(instance, attname, cleaned)


def register() -> None:
    pre_save.connect(_clean_before_save, dispatch_uid="hamafza-typed-text")
