import gzip
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand

from cytokines.ops.backup import BACKUP_MODELS, backup_fields


class Command(BaseCommand):
    help = (
        "Write all content, review history and supporter data (donations, subscribers, feedback) plus staff "
        "accounts and groups to one gzipped JSON Lines file. Restore it with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. backups/portal-2026-11-23.jsonl.gz")

    def handle(self, *args, path, **options):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(target, "wt", encoding="utf-8") as stream:
            for model in BACKUP_MODELS:
                serializers.serialize(
                    "jsonl",
                    model._default_manager.order_by("pk").iterator(chunk_size=2000),
                    stream=stream,
                    fields=backup_fields(model),
                    # Users and groups by name: the target database made its own ids for the built-in groups.
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                )
                self.stdout.write(f"{model._meta.label}: {model._default_manager.count():,}")
        self.stdout.write(f"Wrote {target}")
