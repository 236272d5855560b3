"""`{% url %}` and `{% static %}` as Django writes them, with one difference: a link whose
parts are all written in the template (`{% url 'home' %}`, `{% url 'app_icon' 192 'any' %}`,
`{% static 'manna/site.css' %}`) is worked out once per process. base.html alone has twenty-five
such links on every page, and each cost about 20 microseconds a page. Loaded as a builtin
(settings.TEMPLATES), so templates use both tags without `{% load static %}`, and Django's
`url` is replaced in every template; a link with a variable in it is worked out on each render,
as before."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.template import Library
from django.template.base import FilterExpression, Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf

register = Library()


def _written(expression: FilterExpression) -> bool:
    """Whether the value is written in the template: a quoted string or a number."""
    if expression.filters:
        return False
    return not expression.is_var or expression.var.lookups is None


class WrittenURLNode(URLNode):
    """A URLNode whose every part is written in the template: reversed once for each script
    prefix, URLconf, application namespace and escaping, then kept on the node."""

    def __init__(self, node: URLNode) -> None:
        super().__init__(node.view_name, node.args, node.kwargs, node.asvar)
        self.kept: dict[tuple[Any, ...], str] = {}

    def render(self, context: Context) -> str:
        key = (where_links_point(context), context.autoescape)
        url = self.kept.get(key)
        if url is None:
            url = self.kept[key] = super().render(context)
        return url


def where_links_point(context: Context) -> tuple[Any, ...]:
    """The script prefix, URLconf and namespace links are reversed in: the same for a whole
    template, so read once per template rendered (its render context), not once per link."""
    where = context.render_context.get(_WHERE)
    if where is None:
        where = context.render_context[_WHERE] = (
            get_script_prefix(),
            get_urlconf(),
            _current_app(context),
        )
    return where


_WHERE = object()  # the render context's key for where_links_point


def _current_app(context: Context) -> str | None:
    """The namespace Django's tag reverses in (the same lookups as URLNode.render)."""
    request = getattr(context, "request", None)
    current = getattr(request, "current_app", None)
    if current is None:
        current = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    node = django_url(parser, token)
    parts = [node.view_name, *node.args, *node.kwargs.values()]
    if node.asvar is None and all(_written(part) for part in parts):
        return WrittenURLNode(node)
    return node


class WrittenStaticNode(StaticNode):
    """A static file's address, kept for the static files storage it came from (settings
    that change the storage, as tests do, make a new one)."""

    def __init__(self, node: StaticNode) -> None:
        super().__init__(node.varname, node.path)
        self.kept: dict[bool, str] = {}
        self.kept_for: object = None

    def render(self, context: Context) -> str:
        storage = storages["staticfiles"]
        if self.kept_for is not storage:
            self.kept, self.kept_for = {}, storage
        url = self.kept.get(context.autoescape)
        if url is None:
            url = self.kept[context.autoescape] = super().render(context)
        return url


@register.tag
def static(parser: Parser, token: Token) -> StaticNode:
    node = StaticNode.handle_token(parser, token)
    if node.varname is None and _written(node.path):
        return WrittenStaticNode(node)
    return node
