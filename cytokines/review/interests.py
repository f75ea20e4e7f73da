"""Conflicts of interest: nobody approves, as medical reviewer, a page about a medicine they declared an
interest in. ``rules.refusal`` and the agent steps ask ``interest_refusal``; it says why.
"""

from cytokines.content.interests import DeclaredInterest


def conflicting_interests(user, agent_ids):
    """The declared interests of ``user``'s contributor profile that concern any of ``agent_ids``."""
    if user is None or not getattr(user, "pk", None) or not agent_ids:
        return []
    return list(
        DeclaredInterest.objects.filter(contributor__user=user, agents__in=list(agent_ids))
        .prefetch_related("agents")
        .distinct()
    )


def interest_refusal(user, agent_ids):
    """Return why ``user`` may not medically approve a page about ``agent_ids``, or None if they may."""
    interests = conflicting_interests(user, agent_ids)
    if not interests:
        return None
    wanted = set(agent_ids)
    names = sorted({agent.name for interest in interests for agent in interest.agents.all() if agent.pk in wanted})
    declared = "; ".join(interest.description for interest in interests)
    return (f"You declared an interest in {', '.join(names)} ({declared}), so another medical reviewer must "
            "approve pages about it (conflict-of-interest rule).")  # fmt: skip
