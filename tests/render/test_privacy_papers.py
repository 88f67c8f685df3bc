"""The privacy papers (#22 item 4), filled in from the workspace's real settings and the model card: every value
names its source, what riskscreen cannot know is left for the school, and docs/privacy/ shows the sample school's
papers as `make docs` writes them.

Sources: AVG art. 35 (DPIA), art. 30 (processing register), art. 13/14 (informing students and parents), art. 22
(people decide); the Dutch government's Algoritmeregister."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from tests.helpers import run

from riskscreen.api.privacy import sample_papers

DOCS = Path(__file__).parents[2] / "docs" / "privacy"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_docs_privacy_holds_the_sample_schools_papers_as_make_docs_writes_them(lang: str) -> None:
    papers = sample_papers(lang)
    assert sorted(papers) == sorted(p.name for p in (DOCS / lang).glob("*.md"))
    for name, text in papers.items():
        assert (DOCS / lang / name).read_text(encoding="utf-8") == text, f"run `make docs`: {lang}/{name}"


def test_every_filled_in_value_names_its_source() -> None:
    dpia = sample_papers("nl")["dpia.md"]
    assert "- Convenant met het jongerenwerk: 01-08-2026 t/m 31-07-2027 (bron: instellingen van de werkmap)" in dpia
    assert "worden na 52 weken verwijderd met `riskscreen history prune`. (bron: instellingen van de werkmap)" in dpia
    assert "- Model: demo, gemaakt op" in dpia and "ROC AUC 0,89 (0,87-0,92)" in dpia
    assert "een geboortedatum" in dpia and "a date of birth" not in dpia  # the refused kinds in Dutch
    register = sample_papers("nl")["verwerkingsregister.md"]
    assert "- Grondslag (AVG art. 6): [in te vullen door de school]" in register


def test_the_command_writes_markdown_and_pdf_from_a_workspace_and_never_overwrites(
    week48: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    assert run("sharing", "set", "111016", "--basis", "bekend", "--on", "2026-11-02", "--workspace", ws).exit_code == 0
    out = tmp_path / "papieren"
    made = run("privacy", "-o", out, "--workspace", ws)
    assert made.exit_code == 0, made.stderr
    assert "10 bestanden geschreven in" in made.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in out.iterdir())
    checklist = (out / "checklist-school.md").read_text(encoding="utf-8")
    assert "- [ ] Een bewaartermijn: zet `retention_weeks` in de instellingen van de werkmap." in checklist
    assert 'grondslag "bekend"' in checklist
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(out / "dpia.pdf").pages)
    assert "Er is geen bewaartermijn ingesteld" in pdf and "Vastgelegde grondslagen per leerling: bekend 1" in pdf
    again = run("privacy", "-o", out, "--workspace", ws)
    assert again.exit_code == 2 and "bestaat al" in again.stderr
    english = run("privacy", "-o", tmp_path / "papers", "--workspace", ws, "--lang", "en")
    assert english.exit_code == 0 and (tmp_path / "papers" / "information-students-and-parents.pdf").is_file()


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("privacy", "-o", blocker / "papers", "--workspace", tmp_path / "ws")
    assert result.exit_code == 1
    assert f"fout: de map {blocker / 'papers'} kan niet worden gemaakt" in result.stderr
    assert "Traceback" not in result.stderr and "onverwachte fout" not in result.stderr
