"""The shipped data is evidence: it validates, and agrees with the source documents word for word.

The transcription tests read the copies of the source documents in tests/sources (see its
README), so they run wherever the tests do; where the team's ../shared/sources is present, as
in CI, the copies are checked against it byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from cheplan.domain.model import Action
from cheplan.loading.load import LoadedPlan, load_plan
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, SOURCES

SOURCE_COPIES = Path(__file__).parent / "sources"
# The digest of each copy: a copy changes only together with this line, on purpose.
SOURCE_SHA256 = {
    "000_3aa4d864ee47ba5b.txt": "bcbe46257f9296f7638cfcc3df25dbfe295962a8359ba3f7568db3bd268c223c",
    "001_2ce005c698edf5f8.txt": "c5ba7e95e4167650a7cbd49dfad3a83155f1c8f5912ce30b070f278df316bf7f",
}
PLAN_SOURCE = SOURCE_COPIES / "000_3aa4d864ee47ba5b.txt"
ELR_SOURCE = SOURCE_COPIES / "001_2ce005c698edf5f8.txt"


def test_the_source_copies_are_the_papers_the_data_was_transcribed_from() -> None:
    for name, digest in SOURCE_SHA256.items():
        copy = (SOURCE_COPIES / name).read_bytes()
        assert hashlib.sha256(copy).hexdigest() == digest, name
        original = SOURCES / name
        if original.exists():  # the team's workspace (and CI) has ../shared beside the checkout
            assert original.read_bytes() == copy, f"tests/sources/{name} differs from {original}"


@pytest.fixture(scope="module")
def shipped() -> LoadedPlan:
    return load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER])


def squash(text: str) -> str:
    return " ".join(text.split())


def test_38_actions_numbered_1_to_38(shipped: LoadedPlan) -> None:
    assert [a.id for a in shipped.plan.actions] == list(range(1, 39))


def test_plan_metadata(shipped: LoadedPlan) -> None:
    meta = shipped.plan.plan
    assert meta.approved is not None
    assert (meta.approved.by, meta.approved.date) == ("Cabinet", "2020-04-07")
    assert (meta.period.start, meta.period.end) == ("2020-04", "2021-03")
    assert [s.code for s in meta.recommendation_key] == ["SSYVP", "JSNA", "LVRU", "SELR"]
    assert [t.id for t in shipped.plan.themes] == [
        "governance",
        "root-causes",
        "transforming-lives",
        "targeting-lawbreakers",
    ]


def test_register_has_15_numbered_5_practitioner_and_1_lead_in(shipped: LoadedPlan) -> None:
    [register] = shipped.registers
    ids = [r.id for r in register.recommendations]
    assert ids == ["SELR-F1", *(f"SELR-{n}" for n in range(1, 16)), *(f"SELR-P{n}" for n in range(1, 6))]
    assert [r.number for r in register.recommendations if r.number] == list(range(1, 16))


def test_no_progress_is_invented(shipped: LoadedPlan) -> None:
    assert {a.status for a in shipped.plan.actions} == {"not_reported"}
    assert all(a.progress == [] for a in shipped.plan.actions)


@pytest.mark.parametrize(
    ("action_id", "field", "printed", "corrected"),
    [
        (34, "id", "32", "34"),
        (12, "recommendations", "JSNA - 1,12", "JSNA-1.12"),
        (15, "recommendations", "JSNA - 1.15 2.4, 2.9", "JSNA-1.15, JSNA-2.4, JSNA-2.9"),
        (24, "recommendations", "LVRU - Prot Edu 1, 2", "LVRU-ProtEd-1, LVRU-ProtEd-2"),
        (3, "recommendations", "SSVVP - 8", "SSYVP-8"),
    ],
)
def test_known_source_errors_are_kept_and_corrected_beside(
    shipped: LoadedPlan, action_id: int, field: str, printed: str, corrected: str
) -> None:
    action = shipped.plan.action(action_id)
    assert action is not None
    assert any(n.field == field and n.printed == printed and n.corrected == corrected for n in action.source_notes)


def test_action_34_keeps_the_printed_number_on_record(shipped: LoadedPlan) -> None:
    action = shipped.plan.action(34)
    assert action is not None
    assert action.action.startswith("Facilitate community involvement")


def test_canonical_references_keep_bare_decimals_exact(shipped: LoadedPlan) -> None:
    action = shipped.plan.action(11)
    assert action is not None
    assert "JSNA-1.10" in action.recommendations


# --- agreement with the source documents --------------------------------------------------

SOURCE_CODES = r"(SELR|JSNA|SSYVP|SSVVP|LVRU)"


def parse_printed_references(cell: str) -> list[str]:
    """Read a recommendations cell the way it is printed, without corrections."""
    references = []
    for match in re.finditer(SOURCE_CODES + r"\s*[-:]?\s*(.*?)(?=" + SOURCE_CODES + r"|$)", cell):
        source, rest = match.group(1), match.group(2)
        if source == "LVRU":
            code = "".join(re.findall(r"[A-Za-z]+", rest))
            numbers = re.findall(r"\d+", rest)
            references += [f"LVRU-{code}-{n}" for n in numbers] or [f"LVRU-{code}"]
        else:
            references += [f"{source}-{item}" for item in re.findall(r"\d+(?:\.\d+)?", rest)]
    return references


def test_printed_reference_parser() -> None:
    assert parse_printed_references("SELR - 1, 3, 4 JSNA - 1.7, 3.2") == [
        "SELR-1",
        "SELR-3",
        "SELR-4",
        "JSNA-1.7",
        "JSNA-3.2",
    ]
    assert parse_printed_references("LVRU - Tar Law 4 LVRU - Keep DWOS") == ["LVRU-TarLaw-4", "LVRU-KeepDWOS"]


def test_references_follow_the_printed_cell_or_record_why_not(shipped: LoadedPlan) -> None:
    """Every difference between the printed cell and the canonical list is a recorded correction."""
    unexplained = []
    for action in shipped.plan.actions:
        assert action.recommendations_printed is not None
        if parse_printed_references(action.recommendations_printed) != action.recommendations and not any(
            n.field == "recommendations" for n in action.source_notes
        ):
            unexplained.append(action.id)
    assert unexplained == []


def source_rows() -> dict[int, list[str]]:
    """The plan table's rows from the source, keyed by position (1..38), as tab-split cells."""
    rows = []
    for line in PLAN_SOURCE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 7:
            continue
        # Rows start with an (often empty) theme cell; two rows lack it (a conversion artefact).
        if not cells[1].isdigit() and cells[0].isdigit():
            cells = ["", *cells]
        if cells[1].isdigit():
            rows.append(cells)
    return dict(enumerate(rows, start=1))


def month(printed: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    name, year = printed.split("-")
    return f"20{year}-{names.index(name) + 1:02d}"


def test_every_action_agrees_with_the_source_table(shipped: LoadedPlan) -> None:
    rows = source_rows()
    assert len(rows) == 38
    for position, action in enumerate(shipped.plan.actions, start=1):
        _, number, text, outcomes, lead, start, end, refs = rows[position][:8]
        printed_id = int(number)
        assert printed_id == action.id or _corrected(action, "id", number), action.id
        assert squash(action.action) == squash(text), action.id
        assert squash(action.outcomes) == squash(outcomes), action.id
        assert action.lead_printed == lead, action.id
        assert (action.start, action.end) == (month(start), month(end)), action.id
        assert action.recommendations_printed == refs.strip(), action.id


def _corrected(action: Action, field: str, printed: str) -> bool:
    return any(n.field == field and n.printed == printed for n in action.source_notes)


def test_lead_lists_use_only_words_of_the_printed_cell(shipped: LoadedPlan) -> None:
    for action in shipped.plan.actions:
        assert action.lead_printed is not None
        for organisation in action.lead:
            assert organisation in action.lead_printed, action.id


def test_register_text_is_verbatim(shipped: LoadedPlan) -> None:
    source = squash(ELR_SOURCE.read_text(encoding="utf-8"))
    for recommendation in shipped.registers[0].recommendations:
        for paragraph in recommendation.text.split("\n\n"):
            assert squash(paragraph) in source, recommendation.id


def test_themes_and_notes_quote_the_source(shipped: LoadedPlan) -> None:
    source = squash(PLAN_SOURCE.read_text(encoding="utf-8"))
    for theme in shipped.plan.themes:
        assert theme.title in source
        assert squash(theme.description) in source
    for action in shipped.plan.actions:
        for note in action.source_notes:
            assert squash(note.printed) in source, (action.id, note.printed)


def test_shipped_files_declare_their_json_schema() -> None:
    for path in (SHIPPED_PLAN, SHIPPED_REGISTER):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schema/")
        assert (path.parent / first.split("=", 1)[1]).resolve().parent == (
            Path(path).parent.parent / "schema"
        ).resolve()


def test_every_printed_lead_resolves_to_one_of_15_organisations(shipped: LoadedPlan) -> None:
    from cheplan.questions.organisations import ALL_PARTNERS, directory_of

    directory = directory_of(shipped.plan)
    assert len(shipped.plan.organisations) == 15
    resolved = {lead: directory.resolve(lead) for a in shipped.plan.actions for lead in a.lead if lead != ALL_PARTNERS}
    assert None not in resolved.values()
    assert len(resolved) == 22  # the printed forms, before the directory joins them
    assert resolved["Community Safety"] == resolved["LBS Community Safety Partnerships"] == "lbs-community-safety"
    assert resolved["Public Health"] == resolved["LBS Public Health"] == "lbs-public-health"
    assert resolved["Family Early Help"] == resolved["LBS Family Early Help"] == "lbs-family-early-help"
    assert resolved["MPS"] == resolved["MPS Southwark"] == "mps-southwark"
    # Every organisation leads something: none is in the directory for nothing.
    assert set(resolved.values()) == {o.id for o in shipped.plan.organisations}


def test_directory_names_are_printed_leads_and_every_other_mapping_is_noted(shipped: LoadedPlan) -> None:
    printed_leads = {lead for a in shipped.plan.actions for lead in a.lead}
    for organisation in shipped.plan.organisations:
        assert organisation.contact is None  # the plan gives no contact for any lead: none are invented
        assert set(organisation.aliases) <= printed_leads, organisation.id
        noted = {note.printed for note in organisation.source_notes}
        for alias in organisation.aliases:
            assert any(alias in printed for printed in noted) or alias.upper() == organisation.id.upper(), alias
        if organisation.name not in printed_leads:
            assert organisation.source_notes, organisation.id


def test_organisation_notes_quote_printed_lead_cells(shipped: LoadedPlan) -> None:
    text = squash(PLAN_SOURCE.read_text(encoding="utf-8"))
    for organisation in shipped.plan.organisations:
        for note in organisation.source_notes:
            # No way round: a note may not "quote" a name the directory made up.
            assert squash(note.printed) in text, (organisation.id, note.printed)


def test_a_name_not_printed_as_a_lead_says_where_it_comes_from(shipped: LoadedPlan) -> None:
    # "National Probation Service" and "LBS Culture & Leisure" are not printed in any lead
    # cell: each needs a note on its name, not just notes on its aliases.
    printed_leads = {lead for a in shipped.plan.actions for lead in a.lead}
    unprinted = set()
    for organisation in shipped.plan.organisations:
        if organisation.name not in printed_leads:
            unprinted.add(organisation.id)
            assert any(note.field == "name" for note in organisation.source_notes), organisation.id
        for note in organisation.source_notes:
            if note.corrected is not None:
                assert note.corrected in {organisation.name, *organisation.aliases}, (organisation.id, note.printed)
    assert unprinted == {"nps", "lbs-culture-leisure"}


def test_uncertain_lead_mapping_gives_no_correction(shipped: LoadedPlan) -> None:
    # "Community Safety" on its own could be the multi-agency Community Safety Partnership the
    # board list names: the mapping is a reading, not a certain correction.
    (note,) = [n for o in shipped.plan.organisations for n in o.source_notes if n.printed == "Community Safety"]
    assert note.corrected is None
    assert "Community Safety Partnership" in note.note


def test_organisation_notes_quote_the_sources_exactly(shipped: LoadedPlan) -> None:
    sources = squash(PLAN_SOURCE.read_text(encoding="utf-8") + " " + ELR_SOURCE.read_text(encoding="utf-8"))
    for organisation in shipped.plan.organisations:
        for note in organisation.source_notes:
            for quoted in re.findall(r"“([^”]+)”", note.note):
                for piece in quoted.split("…"):
                    assert squash(piece) in sources, (organisation.id, quoted)
