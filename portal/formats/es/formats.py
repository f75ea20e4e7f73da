"""Spanish as read in the United States: "21 de octubre de 2024"; numbers 1,234.50 as in the US and Mexico.

Django's ``es`` writes 1.234,50 (Spain); our readers' dollar amounts use the decimal point.
Everything not named here is Django's ``es`` (DATE_FORMAT "j \\d\\e F \\d\\e Y", YEAR_MONTH_FORMAT "F \\d\\e Y").
"""

SHORT_DATE_FORMAT = "j M Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
