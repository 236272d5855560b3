"""Replies rendered before Markdown read them with raw HTML off are rendered again (an
escaped backtick let allow-listed markup through: off-site links posing as references)."""

from django.db import migrations


def rerender(apps, schema_editor):
    from manna.markup import render_reply
    from manna.scripture import ScriptureError, open_store, parse_osis

    Reply = apps.get_model("community", "Reply")
    if not Reply.objects.exists():
        return
    try:
        store = open_store()
    except ScriptureError as err:
        raise RuntimeError(
            f"{err}. Replies are rendered again by this migration: build the store "
            "(manna import-bible --all), then migrate again."
        ) from None
    for reply in Reply.objects.select_related("devotion"):
        devotion = reply.devotion
        reply.body_html = render_reply(
            reply.body,
            store=store,
            translation=devotion.translation,
            context=parse_osis(devotion.passage_osis),
        ).html
        reply.save(update_fields=["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("devotions", "0003_rerender_through_the_allow_list"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
