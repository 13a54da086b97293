"""Reading the State Council's yearly notice on public holidays (国务院办公厅关于某年部分节假日
安排的通知) as a clerk pastes it: the days off and the make-up working days of each holiday.

The notice numbers one paragraph per holiday ("二、春节：1月28日（农历除夕、周二）至2月4日
（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"). A sentence
that says 放假 gives the days off (a single day or a range, the month and year carried over from
the date before), a sentence that says 上班 the make-up working days. Parenthesised remarks
(weekdays, lunar dates, "鼓励……在除夕（2月9日）休息") are not dates of the schedule. The count a
paragraph states ("共8天") is checked against the range read.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

_YEAR_IN_TITLE = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排|现将\s*(\d{4})\s*年")
_PARAGRAPH = re.compile(r"(?:^|\n|。)\s*[一二三四五六七八九十]+\s*[、.．]\s*([^：:\n]{1,20})[：:]")
_REMARK = re.compile(r"（[^）]*）|\([^)]*\)")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_RANGE = re.compile(rf"({_DATE.pattern})\s*(?:至|到|—|-|－|~|～)\s*({_DATE.pattern})")
_COUNT = re.compile(r"共\s*(\d{1,2})\s*天")
_HOLIDAY_WORDS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


class NoticeUnreadable(ValueError):
    """The text has no schedule the parser can read; the message says what is missing."""


@dataclass(frozen=True)
class NoticeDay:
    date: dt.date
    name: str


@dataclass
class ParsedNotice:
    year: int
    days_off: list[NoticeDay] = field(default_factory=list)
    makeup_days: list[NoticeDay] = field(default_factory=list)
    # Things a clerk should look at before saving (a stated count that does not match …).
    warnings: list[str] = field(default_factory=list)

    def in_year(self, days: list[NoticeDay]) -> list[NoticeDay]:
        return [day for day in days if day.date.year == self.year]

    @property
    def other_years(self) -> list[NoticeDay]:
        days = self.days_off + self.makeup_days
        return sorted((day for day in days if day.date.year != self.year), key=lambda d: d.date)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\u3000", " ")
    # Full-width digits, as some copies of the notice have them.
    return text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _notice_year(text: str, year: int | None) -> int:
    found = _YEAR_IN_TITLE.search(text)
    if found:
        return int(found.group(1) or found.group(2))
    if year:
        return year
    raise NoticeUnreadable(
        _(
            "The text does not say which year it is for. Paste the whole notice, from its title "
            "(国务院办公厅关于……年部分节假日安排的通知) to its last paragraph."
        )
    )


class _Dates:
    """Reads dates in order, each taking the year and month of the one before when it omits them."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.month: int | None = None

    def read(self, year: str | None, month: str | None, day: str) -> dt.date:
        if year:
            self.year = int(year)
        if month:
            self.month = int(month)
        if self.month is None:
            raise NoticeUnreadable(_("The date “%(day)s日” has no month.") % {"day": day})
        try:
            return dt.date(self.year, self.month, int(day))
        except ValueError:
            raise NoticeUnreadable(
                _("%(month)s月%(day)s日 is not a date of %(year)s.")
                % {"month": self.month, "day": day, "year": self.year}
            ) from None


def _days_off(sentence: str, dates: _Dates) -> list[dt.date]:
    found: list[dt.date] = []
    position = 0
    while position < len(sentence):
        span = _RANGE.search(sentence, position)
        single = _DATE.search(sentence, position)
        if single is None:
            break
        if span is not None and span.start() == single.start():
            groups = span.groups()
            first = dates.read(*groups[1:4])
            last = dates.read(*groups[5:8])
            if last < first:
                raise NoticeUnreadable(
                    _("The range “%(text)s” ends before it begins.") % {"text": span.group(0)}
                )
            found += [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
            position = span.end()
        else:
            found.append(dates.read(*single.groups()))
            position = single.end()
    return found


def _paragraphs(text: str) -> list[tuple[str, str]]:
    """(holiday name, body) for every numbered paragraph that names a holiday."""
    marks = list(_PARAGRAPH.finditer(text))
    result = []
    for n, mark in enumerate(marks):
        name = mark.group(1).strip()
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        body = text[mark.end() : end]
        if any(word in name for word in _HOLIDAY_WORDS):
            # The closing paragraph ("节假日期间，各地区……") follows the last holiday.
            body = body.split("\n节假日期间")[0].split("节假日期间，")[0]
            result.append((name, body))
    return result


def parse_holiday_notice(text: str, year: int | None = None) -> ParsedNotice:
    """The schedule of the notice `text`; `year` is used only when the text does not say it."""
    text = _normalise(text)
    notice = ParsedNotice(year=_notice_year(text, year))
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise NoticeUnreadable(
            _(
                "No holiday paragraph was found. The notice lists each holiday in a numbered "
                "paragraph such as “一、元旦：1月1日放假1天，不调休。”; paste the text with them."
            )
        )
    for name, body in paragraphs:
        dates = _Dates(notice.year)
        off: list[dt.date] = []
        work: list[dt.date] = []
        stated = None
        for sentence in re.split(r"[。；;\n]", _REMARK.sub("", body)):
            if "上班" in sentence:
                work += _days_off(sentence, dates)
            elif "放假" in sentence:
                off += _days_off(sentence, dates)
                counted = _COUNT.search(sentence)
                stated = int(counted.group(1)) if counted else stated
        if not off:
            raise NoticeUnreadable(_("The paragraph “%(name)s” gives no day off.") % {"name": name})
        if stated is not None and stated != len(off):
            notice.warnings.append(
                _("“%(name)s” says %(stated)s days but lists %(read)s; check the dates.")
                % {"name": name, "stated": stated, "read": len(off)}
            )
        notice.days_off += [NoticeDay(day, name) for day in off]
        notice.makeup_days += [NoticeDay(day, name) for day in work]
    clash = {day.date for day in notice.days_off} & {day.date for day in notice.makeup_days}
    if clash:
        raise NoticeUnreadable(
            _("%(dates)s is read both as a day off and as a working day.")
            % {"dates": "、".join(day.isoformat() for day in sorted(clash))}
        )
    notice.days_off.sort(key=lambda day: day.date)
    notice.makeup_days.sort(key=lambda day: day.date)
    return notice
