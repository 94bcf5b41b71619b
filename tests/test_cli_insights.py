"""`coprod insight new/show/link/plan/trash`, `coprod insights`, `coprod plans`.

Cases, people and places are invented. Failures are one line, exit 2 for bad input.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from tests.cli_helpers import isolate, one_line

TEXT = "Fru Ekblad (fiktiv) ville inte bli inlagd förrän dottern i Tallbacka visste om det.\n"
QUOTE = "ville inte bli inlagd"


class Run:
    def __init__(self, store: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
        self.store, self.capsys, self.monkeypatch = store, capsys, monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        self.monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        )
        try:
            code = main(["--store", str(self.store), *args])
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(tmp_path: Path, capsys, monkeypatch) -> Run:
    isolate(monkeypatch, tmp_path)
    return Run(tmp_path / "store", capsys, monkeypatch)


@pytest.fixture
def case_id(run: Run) -> str:
    code, out, err = run("new", "Akutbesök, Tallbacka (fiktivt)")
    assert code == 0, err
    case_id = out.split()[-1]
    code, _out, err = run("write", case_id, "5", stdin=TEXT.encode())
    assert code == 0, err
    return case_id


def new_insight(run: Run, case_id: str, *extra: str, stdin: bytes = b"") -> str:
    code, out, err = run(
        "insight", "new", "Patienter väntar på familjen", "--link", f"{case_id[:6]}:5",
        "--quote", QUOTE, *extra, stdin=stdin,
    )  # fmt: skip
    assert code == 0, err
    return out.split()[2]


def test_new_links_a_quote_and_show_tells_where_it_is_now(run, case_id):
    stdin = "Två av fyra fall väntar in en anhörig.\n".encode()
    insight_id = new_insight(run, case_id, "--tag", "väntan", "--text", "-", stdin=stdin)
    code, out, _err = run("insight", "show", insight_id[:6])
    assert code == 0 and "Två av fyra fall väntar in en anhörig." in out
    assert "Patienter väntar på familjen" in out and "tags: väntan" in out
    assert "Akutbesök, Tallbacka (fiktivt)" in out and "— found" in out
    assert f"quoted: “{QUOTE}”" in out

    run("write", case_id, "5", stdin=("Tillägg. " + TEXT).encode())
    code, out, _err = run("insight", "show", insight_id, "--json")
    (link,) = json.loads(out)["links"]
    assert (link["status"], link["passage"], link["section_now"]) == ("moved", QUOTE, "condition")


def test_a_quote_not_in_the_section_is_exit_2_and_nothing_is_made(run, case_id):
    code, _out, err = run(
        "insight", "new", "Fel", "--link", f"{case_id}:5", "--quote", "står inte där"
    )
    assert code == 2
    assert "the quote does not occur in section condition" in one_line(err)
    assert json.loads(run("insights", "--json")[1]) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nocolon", "is not CASE:SECTION"),
        ("ffffffff:5", "no case with id"),
        ("{id}:99", "no section 99"),
        ("{id}:nosuch", "no section 'nosuch'"),
    ],
)
def test_a_bad_link_target_is_one_line_exit_2(run, case_id, target, message):
    code, _out, err = run("insight", "new", "Fel", "--link", target.format(id=case_id[:8]))
    assert code == 2 and message in one_line(err)


def test_link_adds_a_section_once(run, case_id):
    insight_id = new_insight(run, case_id)
    code, out, _err = run("insight", "link", insight_id[:8], f"{case_id[:8]}:situation")
    assert code == 0 and "2 link(s)" in out
    code, out, _err = run("insight", "link", insight_id[:8], f"{case_id[:8]}:situation")
    assert code == 0 and "already has that link" in out


def test_insights_lists_and_filters_by_tag(run, case_id):
    tagged = new_insight(run, case_id, "--tag", "Väntan")
    code, out, err = run("insight", "new", "Annat", "--link", f"{case_id}:1")
    assert code == 0, err
    code, out, _err = run("insights", "--tag", "väntan", "--json")
    assert [row["id"] for row in json.loads(out)] == [tagged]
    code, out, _err = run("insights")
    assert len(out.strip().splitlines()) == 2


def test_plans_lists_open_plans_oldest_first_with_their_cases(run, case_id):
    late = new_insight(run, case_id)
    early = new_insight(run, case_id)
    code, out, err = run("insight", "plan", late, "--plan", "Fråga i triage", "--start",
                         "2026-12-10")  # fmt: skip
    assert code == 0, err
    run("insight", "plan", early, "--plan", "Ring dottern", "--start", "2026-11-20")
    code, out, _err = run("plans", "--json")
    rows = json.loads(out)
    assert [row["insight_id"] for row in rows] == [early, late]
    assert rows[0]["cases"] == [{"id": case_id, "title": "Akutbesök, Tallbacka (fiktivt)"}]
    run("insight", "plan", early, "--status", "adopted")
    code, out, _err = run("plans")
    assert "Fråga i triage" in out and "Ring dottern" not in out
    code, out, _err = run("plans", "--status", "adopted", "--json")
    assert [row["insight_id"] for row in json.loads(out)] == [early]


def test_a_bad_plan_date_is_one_line_exit_2(run, case_id):
    insight_id = new_insight(run, case_id)
    code, _out, err = run("insight", "plan", insight_id, "--start", "1 december")
    assert code == 2 and "must be a date such as 2026-12-01" in one_line(err)


def test_show_says_when_the_linked_case_was_purged(run, case_id):
    insight_id = new_insight(run, case_id)
    code, _out, err = run("purge", case_id, "--yes")
    assert code == 0, err
    code, out, _err = run("insight", "show", insight_id, "--json")
    (link,) = json.loads(out)["links"]
    assert (link["status"], link["detail"]) == ("case gone", "purged")


def test_trash_hides_an_insight_from_the_list(run, case_id):
    insight_id = new_insight(run, case_id)
    assert run("insight", "trash", insight_id)[0] == 0
    assert json.loads(run("insights", "--json")[1]) == []
    code, out, _err = run("insight", "show", insight_id)
    assert code == 0 and "(in the trash)" in out
    code, _out, err = run("insight", "link", insight_id, f"{case_id}:1")
    assert code == 2 and "in the trash" in one_line(err)
    assert run("insight", "untrash", insight_id[:8])[0] == 0
    assert [row["id"] for row in json.loads(run("insights", "--json")[1])] == [insight_id]


def test_no_store_is_one_line_exit_2(run):
    code, _out, err = run("insights")
    assert code == 2 and "no store at" in one_line(err)


def test_export_all_carries_the_insights_and_import_brings_them_back_once(run, case_id, tmp_path):
    insight_id = new_insight(run, case_id, "--tag", "väntan")
    run("insight", "plan", insight_id, "--plan", "Fråga i triage", "--start", "2026-12-01")
    code, out, err = run("export", "--all")
    assert code == 0, err
    exported = json.loads(out)
    assert exported["version"] == 1  # older coprods read the cases and ignore the insights
    assert [entry["id"] for entry in exported["insights"]] == [insight_id]
    path = tmp_path / "export.json"
    path.write_text(out, encoding="utf-8")
    other = Run(tmp_path / "other", run.capsys, run.monkeypatch)
    code, out, err = other("import", str(path))
    assert code == 0, err
    assert "imported 1 new insight(s)" in out
    code, out, err = other("import", str(path))
    assert "0 new insight(s); 1 already present" in out
    code, out, _err = other("insight", "show", insight_id, "--json")
    shown = json.loads(out)
    assert shown["plan"]["plan"] == "Fråga i triage" and shown["links"][0]["status"] == "found"


def test_a_bad_insight_in_an_import_stops_it_before_anything_is_stored(run, case_id, tmp_path):
    new_insight(run, case_id)
    code, out, _err = run("export", "--all")
    exported = json.loads(out)
    exported["insights"][0]["plan"] = {"status": "klar"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    other = Run(tmp_path / "other", run.capsys, run.monkeypatch)
    code, _out, err = other("import", str(path))
    assert code == 2 and "insight 1" in one_line(err) and "'status' must be one of" in err
    assert not (tmp_path / "other").exists()


def test_a_trashed_insight_goes_back_into_the_trash_on_import(run, case_id, tmp_path):
    insight_id = new_insight(run, case_id)
    run("insight", "trash", insight_id)
    code, out, _err = run("export", "--all")
    assert json.loads(out)["insights"][0]["trashed"] is True
    path = tmp_path / "export.json"
    path.write_text(out, encoding="utf-8")
    other = Run(tmp_path / "other", run.capsys, run.monkeypatch)
    assert other("import", str(path))[0] == 0
    assert json.loads(other("insights", "--json")[1]) == []
    assert json.loads(other("insight", "show", insight_id, "--json")[1])["trashed"] is True


def test_a_section_renamed_in_a_team_template_still_resolves(run, case_id, tmp_path):
    from coprod_tui.core.template.registry import shipped_templates_dir

    insight_id = new_insight(run, case_id)
    shipped = (shipped_templates_dir() / "batalden-primary-care.yaml").read_text(encoding="utf-8")
    assert "version: 1\n" in shipped and "  - id: condition\n" in shipped
    renamed = shipped.replace("version: 1\n", "version: 2\n", 1).replace(
        "  - id: condition\n", "  - id: health\n    renamed_from: [condition]\n", 1
    )
    team = tmp_path / "team"
    team.mkdir()
    (team / "batalden-primary-care.yaml").write_text(renamed, encoding="utf-8")
    run.monkeypatch.setenv("COPROD_TEMPLATES", str(team))
    code, out, err = run("insight", "show", insight_id, "--json")
    assert code == 0, err
    (link,) = json.loads(out)["links"]
    assert (link["status"], link["section_now"], link["passage"]) == ("found", "health", QUOTE)


def test_a_damaged_insight_is_named_by_the_listing_not_hidden(run, case_id):
    kept = new_insight(run, case_id)
    broken = new_insight(run, case_id)
    [path] = [p for p in (run.store / "insights").iterdir() if p.name.startswith(broken)]
    path.write_text('{"not json', encoding="utf-8")
    code, out, err = run("insights")
    assert code == 0
    assert kept[:8] in out and broken[:8] not in out
    assert one_line(err) and "1 insight(s) could not be read" in err and "coprod doctor" in err
