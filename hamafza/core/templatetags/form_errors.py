"""What the error summary of a form sent back (core/_error_summary.html) and the one field
template (core/_field.html) need."""

from django import template

register = template.Library()


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields that have an error, in the order the form shows them."""
    return [field for field in form.visible_fields() if field.errors]


@register.simple_tag(takes_context=True)
def field_errors(context, field) -> list:
    """The field's errors, or none where the page keeps them back (`show_errors` False)."""
    return [] if context.get("show_errors") is False else field.errors


@register.filter
def box_id(field) -> str:
    """The id of the box around a field, `field-<name>` (with the form's own id prefix if
    it has one, so two forms on a page keep distinct ids); none without an auto_id."""
    auto_id = field.auto_id
    return f"field-{auto_id.removeprefix('id_')}" if auto_id else ""
