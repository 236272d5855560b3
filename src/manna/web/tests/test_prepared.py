"""Prepared reads: the queryset's own instances, compiled once, whatever the database."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.models import Count, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from manna.accounts.services import account_create
from manna.community.models import Like, Reply
from manna.devotions.models import Devotion
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.web.prepared import Prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(site_store):
    """A devotion with two replies by two people, one liked by both."""
    devotion = devotion_save_text(text=devotion_text(date="2025-01-06"), store=site_store).devotion
    ann = account_create(email="ann@example.org", password="a long passphrase", display_name="Ann")
    bob = account_create(email="bob@example.org", password="a long passphrase", display_name="Bob")
    first = Reply.objects.create(
        devotion=devotion, author=ann, body="First.", status="approved", submission_key="k1"
    )
    Reply.objects.create(
        devotion=devotion, author=bob, body="Second.", status="approved", submission_key="k2"
    )
    Like.objects.create(user=ann, reply=first)
    Like.objects.create(user=bob, reply=first)
    return devotion, ann, bob


def _replies(devotion_id, viewer_id):
    return (
        Reply.objects.select_related("author__profile")
        .filter(devotion_id=devotion_id, status="approved")
        .annotate(likes=Count("like"), mine=Count("like", filter=Q(like__user_id=viewer_id)))
        .order_by("pk")
    )


def _seen(replies):
    return [
        (r.pk, r.body, r.created, r.author.profile.display_name, r.likes, r.mine) for r in replies
    ]


def test_a_prepared_read_gives_what_the_queryset_gives(thread):
    devotion, ann, bob = thread
    read = Prepared(Reply, _replies)
    for viewer in (ann, bob):
        ours = read(devotion_id=devotion.pk, viewer_id=viewer.pk)
        assert _seen(ours) == _seen(_replies(devotion.pk, viewer.pk))
    assert [(r.body, r.likes, r.mine) for r in ours] == [("First.", 2, 1), ("Second.", 0, 0)]
    assert isinstance(ours[0].created, dt.datetime) and timezone.is_aware(ours[0].created)
    with CaptureQueriesContext(connection) as queries:
        assert ours[0].author.profile.display_name == "Ann"  # joined, not read again
    assert queries.captured_queries == []


def test_it_compiles_once_and_then_runs_one_query(thread, monkeypatch):
    devotion, ann, _ = thread
    read = Prepared(Reply, _replies)
    read(devotion_id=devotion.pk, viewer_id=ann.pk)

    def refused(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(SQLCompiler, "as_sql", refused)
    with CaptureQueriesContext(connection) as queries:
        assert len(read(devotion_id=devotion.pk, viewer_id=ann.pk)) == 2
    assert len(queries.captured_queries) == 1


def test_unwatched_it_gives_the_same_rows_past_djangos_cursor(thread, monkeypatch):
    """On SQLite, with nothing counting queries, the SQL runs on the connection itself in
    sqlite3's style (Django's cursor would rewrite it on each call): the same answer."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's path")
    devotion, ann, _ = thread
    read = Prepared(Reply, _replies)
    with CaptureQueriesContext(connection):
        watched = _seen(read(devotion_id=devotion.pk, viewer_id=ann.pk))

    def refused(*args, **kwargs):
        raise AssertionError("went through Django's cursor")

    monkeypatch.setattr(SQLiteCursorWrapper, "convert_query", refused)
    assert _seen(read(devotion_id=devotion.pk, viewer_id=ann.pk)) == watched
    assert [likes for *_, likes, _ in watched] == [2, 0]


def test_deferred_columns_stay_deferred(thread):
    devotion, *_ = thread
    read = Prepared(
        Devotion, lambda slug: Devotion.objects.defer("body_html").filter(slug=slug)[:1]
    )
    (found,) = read(slug=devotion.slug)
    assert found.get_deferred_fields() == {"body_html"}
    assert found.title == devotion.title


def test_dates_and_datetimes_are_compared_as_the_database_keeps_them(thread):
    devotion, ann, _ = thread
    visible = Prepared(
        Devotion,
        lambda slug, today: Devotion.objects.filter(slug=slug, date__lte=today).order_by("pk"),
    )
    assert visible(slug=devotion.slug, today=dt.date(2025, 1, 6)) == [devotion]
    assert visible(slug=devotion.slug, today=dt.date(2025, 1, 5)) == []
    joined = Prepared(User, lambda since: User.objects.filter(date_joined__gt=since).order_by("pk"))
    assert joined(since=ann.date_joined - dt.timedelta(seconds=1))[0] == ann
    assert joined(since=timezone.now() + dt.timedelta(minutes=1)) == []


def test_a_value_of_another_type_runs_the_queryset_the_ordinary_way(thread):
    devotion, *_ = thread
    read = Prepared(Devotion, lambda series: Devotion.objects.filter(series=series).order_by("pk"))
    assert read(series=None) == [devotion]  # None: no stand-in, the queryset runs as usual


def test_a_value_a_lookup_rewrites_is_refused_with_the_reason(thread):
    read = Prepared(Devotion, lambda title: Devotion.objects.filter(title__icontains=title))
    with pytest.raises(ValueError, match=r"changes the value of 'title'.*contains or iexact"):
        read(title="glory")


def test_a_query_whose_shape_follows_its_values_is_refused():
    read = Prepared(
        Devotion,
        lambda pk: Devotion.objects.filter(pk=pk) if pk % 2 else Devotion.objects.filter(slug="x"),
    )
    with pytest.raises(ValueError, match="shape changes with its values"):
        read(pk=1)


def test_a_written_number_equal_to_a_stand_in_stays_written(thread):
    """Places are found by comparing two compilations: a constant in the query never is one."""
    devotion, *_ = thread
    from manna.web.prepared import _stand_in

    clash = _stand_in(int, 0, 1)  # the first keyword's number in the first compilation
    read = Prepared(
        Devotion, lambda pk: Devotion.objects.filter(pk=pk).exclude(walk_words=clash).order_by("pk")
    )
    assert read(pk=devotion.pk) == [devotion]


def test_a_read_giving_another_model_than_declared_is_refused():
    read = Prepared(User, lambda pk: Devotion.objects.filter(pk=pk))
    with pytest.raises(ValueError, match="gives Devotion, not the User it was declared with"):
        read(pk=1)


def test_values_querysets_are_refused():
    read = Prepared(Devotion, lambda pk: Devotion.objects.filter(pk=pk).values("title"))
    with pytest.raises(ValueError, match="model instances: no values"):
        read(pk=1)
