"""Times: the one place the store's stamps are parsed and shown to people.

The store writes UTC ISO 8601 stamps with seconds (``2024-03-12T14:03:12Z``).
Everything that reads one back (the CLI's tables, the case list's "3 min ago",
the editor's "Saved 14:03:12", the history list) goes through :func:`parse`,
so an odd stamp (a naive one, one from an older coprod, an unreadable one) is
handled the same way everywhere: naive means UTC, unreadable means ``None``
and the caller shows the raw text or ``?``.

Every function that depends on "now" takes it as an argument (the app's
injectable clock), so tests and snapshot screenshots are fixed. Month names
and words ("yesterday", "5 min ago") come from coprod's own catalogue
(:mod:`coprod_tui.core.i18n`), never the C locale's, so output is the same on
every machine: English by default, the Swedish way under Swedish ("i går
09:12", "5 min sedan", "3 dec. 2026"; dates as numbers stay ISO, 2026-12-03,
which is how Swedish writes them too).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from coprod_tui.core.i18n import _, current_language, ngettext, pgettext

#: Month abbreviations, English (:func:`month_abbreviation` gives them in the user's language).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_abbreviation(month: int) -> str:
    """The short name of ``month`` (1-12) in the current language: ``Dec``, ``dec.``."""
    return _months(current_language())[month - 1]


@functools.lru_cache(maxsize=4)
def _months(language: str) -> tuple[str, ...]:
    """The twelve abbreviations in ``language`` (the one in force; the key keeps a cache each).

    Written out so the catalogue tools find them; the context tells "May"
    the month from any other "May".
    """
    return (
        pgettext("abbreviated month", "Jan"),
        pgettext("abbreviated month", "Feb"),
        pgettext("abbreviated month", "Mar"),
        pgettext("abbreviated month", "Apr"),
        pgettext("abbreviated month", "May"),
        pgettext("abbreviated month", "Jun"),
        pgettext("abbreviated month", "Jul"),
        pgettext("abbreviated month", "Aug"),
        pgettext("abbreviated month", "Sep"),
        pgettext("abbreviated month", "Oct"),
        pgettext("abbreviated month", "Nov"),
        pgettext("abbreviated month", "Dec"),
    )


def short_date(moment: datetime, *, with_year: bool = True) -> str:
    """A day as words: ``3 Dec 2026`` (``3 dec. 2026`` in Swedish); without the year on request."""
    month = month_abbreviation(moment.month)
    if with_year:
        return _("{day} {month} {year}").format(day=moment.day, month=month, year=moment.year)
    return _("{day} {month}").format(day=moment.day, month=month)


def parse(stamp: object) -> datetime | None:
    """A stored ISO 8601 stamp as an aware datetime (naive means UTC); ``None`` if unreadable."""
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_stamp(moment: datetime) -> str:
    """An aware or naive (local) datetime as the store's UTC ``...Z`` stamp, to the second."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def to_epoch(stamp: str) -> float:
    """Seconds since the epoch of a stored stamp; ``0.0`` if it cannot be read."""
    moment = parse(stamp)
    return moment.timestamp() if moment is not None else 0.0


def from_epoch(seconds: float) -> str:
    """Seconds since the epoch (a file's mtime, say) as the store's ``...Z`` stamp."""
    return to_stamp(datetime.fromtimestamp(seconds, UTC))


#: The compact UTC form used in file names (``20240312T140312Z``): sorts, has no colons.
COMPACT = "%Y%m%dT%H%M%SZ"


def to_compact(moment: datetime) -> str:
    """A moment as the compact UTC file-name form (naive means local)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).strftime(COMPACT)


def from_compact(compact: str) -> str | None:
    """A compact file-name stamp back as the store's ``...Z`` stamp; ``None`` if unreadable."""
    moment = parse_compact(compact)
    return to_stamp(moment) if moment is not None else None


def parse_compact(compact: str) -> datetime | None:
    """A compact UTC stamp (``20240312T140312Z``, exactly) as a datetime; ``None`` if not one.

    Read by hand rather than with ``strptime``, which imports ``_strptime``,
    ``calendar`` and ``locale`` (several milliseconds of every ``coprod write``)
    and honours the C locale.
    """
    digits = compact[:8] + compact[9:15]
    if len(compact) != 16 or compact[8] != "T" or compact[15] != "Z":
        return None
    if not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return datetime(
            int(compact[0:4]),
            int(compact[4:6]),
            int(compact[6:8]),
            int(compact[9:11]),
            int(compact[11:13]),
            int(compact[13:15]),
            tzinfo=UTC,
        )
    except ValueError:  # 20241340T...: digits, but no such day
        return None


def utc_now_stamp() -> str:
    """Now as the store's UTC ``...Z`` stamp."""
    return to_stamp(datetime.now(UTC))


def local_now() -> datetime:
    """Now, as an aware local time (so comparisons with stored UTC times work)."""
    return datetime.now().astimezone()


def local_minutes(stamp: str) -> str | None:
    """A stored stamp as local ``YYYY-MM-DD HH:MM``; ``None`` if unreadable or out of range.

    A stamp without a zone is refused here (``None``) rather than guessed: the
    CLI then prints it as stored, which is what it always did.
    """
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return None
        local = moment + _utc_offset(moment.replace(minute=0, second=0, microsecond=0))
    except (ValueError, OverflowError, OSError):  # unreadable, or out of the clock's range
        return None
    return f"{local:%Y-%m-%d %H:%M}"


@functools.lru_cache(maxsize=4096)
def _utc_offset(hour: datetime) -> timedelta:
    """The local UTC offset at a given hour (cached: listing 10,000 cases stays quick)."""
    return hour.astimezone().utcoffset() or timedelta(0)


def clock_label(moment: datetime, now: datetime) -> str:
    """``14:03:12`` for a moment today, ``2024-03-01 14:03`` for an older one.

    Both are shown in the zone of ``now`` (the app clock), so a fixed test
    clock gives fixed labels. In Swedish yesterday reads ``i går 09:12``
    (English keeps the date, as it always did).
    """
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    elif moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    if moment.date() == now.date():
        return f"{moment:%H:%M:%S}"
    if current_language() != "en" and (now.date() - moment.date()).days == 1:
        return _("yesterday {time}").format(time=f"{moment:%H:%M}")
    return f"{moment:%Y-%m-%d %H:%M}"


def stamp_clock_label(stamp: str, now: datetime) -> str:
    """:func:`clock_label` of a stored stamp; the stamp as stored if unreadable."""
    moment = parse(stamp)
    return clock_label(moment, now) if moment is not None else stamp


def relative_time(stamp: str, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '4 days ago', '12 Mar', '12 Mar 2023'.

    In Swedish: 'nyss', '5 min sedan', '3 tim sedan', 'i går', '4 dagar
    sedan', '12 mars', '3 dec. 2023'. ``?`` when the stamp is unreadable.
    ``now`` may be naive (then it is local).
    """
    moment = parse(stamp)
    if moment is None:
        return "?"
    if now.tzinfo is None:
        now = now.astimezone()
    local = moment.astimezone(now.tzinfo)
    seconds = (now - local).total_seconds()
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("{n} min ago", "{n} min ago", minutes).format(n=minutes)
    days = (now.date() - local.date()).days
    if days == 0:
        hours = int(seconds // 3600)
        return ngettext("{n} h ago", "{n} h ago", hours).format(n=hours)
    if days == 1:
        return _("yesterday")
    if days < 7:
        return ngettext("{n} day ago", "{n} days ago", days).format(n=days)
    return short_date(local, with_year=local.year != now.year)
