"""Editorial quality checks for editors: references against their records, link health, reading level."""
