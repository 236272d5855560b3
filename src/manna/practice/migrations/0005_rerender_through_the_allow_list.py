"""Journal entries rendered before Markdown read them with raw HTML off are rendered
again (their words are unchanged; only the HTML made from them)."""

from django.conf import settings
from django.db import migrations


def rerender(apps, schema_editor):
    from manna.markup import render_reply
    from manna.scripture import ScriptureError, open_store, parse_osis

    JournalEntry = apps.get_model("practice", "JournalEntry")
    if not JournalEntry.objects.exists():
        return
    try:
        store = open_store()
    except ScriptureError as err:
        raise RuntimeError(
            f"{err}. Journal entries are rendered again by this migration: build the store "
            "(manna import-bible --all), then migrate again."
        ) from None
    for entry in JournalEntry.objects.select_related("devotion"):
        try:
            context = parse_osis(entry.passage) if entry.passage else None
        except ScriptureError:
            context = None
        translation = entry.devotion.translation if entry.devotion else settings.MANNA_TRANSLATION
        entry.body_html = render_reply(
            entry.body, store=store, translation=translation, context=context
        ).html
        entry.save(update_fields=["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0004_session_reading_as_long_as_a_plan_reading"),
        ("devotions", "0003_rerender_through_the_allow_list"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
