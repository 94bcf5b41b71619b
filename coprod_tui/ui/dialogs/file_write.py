"""Writing a file from a dialog: off the loop, and "Replace?" before an existing file.

The case export, the matrix export and "Export section to file" all write a
file the user named. Each write runs in a worker; the core refuses an
existing file with :class:`~coprod_tui.core.matrix.export.TargetExists`
unless told to replace it, so the dialog asks and, on yes, runs the same
write again with ``replace=True``. A failure is one line in the dialog, which
stays open with the user's choices; nothing is half-written (the core writes
atomically).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.content import Content

from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.matrix.export import TargetExists
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.workers import answer_of

__all__ = ["write_asking"]

Result = TypeVar("Result")


async def write_asking(
    dialog: Any,
    write: Callable[[bool], Callable[[], Result]],
    *,
    group: str,
    question: str,
    busy: Callable[[bool], None],
    error: Callable[[str], None],
    written: Callable[[Result], None],
    replace: bool = False,
) -> None:
    """Run ``write(replace)`` in a worker of ``dialog``, then ``written(result)``.

    ``question`` (translated, with ``{path}``) asks before an existing file
    is replaced; ``busy`` is told when the write starts and ends (a dialog
    keeps Escape from closing it meanwhile); ``error`` shows a failure.
    """
    from coprod_tui.ui.dialogs.confirm import ConfirmDialog

    busy(True)
    try:
        result = await answer_of(dialog, write(replace), group=group)
    except TargetExists as exists:
        busy(False)
        shown = printable(exists.path, keep_newlines=False)

        def answered(yes: bool | None) -> None:
            if yes:
                again = write_asking(
                    dialog,
                    write,
                    group=group,
                    question=question,
                    busy=busy,
                    error=error,
                    written=written,
                    replace=True,
                )
                dialog.run_worker(again, exclusive=False)
            else:
                error(_("{path} exists; nothing written. Choose another name.").format(path=shown))

        dialog.app.push_screen(
            ConfirmDialog(
                N_("Replace the file?"),
                Content(question.format(path=shown)),
                confirm_label=N_("Replace"),
            ),
            answered,
        )
        return
    except CoprodError as failure:
        busy(False)
        error(_("Not exported: {error}").format(error=failure))
        return
    except Exception as failure:  # noqa: BLE001 - one line, the dialog stays open
        busy(False)
        error(_("Not exported ({error}); try again.").format(error=type(failure).__name__))
        return
    busy(False)
    written(result)
