"""Model-level validation every service runs before it saves, whatever the caller (a
form, the API, a command): field types, lengths, ranges, URL schemes and characters that
no text should hold."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def validate_fields(instance: models.Model, fields: list[str] | None = None) -> None:
    """Run the model's field validators (max_length, integer ranges, http(s)-only URLs …)
    and refuse NUL characters, which PostgreSQL cannot store. Relations and uniqueness are
    left to the service and the database."""
    concrete = [
        f for f in instance._meta.concrete_fields if not f.is_relation and not f.primary_key
    ]
    names = [f.name for f in concrete if fields is None or f.name in fields]
    exclude = [f.name for f in instance._meta.fields if f.name not in names]
    errors: dict[str, list[str]] = {}
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str) and "\x00" in value:
            errors.setdefault(name, []).append(_("این متن نویسه‌ای نامعتبر دارد."))
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


class StateConflict(ValidationError):
    """The object is not in a state that allows this (a post not waiting for review, a
    send whose outcome is known): the pages show it as any refusal, the API answers 409."""
