"""English date formats that no reader can misread: 31 Dec 2026, 31 December 2026 (Django's
English short format, 12/31/2026, reads as a different date in Denmark)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
# Typed dates (csrprogram.validation.LocalDateInput shows SHORT_DATE_FORMAT, 31 Dec 2026): that
# form and the month written out, ISO, and the day-first forms Danish users write. ISO stays
# first: Django's admin widgets write dates in the first format.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
