"""Every binding of the workbench, gathered from the classes that declare them.

The one module that imports every screen, dialog and widget with bindings:
the keymap check (``ui/keymap.py``) and the README's table of binding ids
read them from here, and ``ui/launch.py`` (the composition root) hands the
known ids to the app, so no screen imports this module and no cycle forms.
"""

from __future__ import annotations

from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

from coprod_tui.ui.keymap import own_bindings


def binding_classes() -> list[type[DOMNode]]:
    """Every class of coprod's that declares bindings."""
    from coprod_tui.ui.app import CoprodApp
    from coprod_tui.ui.dialogs.base import ModalDialog
    from coprod_tui.ui.dialogs.confirm import ConfirmDialog
    from coprod_tui.ui.dialogs.conflict import ConflictScreen
    from coprod_tui.ui.dialogs.export import ExportDialog
    from coprod_tui.ui.dialogs.export_section import ExportSectionDialog
    from coprod_tui.ui.dialogs.fields_form import FieldsFormScreen
    from coprod_tui.ui.dialogs.history import HistoryScreen
    from coprod_tui.ui.dialogs.identifiers import IdentifiersDialog
    from coprod_tui.ui.dialogs.insight_form import InsightForm
    from coprod_tui.ui.dialogs.matrix_export import MatrixExportDialog
    from coprod_tui.ui.dialogs.orphans import OrphansScreen
    from coprod_tui.ui.dialogs.plan_form import PlanForm
    from coprod_tui.ui.dialogs.tags import CurrentTags, TagPickerDialog, TagsDialog
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen
    from coprod_tui.ui.screens.case_list import CaseListScreen, CaseTable, QuickFilter
    from coprod_tui.ui.screens.coverage import CoverageScreen, CoverageTable
    from coprod_tui.ui.screens.help import HelpScreen
    from coprod_tui.ui.screens.insight_detail import InsightDetailScreen, LinkList, SuggestionList
    from coprod_tui.ui.screens.insights import InsightFilterBox, InsightsScreen, InsightTable
    from coprod_tui.ui.screens.now_what import NowWhatScreen, PlanList
    from coprod_tui.ui.screens.perspectives import PerspectivesScreen
    from coprod_tui.ui.screens.search import ResultList, SearchBox, SearchScreen
    from coprod_tui.ui.screens.section_review import SectionReviewScreen
    from coprod_tui.ui.screens.trash import TrashScreen, TrashTable
    from coprod_tui.ui.widgets.section_nav import SectionNav

    return [
        CoprodApp,
        CaseListScreen,
        CaseTable,
        QuickFilter,
        CaseEditorScreen,
        SectionNav,
        TrashScreen,
        TrashTable,
        ModalDialog,
        ConfirmDialog,
        ConflictScreen,
        HistoryScreen,
        FieldsFormScreen,
        OrphansScreen,
        TagsDialog,
        TagPickerDialog,
        CurrentTags,
        HelpScreen,
        SearchScreen,
        SearchBox,
        ResultList,
        PerspectivesScreen,
        SectionReviewScreen,
        CoverageScreen,
        CoverageTable,
        NowWhatScreen,
        PlanList,
        PlanForm,
        MatrixExportDialog,
        ExportSectionDialog,
        ExportDialog,
        InsightsScreen,
        InsightFilterBox,
        InsightTable,
        InsightDetailScreen,
        LinkList,
        SuggestionList,
        InsightForm,
        IdentifiersDialog,
    ]


@cache
def known_bindings() -> dict[str, Binding]:
    """Every coprod binding by id (the first declaration of an id wins)."""
    found: dict[str, Binding] = {}
    for node_class in binding_classes():
        for binding in own_bindings(node_class):
            if binding.id and binding.id not in found:
                found[binding.id] = binding
    return found


def keymap_table() -> list[tuple[str, str, str]]:
    """(id, default keys, what it does) for every binding, for ``coprod keys`` and the README."""
    rows = []
    for binding_id, binding in sorted(known_bindings().items()):
        does = (binding.tooltip or binding.description).rstrip(".")
        rows.append((binding_id, binding.key, does))
    return rows
