"""Wiring for a verification run: network resolvers in production, recorded answers for the demo and tests."""

from pathlib import Path

from django.conf import settings

from cytokines.quality import verification
from cytokines.quality.http import PoliteClient, recorded_transport
from cytokines.quality.resolvers import resolvers_for


class NotConfigured(Exception):
    pass


def make_client(recorded_dir=None):
    if recorded_dir:
        if not Path(recorded_dir).is_dir():
            raise NotConfigured(f"No recorded responses in {recorded_dir}.")
        return PoliteClient(recorded_transport(recorded_dir), min_interval=0)
    if not settings.REFERENCE_CHECKS["CONTACT_EMAIL"]:
        raise NotConfigured(
            "Set REFERENCE_CHECK_CONTACT_EMAIL: Crossref and NCBI ask every caller for a contact address."
        )
    return PoliteClient()


def verify(*, stale_days=verification.DEFAULT_STALE_DAYS, limit=None, recorded_dir=None):
    client = make_client(recorded_dir)
    try:
        return verification.run(resolvers=resolvers_for(client), client=client, stale_days=stale_days, limit=limit)
    finally:
        client.close()


DEMO_RECORDINGS = Path(settings.BASE_DIR) / "fixtures" / "recorded"
