"""Search in Spanish: Spanish revisions are indexed with PostgreSQL's Spanish stemmer, accents ignored
(``cytokines_spanish``: the ``spanish`` configuration with ``unaccent`` before the stemmer, so "interleucina"
and "interleucína", "aldesleukina" and "aldesleukína" are the same word). A translated fact sheet's document
also holds its English source's names (``content.source_names``): a brand or generic name typed in either
language finds it. English revisions keep the English configuration. Revisions are permanent records:
documents already made stay as they were (every revision made before this was English)."""

from django.db import migrations

CONFIG = """
    CREATE EXTENSION IF NOT EXISTS unaccent;
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cytokines_spanish') THEN
            CREATE TEXT SEARCH CONFIGURATION cytokines_spanish (COPY = pg_catalog.spanish);
            ALTER TEXT SEARCH CONFIGURATION cytokines_spanish
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$;
"""

ARTICLE = """
    CREATE OR REPLACE FUNCTION cytokines_articlerevision_search_document() RETURNS trigger AS $$
    DECLARE cfg regconfig := CASE WHEN NEW.language = 'es' THEN 'cytokines_spanish' ELSE 'english' END;
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector(cfg, COALESCE(NEW.title, '')), 'A') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.summary, '')), 'B') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.content->>'body', '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
"""

AGENT = """
    CREATE OR REPLACE FUNCTION cytokines_agentrevision_search_document() RETURNS trigger AS $$
    DECLARE cfg regconfig := CASE WHEN NEW.language = 'es' THEN 'cytokines_spanish' ELSE 'english' END;
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector(cfg, COALESCE(NEW.name, '')), 'A') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.nonproprietary_name, '')), 'A') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.brand_names, '')), 'A') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.content->>'source_names', '')), 'A') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.summary, '')), 'B') ||
            setweight(to_tsvector(cfg, COALESCE(NEW.content->>'mechanism', '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
"""

# Back to the functions of 0025 and 0033 (English only); the configuration goes, the extension stays (other
# code of the database may use it, and dropping it needs no one).
OLD_ARTICLE = """
    CREATE OR REPLACE FUNCTION cytokines_articlerevision_search_document() RETURNS trigger AS $$
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.summary, '')), 'B') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.content->>'body', '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
"""
OLD_AGENT = """
    CREATE OR REPLACE FUNCTION cytokines_agentrevision_search_document() RETURNS trigger AS $$
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.name, '')), 'A') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.nonproprietary_name, '')), 'A') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.brand_names, '')), 'A') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.summary, '')), 'B') ||
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.content->>'mechanism', '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (CONFIG, ARTICLE, AGENT):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (OLD_ARTICLE, OLD_AGENT):
        schema_editor.execute(sql)
    # A revision made meanwhile may hold a Spanish document; tsvectors keep no reference to their configuration.
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS cytokines_spanish")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0035_translator_group")]

    operations = [migrations.RunPython(forwards, backwards)]
