"""English dates as the site has always written them: "October 21, 2024" (Django's own default is "Oct. 21, 2024").

Templates write ``|date:"DATE_FORMAT"`` (or YEAR_MONTH_FORMAT, SHORT_DATE_FORMAT), never a fixed format, so
each language gets its own order and month names. Everything not named here is Django's.
"""

DATE_FORMAT = "F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
