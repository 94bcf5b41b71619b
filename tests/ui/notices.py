"""What the app told the user, recorded through its public ``notify`` (not Textual's internals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Notice:
    """One notification as shown: its message, title and severity."""

    message: str
    title: str = ""
    severity: str = "information"


def record_notifications(app: Any) -> list[Notice]:
    """Every notification ``app`` shows from now on (the app factory starts it for every app)."""
    seen: list[Notice] = []
    original = app.notify

    def notify(message: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(
            Notice(
                str(message),
                str(kwargs.get("title", "")),
                str(kwargs.get("severity", "information")),
            )
        )
        return original(message, *args, **kwargs)

    app.notify = notify
    app.recorded_notices = seen
    return seen


def notices(app: Any) -> list[Notice]:
    """The notifications recorded for ``app`` since it was made by the test app factory."""
    return app.recorded_notices  # type: ignore[no-any-return]
