"""argparse's own words ("usage:", "invalid choice: ...") in the user's language.

argparse translates through the stdlib's global gettext domain, which coprod
must not take over (that would change every other program's argparse in the
process, and tests switch languages). So its words are in coprod's own
catalogue instead, listed below with the msgids argparse uses (Python 3.11 to
3.13), and translated where they reach the user:

- help pages: the front door's formatter (``cli._Formatter``) passes every
  heading, text and help string through ``_()``;
- errors: argparse hands the parser's ``error()`` a finished English sentence,
  which :func:`translate_error` matches against these msgids and rebuilds
  from the translation (the user's own words, captured, stay as they were).
"""

from __future__ import annotations

import re
from functools import cache

from coprod_tui.core.i18n import N_, _, current_language

#: argparse's messages a user can meet, exactly as argparse writes them.
ERROR_MESSAGES = (
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)

#: Words of argparse's help pages (the formatter translates them as they pass).
HELP_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
)

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sdr]")


@cache
def _pattern(msgid: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex matching ``msgid`` once formatted, and its placeholders' names in order."""
    names: list[str] = []
    parts: list[str] = []
    position = 0
    for number, match in enumerate(_PLACEHOLDER.finditer(msgid)):
        parts.append(re.escape(msgid[position : match.start()]))
        name = match.group(1) or f"_{number}"
        names.append(name)
        parts.append(f"(?P<{name}>.+?)" if name not in names[:-1] else f"(?P={name})")
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL), tuple(names)


def translate_error(message: str) -> str:
    """argparse's English ``message`` in the current language (itself when none applies)."""
    if current_language() == "en":
        return message
    for msgid in ERROR_MESSAGES:
        pattern, names = _pattern(msgid)
        match = pattern.fullmatch(message)
        if match is None:
            continue
        translated = _(msgid)  # may read as the English does ("argument %s: ..."): go on
        values = match.groupdict()
        if "message" in values:
            values["message"] = translate_error(values["message"])
        positional = [values[name] for name in names if name.startswith("_")]
        # The captured text is already formatted (quotes included): put it back as it was.
        text = re.sub(r"%\((\w+)\)[sdr]", lambda m: "%(" + m.group(1) + ")s", translated)
        text = re.sub(r"%[dr]", "%s", text)
        try:
            return text % (tuple(positional) if positional else values)
        except (TypeError, KeyError, ValueError):
            return message
    return message
