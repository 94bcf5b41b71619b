"""A small form for the case's title and fields (setting, role, date, ...).

The template says which fields a case carries; a field the case holds but the
template no longer names is still shown, so nothing is silently dropped.
Dismisses with the new ``(title, fields)`` or ``None`` when cancelled.
"""

from __future__ import annotations

import re
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select

from coprod_tui.core.i18n import _
from coprod_tui.core.template import FieldSpec
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDate(Validator):
    """Empty, or a real date written YYYY-MM-DD."""

    def validate(self, value: str) -> ValidationResult:
        value = value.strip()
        if not value:
            return self.success()
        if _DATE.fullmatch(value):
            try:
                date.fromisoformat(value)
                return self.success()
            except ValueError:
                pass
        return self.failure(_("Write the date as YYYY-MM-DD, e.g. 2024-03-01"))


def _shown(value: str) -> str:
    """A value as an Input may show it: one line, no control characters.

    Input hands its characters to the terminal as they are, so an escape
    sequence stored in a title must not reach it.
    """
    return printable(value, keep_newlines=False)


def _input_id(field_id: str) -> str:
    return "field-" + "".join(ch if ch.isalnum() else "_" for ch in field_id)


class FieldsFormScreen(ModalDialog[tuple[str, dict[str, str]] | None]):
    """Edit the case's title and fields."""

    DEFAULT_CSS = """
    FieldsFormScreen VerticalScroll {
        height: auto;
        max-height: 16;
    }
    FieldsFormScreen .field-row {
        height: auto;
    }
    FieldsFormScreen .field-label {
        width: 14;
        padding: 1 1 0 0;
    }
    FieldsFormScreen Input, FieldsFormScreen Select {
        width: 1fr;
    }
    FieldsFormScreen #fields-buttons {
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close without changing anything",
            id="details.cancel",
        ),
        Binding(
            "ctrl+s", "save", "Save fields", tooltip="Save the title and fields", id="details.save"
        ),
    ]

    SCROLLS = "#fields-scroll"

    def __init__(self, title: str, specs: tuple[FieldSpec, ...], values: dict[str, str]) -> None:
        super().__init__()
        self._title = title
        self._specs = list(specs)
        known = {spec.id for spec in specs}
        # Fields the case holds but the template does not name: shown, never dropped.
        self._specs += [FieldSpec(id=key, label=key) for key in values if key not in known]
        self._values = dict(values)

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel -form") as frame:
            frame.border_title = _("Case details")
            frame.border_subtitle = _("Ctrl+S save · Esc cancel")
            with VerticalScroll(id="fields-scroll"):
                with Horizontal(classes="field-row"):
                    yield Label(_("Title"), classes="field-label")
                    yield Input(
                        _shown(self._title),
                        id="field-title-input",
                        select_on_focus=False,
                    )
                for spec in self._specs:
                    label = spec.label + (" *" if spec.required else "")
                    with Horizontal(classes="field-row"):
                        yield Label(plain(label, one_line=True), classes="field-label")
                        yield self._field_widget(spec)
            with ButtonRow(id="fields-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")
        yield KeyFooter()

    def _field_widget(self, spec: FieldSpec) -> Input | Select[str]:
        value = _shown(self._values.get(spec.id, ""))
        if spec.type == "choice" and spec.choices:
            choices = list(spec.choices)
            if value and value not in choices:
                choices.append(value)
            return Select(
                [(choice, choice) for choice in choices],
                value=value if value else Select.NULL,
                id=_input_id(spec.id),
                allow_blank=True,
            )
        if spec.type == "date":
            return Input(
                value,
                placeholder=_("YYYY-MM-DD"),
                validators=[IsoDate()],
                id=_input_id(spec.id),
                select_on_focus=False,
            )
        return Input(value, id=_input_id(spec.id), select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one("#field-title-input", Input).focus()

    def _collect(self) -> tuple[str, dict[str, str]] | None:
        values: dict[str, str] = {}
        for spec in self._specs:
            widget = self.query_one(f"#{_input_id(spec.id)}")
            if isinstance(widget, Select):
                value = widget.value
                values[spec.id] = "" if value is Select.NULL else str(value)
            elif isinstance(widget, Input):
                result = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    widget.focus()
                    self.notify(
                        f"{spec.label}: {result.failure_descriptions[0]}",
                        severity="error",
                        markup=False,
                    )
                    return None
                values[spec.id] = widget.value.strip()
        title = self.query_one("#field-title-input", Input).value.strip()
        if not title:
            self.notify(_("The case needs a title."), severity="error")
            return None
        return title, values

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save the title and fields."""
        result = self._collect()
        if result is not None:
            self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
