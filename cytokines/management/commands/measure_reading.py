from cytokines.management.commands._base import PortalCommand
from cytokines.quality import reading


class Command(PortalCommand):
    help = (
        "Measure the reading level of every English article and fact sheet changed since it was last measured "
        "(imports and restores included), for the review dashboard's 'Pages above the reading target'. Pages "
        "saved in the admin are measured at once; run this every 10 minutes from cron (one host) for the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Pages measured per database round trip.")

    def handle(self, *args, batch, **options):
        total = 0
        while measured := reading.refresh(limit=batch):
            total += measured
        self.stdout.write(f"Measured {total} page(s) changed since their last measurement.")
