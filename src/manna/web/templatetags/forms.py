"""`{% csrf_token %}` as Django writes it, made cheaper: Django's tag runs format_html over
the request's lazy token at every form (a session page has several, and they took about 5%
of its time under load); this one writes the same input with a plain escape. Loaded as a
builtin (settings.TEMPLATES), so it replaces Django's tag in every template."""

from __future__ import annotations

import html

from django.template import Library, Node
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import csrf_token as django_csrf_token
from django.utils.safestring import SafeString, mark_safe

register = Library()


class CsrfInputNode(Node):
    """Django's CsrfTokenNode, written without format_html."""

    def __init__(self, django_node: Node) -> None:
        self.django_node = django_node  # its warning when a view gives no token, in DEBUG

    def render(self, context: Context) -> SafeString | str:
        token = context.get("csrf_token")
        if token == "NOTPROVIDED":  # noqa: S105 - Django's marker for "no token here", no secret
            return ""
        if not token:
            return self.django_node.render(context)  # none given: Django's warning in DEBUG
        return csrf_input(str(token))


def csrf_input(token: str) -> SafeString:
    """The hidden input Django's `{% csrf_token %}` writes, for this token."""
    value = html.escape(token)
    return mark_safe(f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">')  # noqa: S308 - escaped


@register.tag
def csrf_token(parser: Parser, token: Token) -> Node:
    return CsrfInputNode(django_csrf_token(parser, token))
