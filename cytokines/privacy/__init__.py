"""Supporters' personal data across areas (supporters, public feedback, the mail queue, logs): find, export
and erase one person's records, and the retention rules. Above the areas it reads, below the screens."""
