"""Review: the workflow rules and permissions, the one write path for versions, dates and the page cache,
the schedule and dashboard reads, reminders and the calendar feed, and the records they keep."""
