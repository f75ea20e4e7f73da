"""Install one live settings version and the six trust pages, with demo wording we wrote ourselves.

They are clearly demo values for a fictional US charity (the phone number is in the 555-0100..0199
range kept for fiction); Editors replace them in the admin, and a second Editor approves each change.
"""

from django.db import migrations
from django.utils import timezone

ORGANISATION = "Cytokine Portal Foundation (demo)"

SETTINGS = {
    "site_name": "Cytokine Portal",
    "organisation_name": ORGANISATION,
    "charity_number_label": "EIN",
    "charity_number": "00-0000000 (demo)",
    "helpline_phone": "1-800-555-0142",
    "helpline_hours": "Monday to Friday, 9 a.m. to 7 p.m. Eastern Time",
    "currency_code": "USD",
    "currency_symbol": "$",
    "tax_wording": (
        f"{ORGANISATION} is a tax-exempt organization under section 501(c)(3) of the Internal Revenue Code "
        "(EIN 00-0000000, a demo number). Gifts are tax-deductible to the extent allowed by law. "
        "No goods or services are provided in exchange for a gift."
    ),
    "funding_statement": (
        "Our information is paid for by donations from the public. We take no money from companies that "
        "make or sell medicines, and no advertising."
    ),
    "spelling": "en-us",
    "time_zone": "America/New_York",
}

IMPACT = [
    ("25", "pays for a nurse to answer two calls to our helpline"),
    ("50", "keeps one medicine fact sheet checked by a specialist for a year"),
    ("100", "funds the medical review of a new article, line by line"),
    ("250", "helps us write a guide for a cancer type we do not yet cover"),
]

PAGES = [
    (
        "about",
        "About us",
        "Who we are, why this site exists and how it is paid for.",
        """[[site_name]] is run by [[organisation_name]], a charity registered in the United States under section 501(c)(3), [[charity_number]].

## What we do

We explain cytokine therapies for cancer in plain words: what each medicine is, how it works, who it is approved for, and what it feels like to have it. Every page is written from published research and checked by a doctor or nurse who treats people with cancer.

## Who we are

We are a small team of writers, editors and medical reviewers. The people who wrote and checked each page are named on it, with their qualifications and any conflicts of interest.

## How we are funded

We are paid for by donations from the public. We take no money from companies that make or sell medicines, and we show no advertising. Our [editorial policy](/about/editorial-policy/) explains how we keep our information independent.

## Get in touch

Call our helpline on [[helpline_phone]] ([[helpline_hours]]) or see [Contact us](/about/contact/).""",
    ),
    (
        "editorial-policy",
        "Editorial policy",
        "How our pages are written, checked and dated, where our facts come from, and how to tell us about a mistake.",
        """## How we write

Writers start from the medicine's official label (in the United States, the FDA label), clinical guidelines and research published in peer-reviewed journals. Every fact that could affect a decision about treatment is linked to its source in the numbered list of references at the foot of the page.

We write for readers aged about 11 and up, in short sentences, and explain medical words the first time we use them.

## How we check

Each page passes two reviews before anyone can read it:

1. **Medical review.** A doctor, pharmacist or specialist nurse checks every statement against the sources. They cannot review a page they wrote.
2. **Editorial review.** An editor checks that the page is clear, fair and complete, and publishes it. The editor cannot be the person who approved the medical content.

Changes to a published page go through the same two reviews. Readers keep seeing the checked version until the new one is approved.

## How we date our pages

Every page shows three dates: **last revised** (when the text last changed in a way that matters), **last reviewed** (when a medical reviewer last confirmed it), and **next review due**. Articles are reviewed at least every three years and medicine fact sheets every year, and sooner when a medicine's approval or label changes. If a review is late, the page says so.

## Independence and funding

We are funded by donations from the public. We accept no money, gifts or advertising from companies that make or sell medicines. Writers and reviewers declare any conflicts of interest, and we show them on the page.

## Found a mistake?

Please tell us. Call [[helpline_phone]] or use the details on our [contact page](/about/contact/), and say which page and which sentence. A medical reviewer looks at every report and we correct errors as fast as we can. We do not give advice about a person's own treatment: please talk to your care team.""",
    ),
    (
        "privacy",
        "Privacy notice",
        "What we store when you give or sign up for our newsletter, why, for how long, and how to ask us to delete it.",
        """[[organisation_name]], [[charity_number]], is responsible for the information described here.

## Reading the site

You do not need an account to read our pages. We set no advertising or tracking cookies and load nothing from other companies' servers. Our servers keep short technical logs (the address of the page and the time) to keep the site working and safe.

## When you donate

We store your name, e-mail address, the amount and date of your gift, whether it is monthly, any dedication you add, and whether you agreed to hear from us. We use them to process the gift, send your receipt and, only if you agreed, tell you about our work. We never see or store card details: the payment service handles them.

We keep donation records for [[donation_record_years]] years, because tax law requires us to keep proof of gifts. After that we delete them.

## When you sign up for the newsletter

We store your e-mail address, your name and ZIP code if you give them, the topics you chose, and when you confirmed. We use them only to send the newsletter. A sign-up that is never confirmed is deleted after [[unconfirmed_signup_days]] days. Every newsletter has a one-click unsubscribe link; once you unsubscribe we stop writing to you.

## When you tell us whether a page helped

We store your answer and any comment, but not who you are. We delete comments after [[feedback_months]] months.

## E-mails we send

We keep a record of e-mails we sent (to whom and when) for [[mail_log_days]] days, so we can answer questions about them.

## Who sees your information

Only our supporter care team and the services that send e-mail and take payments for us, under contracts that forbid any other use. We never sell or swap your details.

## Your rights

You can ask us what we hold about you, ask for a copy, ask us to correct it, or ask us to delete it. Call [[helpline_phone]] or write to us using the details on our [contact page](/about/contact/). We answer within 30 days. We keep only what the law makes us keep (such as the amount and date of a gift) and tell you what that is.""",
    ),
    (
        "contact",
        "Contact us",
        "Call our helpline, report a mistake on a page, or ask about a donation.",
        """## Helpline

Call **[[helpline_phone]]** ([[helpline_hours]]). Our nurses answer questions about cytokine treatments and can help you prepare questions for your care team. Calls are free.

**In an emergency, call 911.** If you are thinking about suicide or are in crisis, call or text **988** (the 988 Suicide & Crisis Lifeline).

## Report a mistake on a page

Call the helpline and tell us which page and which sentence. See our [editorial policy](/about/editorial-policy/) for what happens next.

## Donations and the newsletter

For a question about a gift, a receipt or your subscription, call the helpline and ask for supporter care. Please quote the reference number from your confirmation e-mail.

## About us

[[organisation_name]], [[charity_number]].""",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How we make this site usable for everyone, what we test, and how to tell us about a problem.",
        """We want everyone to be able to use this site, including people who use a screen reader, keyboard, voice control or screen magnifier.

## What we do

- We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA.
- Text and buttons have strong color contrast, and pages work when you zoom to 400%.
- Every page can be used with a keyboard alone, and starts with a link that skips to the main content.
- Forms tell you what went wrong next to the field, and list the problems at the top.
- Pages work without JavaScript.
- We write in plain language and explain medical words.

## How we test

Every type of page is checked automatically with axe-core at phone and desktop widths each time we change the site, and we check pages by hand with a keyboard and a screen reader.

## Known problems

Some older references link to research papers on other websites that may not be accessible. We cannot fix those, but we are happy to explain what a paper says.

## Tell us about a problem

If something on this site is hard to use, please call [[helpline_phone]] ([[helpline_hours]]) and tell us the page and what happened. We will fix it or give you the information another way.""",
    ),
    (
        "terms",
        "Terms of use",
        "The rules for using this site and its information.",
        """## Our information is not medical advice

This site explains treatments in general terms. It does not replace advice from your own doctor or nurse, who know your situation. Do not start, stop or change a treatment because of something you read here without talking to your care team.

## Using our content

You may read, print and share our pages for personal, non-commercial use, as long as you do not change them and you say where they come from. Please ask us before using them in any other way.

## Links to other websites

We link to other websites, such as research papers and government services, because they are useful. We are not responsible for their content.

## Changes

We may change these terms. The date at the foot of this page shows when they last changed.

[[organisation_name]], [[charity_number]].""",
    ),
]


def install(apps, schema_editor):
    SiteSettings = apps.get_model("cytokines", "SiteSettings")
    ImpactLine = apps.get_model("cytokines", "ImpactLine")
    TrustPage = apps.get_model("cytokines", "TrustPage")
    now = timezone.now()
    if not SiteSettings.objects.filter(status="live").exists():
        settings = SiteSettings.objects.create(status="live", approved_at=now, **SETTINGS)
        for amount, description in IMPACT:
            ImpactLine.objects.create(settings_version=settings, amount=amount, description=description)
    for kind, title, summary, body in PAGES:
        if not TrustPage.objects.filter(kind=kind, status="live").exists():
            TrustPage.objects.create(kind=kind, title=title, summary=summary, body=body, status="live", approved_at=now)


def keep(apps, schema_editor):
    """Reverse: keep every settings version and trust page (issue 26). Deleting them all dropped the versions
    Editors had made since, and failed outright once there were several; install() adds nothing again
    when re-applied (it adds only what has no live version), and 0020's reverse drops the tables anyway."""


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0020_site_settings_and_trust_pages")]

    operations = [migrations.RunPython(install, keep)]
