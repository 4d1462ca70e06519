"""PostgreSQL full-text search: two text search configurations and the stored
documents of activities and proposals, each with its GIN index.

- ``pompidou_en`` and ``pompidou_fr`` copy PostgreSQL's ``english`` and ``french``
  configurations and, where the ``unaccent`` extension can be created, strip accents
  before stemming, so "developpement" finds "développement". Without the extension
  they are plain copies: the queries name the same configurations either way.
- An activity's or a proposal's text is written by its author in either language, so
  its document holds its words stemmed both ways. It is a stored generated column
  (``search_document``), kept by PostgreSQL on every write: ranking reads it instead
  of parsing every matching row's text again, and the GIN index serves the ``@@``.
  ``search/documents.py`` reads these columns; the columns are not model fields, so
  nothing else sees them.
- The programme's tables (a few priorities and formats) and the meetings are small:
  their documents are computed in the query, where an index would never be chosen.

SQLite (``make run``) has none of this: ``search/engine.py`` searches it with
``icontains``."""

from django.db import migrations, transaction

CONFIGURATIONS = {"pompidou_en": ("english", "english_stem"), "pompidou_fr": ("french", "french_stem")}


def vector(weight: str, *columns: str) -> str:
    text = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return " || ".join(
        f"setweight(to_tsvector('{name}'::regconfig, {text}), '{weight}')"
        for name in CONFIGURATIONS
    )


DOCUMENTS = {
    "activities_activity": [
        ("A", ("reference", "title")),
        ("B", ("description",)),
        ("C", ("expected_results", "terms_of_reference")),
    ],
    "proposals_proposal": [
        ("A", ("reference", "title")),
        ("B", ("scope", "purpose")),
        ("C", ("expected_outcome",)),
    ],
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            accents = True
        except Exception:  # not installed on this server, or not allowed to this role
            accents = False
        for name, (parser, stemmer) in CONFIGURATIONS.items():
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{parser})")
            if accents:
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {name} "
                    f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
                )
        for table, parts in DOCUMENTS.items():
            document = " || ".join(vector(weight, *columns) for weight, columns in parts)
            cursor.execute(
                f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
                f"GENERATED ALWAYS AS ({document}) STORED"
            )
            cursor.execute(
                f"CREATE INDEX {table}_search ON {table} USING gin (search_document)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in DOCUMENTS:
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
        for name in CONFIGURATIONS:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0009_document_in_french"),
        ("proposals", "0009_bureau_vote_recused"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
