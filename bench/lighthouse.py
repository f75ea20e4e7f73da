"""Lighthouse scores of the public pages, mobile and desktop, served the production way.

A scratch SQLite database with the demo content, gunicorn with DEBUG off and whitenoise's compressed,
hashed static files, then the npm `lighthouse` package (pinned in package.json) against each page with
Debian's Chromium. Writes the table into bench/RESULTS.md between markers and prints it.

    REDIS_URL=redis://127.0.0.1:6379/N make lighthouse              # all pages
    REDIS_URL=... LIGHTHOUSE_PAGES=/,/donate/ make lighthouse     # some
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8131"))
BASE = f"http://127.0.0.1:{PORT}"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {
    "home": "/",
    "article list": "/articles/",
    "article": "/articles/cytokines-and-cancer/",
    "FAQ": "/articles/interleukins-and-cancer-faq/",
    "agent": "/agents/interleukin-2/",
    "A–Z": "/agents/",
    "cancer type": "/cancer-types/kidney-cancer/",
    "donate": "/donate/",
    "newsletter": "/newsletter/",
    "about us": "/about/",
    "editorial policy": "/about/editorial-policy/",
    "privacy notice": "/about/privacy/",
    "contact": "/about/contact/",
    "accessibility": "/about/accessibility/",
    "terms": "/about/terms/",
    "saved pages": "/saved/",
    "glossary": "/glossary/",
    "glossary term": "/glossary/cytokine/",
    # Spanish (issue 18): the interface pages under /es/; Spanish articles and fact sheets join as they are written.
    "home (es)": "/es/",
    "article list (es)": "/es/articles/",
    "A–Z (es)": "/es/agents/",
    "cancer type (es)": "/es/cancer-types/kidney-cancer/",
    "donate (es)": "/es/donate/",
    "newsletter (es)": "/es/newsletter/",
    "about us (es)": "/es/about/",
}
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def serve(workdir):
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{workdir}/lighthouse.sqlite3",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    if not env.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL (production settings need a shared cache), e.g. redis://127.0.0.1:6379/3")
    python = sys.executable
    # The demo's published pages go live as load_demo makes them (its logins and DEBUG are not needed here).
    go_live = ("from cytokines.models import Agent, Article, GlossaryTerm; from cytokines.review.publishing import "
               "first_revisions; first_revisions(Article, Agent, GlossaryTerm)")
    setup = (["migrate", "--no-input", "-v0"], ["loaddata", "demo", "demo_safety", "demo_glossary", "-v0"],
             ["shell", "-c", go_live], ["clear_page_cache"], ["collectstatic", "--no-input", "-v0"])
    for command in setup:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(50):
        try:
            urllib.request.urlopen(BASE + "/healthz/live", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def not_answering(paths):
    """The pages that do not answer 200: a score of a 404 page says nothing about the page meant."""
    wrong = []
    for path in paths:
        try:
            status = urllib.request.urlopen(BASE + path, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            wrong.append(f"{path} ({status})")
    return wrong


def audit(path, form_factor, workdir):
    report = Path(workdir) / "report.json"
    command = [
        "npx", "--no-install", "lighthouse", BASE + path, "--quiet", "--output=json", f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for _attempt in range(3):  # on a busy machine Lighthouse sometimes loses the trace (NO_NAVSTART): try again
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        if done.returncode == 0:
            break
    else:
        raise SystemExit(f"Lighthouse failed three times on {path} ({form_factor})")
    result = json.loads(report.read_text())
    failing = [
        f"{audit['id']} ({audit['score']}{', ' + audit['displayValue'] if audit.get('displayValue') else ''})"
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    return [round(result["categories"][name]["score"] * 100) for name in CATEGORIES], failing


def table(rows):
    lines = [
        "| page | mobile: perf / a11y / best practices / SEO | desktop: perf / a11y / best practices / SEO |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {' / '.join(map(str, mobile))} | {' / '.join(map(str, desktop))} |"
        for name, mobile, desktop in rows
    ]
    return "\n".join(lines)


def main():
    wanted = os.environ.get("LIGHTHOUSE_PAGES")
    pages = {n: p for n, p in PAGES.items() if not wanted or p in wanted.split(",")}
    load_before = os.getloadavg()[0]
    workdir = tempfile.mkdtemp(prefix="lighthouse-")
    server = serve(workdir)
    rows, problems = [], []
    try:
        wrong = not_answering(pages.values())
        if wrong:
            raise SystemExit("These pages do not answer 200, fix the list first: " + ", ".join(wrong))
        for name, path in pages.items():
            mobile, failing_mobile = audit(path, "mobile", workdir)
            desktop, failing_desktop = audit(path, "desktop", workdir)
            rows.append((name, mobile, desktop))
            problems += [f"{name} (mobile): {f}" for f in failing_mobile] + [
                f"{name} (desktop): {f}" for f in failing_desktop
            ]
            print(name, mobile, desktop, flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    text = table(rows)
    print(text)
    if problems:
        print("Audits below 100:", *problems, sep="\n  ")
    if not wanted:
        results = ROOT / "bench" / "RESULTS.md"
        old = results.read_text() if results.exists() else ""
        section = (
            f"{START}\n## Lighthouse (npm lighthouse, pinned in package.json; Debian Chromium; gunicorn, DEBUG off)\n\n"
            f"Measured {time.strftime('%Y-%m-%d')} on the shared 2-core development machine, load average "
            f"{load_before:.0f} at the start and {os.getloadavg()[0]:.0f} at the end; `make lighthouse` repeats it. "
            "Mobile performance is the one score that moves with the machine's load (Lighthouse slows the CPU "
            "4× on top of it): below 100 it is total blocking time, also on pages with no script at all.\n\n"
            f"{text}\n{END}"
        )
        new = re.sub(re.escape(START) + ".*?" + re.escape(END), section, old, flags=re.S) if START in old else (
            old.rstrip() + "\n\n" + section + "\n")  # fmt: skip
        results.write_text(new)
    return 1 if any(score < 100 for _, m, d in rows for score in m + d) else 0


if __name__ == "__main__":
    sys.exit(main())
