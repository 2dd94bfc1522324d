"""The report in a few sentences, answering the anniversary article's three questions (how
many visits, consultations, events) in its words. Built only from what the report shows:
for publication, a hidden count appears as its mark, never as the number."""

from django.utils import formats
from django.utils.translation import gettext as _

from reports.figures import Report


def _shown(report: Report) -> dict[str, str]:
    if report.for_publication:
        return {h.key: h.shown for h in report.headline}
    return {h.key: formats.number_format(h.value, force_grouping=True) for h in report.headline}


def summary_text(report: Report) -> str:
    """The anniversary-style paragraph, from translated sentences."""
    figures = {
        **_shown(report),
        "start": formats.date_format(report.period.start, "DATE_FORMAT"),
        "end": formats.date_format(report.period.end, "DATE_FORMAT"),
    }
    return " ".join(
        [
            _(
                "From %(start)s to %(end)s. Visits: %(visits)s (unique visitors: "
                "%(unique_visitors)s, of them new: %(new_visitors)s; anonymous walk-ins: "
                "%(walk_ins)s)."
            )
            % figures,
            _(
                "Consultations: %(consultations)s (group consultations: %(group_sessions)s; "
                "participations: %(participants)s; people consulted: %(people_consulted)s)."
            )
            % figures,
            _(
                "Events held: %(events_held)s (event sessions held: %(sessions_held)s, of them "
                "group meetings: %(group_meetings)s; attendance: %(attended)s)."
            )
            % figures,
        ]
    )
