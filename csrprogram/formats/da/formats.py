"""Danish date formats (Django's, written out so that they are ours): 31.12.2026, 31. december
2026. Every date shown to a person goes through the active language's format."""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
# Typed dates (csrprogram.validation.LocalDateInput shows SHORT_DATE_FORMAT): the day-first
# forms Danish users write; Django adds ISO 2026-12-31 to every language's list.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
