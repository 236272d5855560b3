"""On PostgreSQL, the document devotion search matches and ranks: a stored generated
column (the title, the passage and the text, weighted A, B and C, in English stems) and its
GIN index. The model does not name the column (SQLite has none: its search reads the text
columns); devotions.selectors reads it by name."""

from django.db import migrations

COLUMN, INDEX, CONFIG = "search_document", "devotions_search_document", "english"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        ALTER TABLE devotions_devotion ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')
            || setweight(to_tsvector('{CONFIG}', coalesce(passage, '')), 'B')
            || setweight(to_tsvector('{CONFIG}', coalesce(plain_text, '')), 'C')
        ) STORED
        """
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON devotions_devotion USING gin ({COLUMN})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE devotions_devotion DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("devotions", "0006_slots")]

    operations = [migrations.RunPython(create, drop)]
