import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.content.library import Contributor
from cytokines.content.site import SiteSettings, TrustPage
from cytokines.management.commands._base import PortalCommand
from cytokines.quality import checker
from cytokines.review import publishing, site_versions, workflow

# The demo settings' wording for Spanish readers (written by us), approved as any settings change is.
SPANISH_WORDING = {
    "helpline_hours_es": "de lunes a viernes, de 9 a. m. a 7 p. m., hora del Este",  # mid-sentence; boxes capitalize
    "funding_statement_es": "Nuestra información se paga con donaciones del público. No aceptamos dinero de empresas "
    "que fabrican o venden medicamentos, ni publicidad.",
    "tax_wording_es": "Cytokine Portal Foundation (demo) es una organización exenta de impuestos según la sección "
    "501(c)(3) del Código de Rentas Internas de EE. UU. (EIN 00-0000000, un número de demostración). Las donaciones "
    "son deducibles de impuestos en la medida en que lo permita la ley. No se entregan bienes ni servicios a cambio "
    "de una donación.",
}
SPANISH_IMPACT = {
    25: "paga a una enfermera para responder dos llamadas a nuestra línea de ayuda",
    50: "mantiene la ficha de un medicamento revisada por un especialista durante un año",
    100: "financia la revisión médica de un artículo nuevo, línea por línea",
    250: "nos ayuda a escribir una guía sobre un tipo de cáncer que aún no cubrimos",
}


SPANISH_TRUST_PAGES = Path(settings.BASE_DIR) / "fixtures" / "trust_pages_es.json"  # written by us, per kind


def _write_proposal(proposal, words, *, user):
    """Save ``words`` ({field: text}) into an open proposal as ``user``, as the admin form does."""
    for field, text in words.items():
        setattr(proposal, field, text)
    site_versions.version_record_change(version=proposal, user=user)
    proposal.save()


def spanish_trust_pages(*, proposer, approver):
    """The demo's Spanish About us, privacy notice and the rest: proposed from the English pages by one Editor,
    approved by another, as a real translation would be. Kinds already live in Spanish are left alone."""
    for kind, text in json.loads(SPANISH_TRUST_PAGES.read_text(encoding="utf-8")).items():
        if TrustPage.objects.live().filter(kind=kind, language="es").exists():
            continue
        proposal = site_versions.version_propose(model=TrustPage, user=proposer, kind=kind, language="es")
        _write_proposal(proposal, text, user=proposer)  # its title, summary and body
        site_versions.version_approve(version=proposal, user=approver)


def spanish_site_wording(*, proposer, approver):
    """Propose the Spanish wording as one Editor and approve it as another, unless the live settings have it."""
    live = SiteSettings.objects.live().first()
    if live is None or live.helpline_hours_es:
        return
    proposal = site_versions.version_propose(model=SiteSettings, user=proposer)
    _write_proposal(proposal, SPANISH_WORDING, user=proposer)
    for line in proposal.impact_lines.all():
        line.description_es = SPANISH_IMPACT.get(int(line.amount), "")
        line.save(update_fields=["description_es"])
    site_versions.version_approve(version=proposal, user=approver)


# One login per role so a newcomer can walk an article through review; linked to the demo contributors.
DEMO_STAFF = [
    ("writer", workflow.WRITER, "hannah-lindqvist"),
    ("reviewer", workflow.MEDICAL_REVIEWER, "amara-okafor"),
    ("reviewer2", workflow.MEDICAL_REVIEWER, "daniel-reyes"),
    ("reviewer3", workflow.MEDICAL_REVIEWER, "priya-raman"),  # reviews the ropeginterferon pages (no conflict)
    ("editor", workflow.EDITOR, "tom-bakshi"),
    ("revisora", workflow.MEDICAL_REVIEWER, "lucia-herrera-ortega"),  # reads Spanish: approves the Spanish pages
    ("translator", workflow.TRANSLATOR, "marta-gimenez-soler"),
]


class Command(PortalCommand):
    help = (
        "Load the demo content and create demo logins for each role (development only). Only into a database "
        "without articles or users: it refuses one that has them unless told what to do (--if-empty, --reload)."
    )

    def add_arguments(self, parser):
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--if-empty", action="store_true",
                            help="Skip quietly when the database already has content (what `make run` does).")
        choice.add_argument("--reload", action="store_true",
                            help="Load anyway: overwrites edits of demo pages, resets demo passwords.")  # fmt: skip

    def handle(self, *args, if_empty=False, reload=False, **options):
        if not settings.DEBUG:
            raise CommandError("Demo logins are for development only; run with DEBUG=1.")
        if not reload and database_has_content():
            if if_empty:
                self.stdout.write("The database already has content: demo not loaded, logins and passwords unchanged.")
                return
            raise CommandError(
                "The database already has articles or users; nothing was changed. Use --if-empty to skip, or "
                "--reload to overwrite the demo pages and reset the demo logins' passwords."
            )
        password = secrets.token_urlsafe(12)
        User = get_user_model()
        with transaction.atomic():
            call_command("loaddata", "demo", "demo_safety", "demo_glossary", "demo_es", verbosity=0)
            admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.org"})
            admin.is_staff = admin.is_superuser = True
            admin.set_password(password)
            admin.save()
            staff = {}
            for username, group, contributor_slug in DEMO_STAFF:
                user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
                user.is_staff = True
                user.set_password(password)
                user.save()
                user.groups.add(Group.objects.get(name=group))
                Contributor.objects.filter(slug=contributor_slug, user=None).update(user=user)
                staff[username] = user
            Article.objects.filter(owner=None).update(owner=staff["writer"])
            Article.objects.filter(medical_reviewer=None).update(medical_reviewer=staff["reviewer"])
            # The demo's published pages were reviewed by the people they name: their review history says so,
            # and their first live revisions record those approvers with their credentials.
            accounts = {c.slug: c.user for c in Contributor.objects.exclude(user=None).select_related("user")}
            for model in (Article, Agent, GlossaryTerm):
                for page in model.objects.filter(status=model.Status.PUBLISHED, live_revision=None):
                    if page.review_events.filter(action="approve_medical").exists():
                        continue
                    named = [accounts[c.slug] for c in page.reviewers.order_by("name") if c.slug in accounts]
                    if named:
                        writer = staff["translator"] if getattr(page, "translation_of_id", None) else staff["writer"]
                        publishing.record_past_review(page, writer=writer, medical_reviewer=named[0],
                                                      editor=staff["editor"], on=page.last_reviewed)  # fmt: skip
            publishing.first_revisions(Article, Agent, GlossaryTerm)  # the demo's published pages go live
            spanish_site_wording(proposer=staff["editor"], approver=admin)
            spanish_trust_pages(proposer=staff["editor"], approver=admin)
        call_command("clear_page_cache", stdout=self.stdout)  # pages cached before the load must not be served
        call_command("measure_reading", stdout=self.stdout)  # the dashboard's reading list, as cron keeps it
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        # The demo's references are checked against recorded registry answers (no network), so editors see results.
        for line in checker.verify(stale_days=0, recorded_dir=checker.DEMO_RECORDINGS).lines():
            self.stdout.write(line)
        self.stdout.write(f"Admin: {settings.PORTAL_BASE_URL.rstrip('/')}/admin/")
        self.stdout.write(f"  logins (password for all: {password}):")
        self.stdout.write(
            "    admin (superuser), writer (Writer), reviewer, reviewer2 and reviewer3 (Medical reviewer), "
            "editor (Editor), translator (Translator), revisora (Medical reviewer who reads Spanish)"
        )


def database_has_content():
    return Article.objects.exists() or get_user_model().objects.exists()
