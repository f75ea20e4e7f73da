"""What a fact sheet must say about safety before it is published: the one list of what is missing.

The workflow asks ``missing_safety_information`` whenever an agent would go live; the words name each
missing piece so the editor knows what to fill in.
"""

from cytokines.content.safety import SafetyTopic


def missing_safety_information(agent):
    """Return what ``agent`` still lacks before it may be published, in words for the editor (empty: nothing)."""
    missing = []
    if not agent.places:
        missing.append("where it is given (choose “Not known” if the label does not say)")
    statements = {statement.topic: statement for statement in agent.safety_statements.all()}
    for topic in SafetyTopic:
        statement = statements.get(topic.value)
        if statement is None or (not statement.not_applicable and not statement.text.strip()):
            missing.append(f"“{topic.label}” (fill it in or mark it not applicable)")
        elif not statement.not_applicable and (statement.reference_id is None or statement.checked_on is None):
            missing.append(f"the source and date checked of “{topic.label}”")
    side_effects = list(agent.side_effects.all())
    if not side_effects:
        missing.append("its side effects, each with how often it happens")
    unsourced = [effect.name for effect in side_effects if effect.reference_id is None]
    if unsourced:
        missing.append(f"a source for the side effect(s) {', '.join(unsourced[:5])}")
    no_advice = [effect.name for effect in side_effects if not effect.what_to_do.strip()]
    if no_advice:
        missing.append(f"what to do about the side effect(s) {', '.join(no_advice[:5])}")
    approvals = list(agent.approvals.all())
    if not approvals:
        missing.append("its regulatory status (at least one regulator)")
    unchecked = [approval.get_regulator_display() for approval in approvals
                 if not approval.source_url or approval.checked_on is None]  # fmt: skip
    if unchecked:
        missing.append(f"the source and date checked of the regulatory status ({', '.join(sorted(set(unchecked)))})")
    return missing


def publication_refusal(agent):
    """Why ``agent`` may not be published as it is saved now, or None."""
    missing = missing_safety_information(agent)
    if missing:
        return "This fact sheet cannot be published yet. It needs " + "; ".join(missing) + "."
    return None
