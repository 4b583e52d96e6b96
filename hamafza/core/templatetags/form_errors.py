"""What the error summary of a form sent back needs (core/_error_summary.html)."""

from django import template

register = template.Library()


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields that have an error, in the order the form shows them."""
    return [field for field in form.visible_fields() if field.errors]
