"""Date expressions in text, as Marsad partial dates with offsets into the original text.

Every word comes from data/lexicons/<lang>/dates.yaml (month names per calendar, cues, markers,
relative phrases, hedges, range connectors); this module only knows the shapes dates take:
"15 January 2020", "January 15, 2020", "January 2020", "2020", "15/01/2020", "2020-01-15",
ranges ("between 3 and 5 January", "3 January – 5 February 2020"), relative phrases
("yesterday", "early last month", "three days ago", "last Tuesday") and hedges before or after
a date ("probably", "on or about"). Native digits are read as ASCII and letters of a script
fold together (أ/إ/ا, ي/ی, ك/ک) on a same-length copy of the text, so offsets stay valid.

Rules where the sources are silent:
- Values are Gregorian. A month or year of another calendar that lies within one Gregorian
  month/year gives that month/year, certain; otherwise the Gregorian month/year holding most of
  its days (دی ۱۳۹۸ → 2020-01), likely — the first day's month would often hold a third of it.
- A date without a year ("3 January", "ט"ו בשבט") takes the year that puts it closest to the
  anchor, certain; without an anchor it is skipped, like every relative expression.
- Relative phrases: day units give the day, certain; "last week" gives anchor − 7 days,
  precision day, possible; "last month" the month and "last year" the year, certain. Counted
  ones ("three weeks ago") follow the same precisions, with months and years only likely.
  "last Tuesday" is the latest Tuesday before the anchor, certain. Month parts ("early",
  "مطلع", "בתחילת") belong to the expression and do not change precision or certainty.
- A hedge lowers the certainty of the first date after it (or the last before it, for hedges
  placed after) when no more than `reach` words and no clause break stand between them.
- A bare four-digit number is a year only in 1900–2099; other years need a cue (عام, سال,
  בשנת), a calendar marker (هـ, ه.ش), a month or a month part.
"""

from marsad.text.dates.extractor import DateExtractor, default_date_extractor
from marsad.text.dates.lexicon import DateLexicon
from marsad.text.dates.model import CERTAINTIES, PartialDate

__all__ = ["CERTAINTIES", "DateExtractor", "DateLexicon", "PartialDate", "default_date_extractor"]
