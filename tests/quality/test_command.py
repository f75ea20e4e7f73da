"""manage.py verify_references: a summary, exit 0, weekly re-checks, and no network without a contact address."""

import pytest
from django.core.management import CommandError, call_command

from cytokines.content.library import Reference
from cytokines.quality.checker import DEMO_RECORDINGS
from cytokines.quality.models import ReferenceCheck

from .recorded import recorded_references


def test_verify_references_on_the_demo_data_prints_a_summary_and_exits_0(demo_content, capsys):
    recorded, total = len(recorded_references()), Reference.objects.count()
    call_command("verify_references", "--recorded", str(DEMO_RECORDINGS))  # raises on a non-zero exit
    out = capsys.readouterr().out
    assert f"References checked: {total} (not due yet: 0)." in out
    assert f"{recorded} verified, 0 differ from the record, 0 not found" in out
    assert ReferenceCheck.objects.filter(status=ReferenceCheck.Status.VERIFIED).count() == recorded >= 15


def test_a_second_run_within_the_week_checks_nothing(demo_content, capsys):
    recorded, total = len(recorded_references()), Reference.objects.count()
    call_command("verify_references", "--recorded", str(DEMO_RECORDINGS))
    call_command("verify_references", "--recorded", str(DEMO_RECORDINGS), "--stale-days", "7")
    # Only what could not be concluded offline (labels' links, papers without recordings) is tried again.
    assert f"References checked: {total - recorded} (not due yet: {recorded})." in capsys.readouterr().out
    call_command("verify_references", "--recorded", str(DEMO_RECORDINGS), "--stale-days", "0", "--limit", "4")
    assert f"References checked: 4 (not due yet: {total - 4})." in capsys.readouterr().out


def test_the_network_is_not_used_without_a_contact_address(demo_content, settings):
    settings.REFERENCE_CHECKS = {**settings.REFERENCE_CHECKS, "CONTACT_EMAIL": "", "RECORDED_DIR": ""}
    with pytest.raises(CommandError, match="REFERENCE_CHECK_CONTACT_EMAIL"):
        call_command("verify_references")
    assert not ReferenceCheck.objects.exists()


@pytest.mark.parametrize("args", [["--stale-days", "-1"], ["--limit", "0"], ["--recorded", "/nonexistent/dir"]])
def test_bad_arguments_are_refused_with_a_message(demo_content, args):
    with pytest.raises(CommandError):
        call_command("verify_references", *args)
    assert not ReferenceCheck.objects.exists()
