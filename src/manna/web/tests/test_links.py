"""`{% url %}`, `{% static %}` and `{% csrf_token %}`: cheaper, and the same as Django's own."""

import pytest
from django.template import Context, Engine, Template
from django.test import RequestFactory
from django.urls import clear_script_prefix, set_script_prefix

from manna.web.templatetags.links import WrittenStaticNode, WrittenURLNode


def _node(source: str):
    template = Template(source)  # the project's engine: the builtin is loaded
    return template, template.nodelist[0]


def test_a_written_link_is_reversed_once_and_kept():
    template, node = _node("{% url 'app_icon' 192 'any' %}")
    assert isinstance(node, WrittenURLNode)
    assert template.render(Context()) == "/icons/192-any.png"
    node.kept[next(iter(node.kept))] = "/kept"
    assert template.render(Context()) == "/kept"  # not reversed again


def test_a_link_with_a_variable_is_reversed_on_each_render():
    template, node = _node("{% url 'devotion' slug %}")
    assert not isinstance(node, WrittenURLNode)
    assert template.render(Context({"slug": "a"})) == "/devotions/a/"
    assert template.render(Context({"slug": "b"})) == "/devotions/b/"


def test_filters_and_as_var_keep_djangos_own_tag():
    _, filtered = _node("{% url 'devotion' 'a'|upper %}")
    _, kept_as = _node("{% url 'home' as here %}")
    assert not isinstance(filtered, WrittenURLNode)
    assert not isinstance(kept_as, WrittenURLNode)


def test_each_script_prefix_gets_its_own_link():
    template, _ = _node("{% url 'home' %}")
    try:
        set_script_prefix("/manna/")
        assert template.render(Context()) == "/manna/"
    finally:
        clear_script_prefix()
    assert template.render(Context()) == "/"


def test_the_links_equal_djangos_own_rendering():
    source = "{% url 'home' %} {% url 'signin' %}?next=x {% url 'app_icon' 512 'maskable' %}"
    request = RequestFactory().get("/")
    ours = Template(source).render(Context({"request": request}))
    django_own = Engine(builtins=[]).from_string(source).render(Context({"request": request}))
    assert ours == django_own == "/ /account/signin/?next=x /icons/512-maskable.png"


def test_a_written_static_file_is_looked_up_once_for_its_storage(settings):
    template, node = _node("{% static 'manna/site.css' %}")
    assert isinstance(node, WrittenStaticNode)
    assert template.render(Context()) == "/static/manna/site.css"
    node.kept[True] = "/kept.css"
    assert template.render(Context()) == "/kept.css"
    settings.STATIC_URL = "/elsewhere/"  # Django makes a new storage: looked up again
    assert template.render(Context()) == "/elsewhere/manna/site.css"


def test_a_static_file_named_by_a_variable_is_looked_up_each_time():
    template, node = _node("{% static name %}")
    assert not isinstance(node, WrittenStaticNode)
    assert template.render(Context({"name": "a.css"})) == "/static/a.css"
    assert template.render(Context({"name": "b.css"})) == "/static/b.css"


@pytest.mark.parametrize("token", ["aB3dEf9", 'odd"<&>', "NOTPROVIDED", "", None])
def test_the_csrf_input_is_the_one_django_writes(token):
    from manna.web.templatetags.forms import CsrfInputNode

    template, node = _node("{% csrf_token %}")
    assert isinstance(node, CsrfInputNode)
    values = {} if token is None else {"csrf_token": token}
    django_own = Engine(builtins=[]).from_string("{% csrf_token %}")
    assert template.render(Context(values)) == django_own.render(Context(values))
