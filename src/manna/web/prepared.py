"""Reads whose SQL Django builds once per process, then runs with each call's values.

Django compiles a queryset's SQL afresh every time it runs. For the reads every page makes
that costs more than the database does: the reply thread under a devotion took 1.8 ms to
compile on this machine, and SQLite answered it in 0.03 ms. A hot read is declared once as
a `Prepared`, its queryset written with the ORM as everywhere else:

    person = Prepared(User, lambda pk: User.objects.select_related("profile").filter(pk=pk)[:1])
    person(pk=7)  ->  [<User: ...>], the same instances the queryset gives

The first call compiles the queryset twice, with two sets of stand-in values, and finds each
value's places where the two differ as the stand-ins do; each call then runs that SQL with
its own values in those places and builds the model instances as Django's ModelIterable
does (select_related, deferred columns and annotations included). Django 5.2's compiler
is read for this (pyproject pins it); the tests hold every read to the queryset's answer.

A value may be an int, a str, a date or an aware datetime that the query compares as it is
(exact, lt, lte, gt, gte). What decides the query's shape (signed in or not, a moderator or
not) picks between Prepared reads instead. A value of another type runs the queryset the
ordinary way, so a call is never wrong, only slower; a value a lookup rewrites (contains,
iexact), or a query whose shape follows its values, is refused when first compiled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)


def _same(connection: Any, value: Any) -> Any:
    return value


# How a value of each type reaches the database.
def _date(connection: Any, value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _datetime(connection: Any, value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


_ADAPT: dict[type, Callable[[Any, Any], Any]] = {
    int: _same,
    str: _same,
    dt.date: _date,
    dt.datetime: _datetime,
}


def _stand_in(kind: type, n: int, base: int) -> Any:
    """The nth keyword's stand-in in set `base` (1 or 2): the query is compiled with each
    set, and a value's places are where both sets show. A number stays inside every
    integer column's range (Django turns a lookup outside it into "no rows" before any SQL
    is written)."""
    step = base * 97 + n
    if kind is int:
        return 20_011 + base * 977 + n
    if kind is str:
        return f"\x00stand-in {base}.{n}\x00"
    if kind is dt.date:
        return dt.date(2, 3, 1) + dt.timedelta(days=step)
    return dt.datetime(2, 3, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=step)


@dataclass(frozen=True, slots=True)
class _Compiled:
    alias: str
    sql: str
    qmark_sql: str | None  # SQLite's form of sql, written once (Django rewrites it each time)
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, keyword)
    init_list: list[str]
    model_columns: slice
    related_populators: list[Any]
    converters: list[tuple[int, tuple[list[Any], Any]]]
    annotations: tuple[tuple[str, int], ...]


class Prepared(Generic[M]):
    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self.model = model  # what the queryset gives (checked when it is compiled)
        self.build = build
        # by database vendor and the keywords' names and types (a read called with or
        # without a viewer is two queries)
        self._compiled: dict[tuple[str, tuple[tuple[str, type], ...]], _Compiled] = {}

    def __call__(self, **values: Any) -> list[M]:
        types = tuple(sorted((name, type(value)) for name, value in values.items()))
        if any(kind not in _ADAPT for _, kind in types):
            return list(self.build(**values))
        key = (connections["default"].vendor, types)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(types)
        return self._run(compiled, values)

    def _compile(self, types: tuple[tuple[str, type], ...]) -> _Compiled:
        first, second = (
            {name: _stand_in(kind, n, base) for n, (name, kind) in enumerate(types)}
            for base in (1, 2)
        )
        queryset, compiler, sql, params = self._sql(first)
        _, _, other_sql, other_params = self._sql(second)
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError("Prepared read: the query's shape changes with its values.")
        connection = connections[queryset.db]
        slots = []
        for name, kind in types:
            places = (_ADAPT[kind](connection, first[name]), _ADAPT[kind](connection, second[name]))
            found = [
                i for i, pair in enumerate(zip(params, other_params, strict=True)) if pair == places
            ]
            if not found:
                raise ValueError(
                    f"Prepared read: the query changes the value of {name!r} on its way to "
                    "the database (a lookup such as contains or iexact); compare it as it is, "
                    "or read it with the queryset."
                )
            slots += [(i, name) for i in found]
        klass_info = compiler.klass_info
        columns = klass_info["select_fields"]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return _Compiled(
            alias=queryset.db,
            sql=sql,
            qmark_sql=_qmark(sql) if connection.vendor == "sqlite" else None,
            params=tuple(params),
            slots=tuple(slots),
            init_list=[c[0].target.attname for c in compiler.select[columns[0] : columns[-1] + 1]],
            model_columns=slice(columns[0], columns[-1] + 1),
            related_populators=get_related_populators(klass_info, compiler.select, queryset.db),
            converters=list(compiler.get_converters(fields).items()),
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    def _sql(self, values: dict[str, Any]) -> tuple[QuerySet[M], Any, str, tuple[Any, ...]]:
        queryset = self.build(**values)
        if queryset.model is not self.model:
            raise ValueError(
                f"This read gives {queryset.model.__name__}, "
                f"not the {self.model.__name__} it was declared with."
            )
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._known_related_objects
            or queryset._prefetch_related_lookups
        ):
            raise ValueError(
                "A prepared read gives model instances: no values(), no prefetch_related, "
                "no related manager's queryset."
            )
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
        return queryset, compiler, sql, tuple(params)

    def _run(self, compiled: _Compiled, values: dict[str, Any]) -> list[M]:
        connection = connections[compiled.alias]
        params = list(compiled.params)
        for position, name in compiled.slots:
            value = values[name]
            params[position] = _ADAPT[type(value)](connection, value)
        found = []
        for fetched in _fetch(connection, compiled, params):
            row = list(fetched)
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            instance = self.model.from_db(
                compiled.alias, compiled.init_list, row[compiled.model_columns]
            )
            for populator in compiled.related_populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def _qmark(sql: str) -> str:
    """The SQL in sqlite3's style, as Django's SQLite cursor writes it on every execute."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _fetch(connection: Any, compiled: _Compiled, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows. On SQLite the query already in sqlite3's style runs on the connection
    itself, past Django's cursor wrappers (rewriting the SQL and wrapping each call took
    about 6% of a signed-in devotion page under load, by py-spy), unless something watches
    the queries (a test counting them, DEBUG's log, an execute wrapper): then it goes
    Django's way, seen like any other."""
    watched = connection.queries_logged or connection.execute_wrappers
    if compiled.qmark_sql is None or watched:
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return list(cursor.fetchall())
    if connection.connection is None:
        connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        return list(connection.connection.execute(compiled.qmark_sql, params).fetchall())
