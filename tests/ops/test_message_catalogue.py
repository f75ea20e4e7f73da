"""The translation check CI runs (`make messages-check`): untranslated or fuzzy entries fail it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cytokines.ops.message_catalogue import problems

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : 2;\\n"\n\n'


def test_a_complete_catalogue_passes():
    text = HEADER + 'msgid "Donate"\nmsgstr "Donar"\n\nmsgid "%(n)s page"\nmsgid_plural "%(n)s pages"\n' \
        'msgstr[0] "%(n)s página"\nmsgstr[1] "%(n)s páginas"\nmsgstr[2] "%(n)s páginas"\n\n' \
        'msgid ""\n"A long "\n"one"\nmsgstr ""\n"Una "\n"larga"\n\n#~ msgid "Gone"\n#~ msgstr ""\n'
    assert problems(text) == ([], [])


def test_untranslated_fuzzy_and_half_translated_plurals_are_found():
    text = HEADER + 'msgid "Donate"\nmsgstr ""\n\n#, fuzzy, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hola"\n\n' \
        'msgid "%(n)s page"\nmsgid_plural "%(n)s pages"\nmsgstr[0] "%(n)s página"\nmsgstr[1] ""\nmsgstr[2] ""\n'
    assert problems(text) == (["Donate", "%(n)s page"], ["Hi %(name)s"])


def test_the_command_fails_on_a_gap_and_passes_the_real_catalogue(tmp_path):
    broken = tmp_path / "django.po"
    broken.write_text(HEADER + 'msgid "Donate"\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(CommandError, match="1 untranslated and 0 fuzzy"):
        call_command("messages_check", str(broken))
    real = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
    call_command("messages_check", str(real))  # what CI checks again after makemessages
