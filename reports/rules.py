"""The counting rules, each in one text: the footnotes of the dashboard, the CSV, the Excel
file and the PDF, and the README's "How things are counted" (a test checks the README
against this list, word for word). Each headline figure names the rule beside it.

Written in English here; the translation catalogue carries them into lt, uk and ru."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    text: Promise

    @property
    def number(self) -> int:
        return RULE_KEYS.index(self.key) + 1


RULES = [
    Rule(
        "visits",
        _(
            "A visit is one time someone came to the desk or contacted it. An anonymous "
            "walk-in is a visit without a registered person."
        ),
    ),
    Rule(
        "visitors",
        _(
            "Unique visitors are the registered people with at least one visit in the period, "
            "each counted once; new visitors are those of them whose first visit ever falls in "
            "the period. Anonymous walk-ins are counted apart, one per visit: nobody knows "
            "whether two walk-ins were the same person."
        ),
    ),
    Rule(
        "people_tables",
        _(
            "In the tables of visitors by citizenship, gender and age, each registered person "
            "counts once, as recorded on their last visit in the period, so the rows add up to "
            "the unique visitors; anonymous walk-ins are a row of their own."
        ),
    ),
    Rule(
        "consultations",
        _(
            "A consultation is one session of advice, with one person or with a group; a "
            "group consultation counts once. One visit can lead to several consultations."
        ),
    ),
    Rule(
        "participations",
        _(
            "Participations count each person at each consultation: a group consultation with "
            "eight people is eight participations. People consulted count each registered "
            "person once, however many consultations they had; anonymous participants are "
            "counted apart, one per participation."
        ),
    ),
    Rule(
        "events",
        _(
            "An event held is an event (a one-off evening, a club, a group) with at least one "
            "session in the period that was not cancelled; it counts once, however many "
            "sessions it had. Event sessions held count every such session. Group meetings "
            "are the sessions held of clubs, support and therapeutic groups, lessons and "
            "children's activities: every session but those of one-off events. To say how "
            "many different events the centre ran, quote the events held; to say how many "
            "times people gathered, quote the event sessions held."
        ),
    ),
    Rule(
        "registrations",
        _(
            "A registration is a confirmed place for one session or, for a group that enrols "
            "for all its sessions, for the whole group; a household counts once, and places "
            "taken count each of its members."
        ),
    ),
    Rule(
        "attendance",
        _(
            "Bookings per session count each registration at every session held that it "
            "covers: once for a registration for one session, and once at each session held "
            "in the period for an enrolment in a group. Attendance counts the check-ins at "
            "those sessions and is also given as a share of the bookings per session; a "
            "no-show is a booking without a check-in, so bookings are attendance plus "
            "no-shows."
        ),
    ),
    Rule(
        "periods",
        _(
            "A centre year runs from the anniversary of the opening (23 October) to the day "
            "before the next one. A report is compared with the centre year before a centre "
            "year, the year before a calendar year, the month before a calendar month, and "
            "the same number of days just before any other dates; it states both periods "
            "with their dates."
        ),
    ),
    Rule(
        "publication",
        _(
            'For publication, counts from 1 to 4 are shown as "<5", and a table adding up to '
            'fewer than 5 is not broken down. "x" marks a count hidden only so that no '
            "hidden count can be worked out from a total, the other rows, the previous period "
            "or a percentage. A change or a share is not shown when a count it comes from is "
            "hidden."
        ),
    ),
    Rule(
        "erasure",
        _(
            "Every figure is counted from the facts kept on visits, consultation participants "
            "and registrations, which erasing a person does not change: a past period's "
            "figures stay the same."
        ),
    ),
]
RULE_KEYS = [rule.key for rule in RULES]


def rule(key: str) -> Rule:
    return RULES[RULE_KEYS.index(key)]


def rules_markdown() -> str:
    """The counting rules in every language of the site, as docs/counting-rules.md holds
    them (written by `manage.py counting_rules`; a test keeps the file and the catalogue
    the same)."""
    parts = [
        "# How things are counted\n",
        "The counting rules of the reports, in the four languages of the site: the report's",
        "footnotes, on the page and in every file, in the language it is shown in. Written by",
        "`python manage.py counting_rules > docs/counting-rules.md` from `reports/rules.py`",
        "and the translations; do not edit by hand.\n",
    ]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts.append(f"## {translation.get_language_info(code)['name_local']} ({code})\n")
            parts += [f"{rule.number}. {rule.text}" for rule in RULES]
            parts.append("")
    return "\n".join(parts)
