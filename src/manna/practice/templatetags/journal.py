"""`{{ user|journal_owner }}`: the mark the journal's unsent drafts are kept under."""

from django import template

from manna.practice.selectors import journal_owner as owner_of

register = template.Library()


@register.filter
def journal_owner(user) -> str:
    return owner_of(user) if user.is_authenticated else ""
