# ruff: noqa: RUF001, RUF003 - "р." is the Cyrillic abbreviation of "року" (year).
# Ukrainian dates without a leading zero on the day ("9 грудня 2026 р.", as Ukrainian is
# written; Django's own formats print "09 грудня").
DATE_FORMAT = "j E Y р."
DATETIME_FORMAT = "j E Y р. H:i"
