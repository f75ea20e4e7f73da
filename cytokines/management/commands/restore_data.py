import gzip

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from cytokines.ops.backup import BACKUP_MODELS, reset_sequences
from cytokines.review import writes


class Command(BaseCommand):
    help = "Restore a file written by backup_data into an empty, migrated database. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        occupied = [m._meta.label for m in BACKUP_MODELS if m._meta.app_label == "cytokines" and m.objects.exists()]
        if occupied:
            raise CommandError(
                f"Refusing to restore over existing data ({', '.join(occupied)}). Use an empty database."
            )
        count = 0
        try:
            with gzip.open(path, "rt", encoding="utf-8") as stream, transaction.atomic():
                for item in serializers.deserialize("jsonl", stream, handle_forward_references=True):
                    item.save()
                    count += 1
                reset_sequences()
        except (OSError, EOFError, DatabaseError, serializers.base.DeserializationError) as problem:
            raise CommandError(f"Nothing was restored: {problem}") from None
        writes.content_changed()
        self.stdout.write(f"Restored {count:,} records from {path}")
