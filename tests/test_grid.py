"""Blueprint grids: export to CSV and XLSX, import back, hostile cells, errors by cell."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import journeymap
from journeymap.cli import main
from journeymap.grid import FORMATS, GridError, GridFormat, export_grid, import_grid, one_line
from journeymap.grid.cells import defuse, restore
from journeymap.grid.layout import LANES as GRID_LANES
from journeymap.grid.layout import column_name
from journeymap.loader import reads
from journeymap.loader.scenario import changed_journey
from journeymap.model import Journey
from tests.conftest import EXAMPLES, example_files

PARCEL = EXAMPLES / "parcel-delivery.yaml"
LANES = tuple(lane for lane, _key in GRID_LANES)


def _imported(journey: Journey, fmt: GridFormat) -> Journey:
    data = export_grid(journey, fmt)
    text = import_grid(data, fmt, f"grid.{fmt}", journey.id, journey.title)
    loaded = reads(text, "imported.yaml")
    assert loaded.errors == ()
    assert loaded.journey is not None
    return loaded.journey


def _blueprint(journey: Journey) -> list[object]:
    """What the grid carries: stages, touchpoints in order, lanes, channel roles, emotions."""
    return [
        [(stage.id, stage.label) for stage in journey.stages],
        [
            (
                tp.id,
                tp.stage,
                tp.label,
                {lane: [one_line(item) for item in getattr(tp, lane)] for lane in LANES},
                {channel: use.role for channel, use in tp.channels.items()},
                tp.emotion,
            )
            for tp in journey.touchpoints
        ],
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", example_files(), ids=lambda path: path.stem)
def test_round_trip_keeps_the_blueprint(path: Path, fmt: GridFormat) -> None:
    journey = journeymap.load(path)
    back = _imported(journey, fmt)
    assert _blueprint(back) == _blueprint(journey)
    assert back.locale == journey.locale
    assert [step.next[0].to for step in back.touchpoints[:-1]] == [
        tp.id for tp in back.touchpoints[1:]
    ]
    assert back.touchpoints[-1].next == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_ranges_stay_out_of_the_grid_as_every_probability_does(fmt: GridFormat) -> None:
    journey = journeymap.load(PARCEL)
    ranged = changed_journey(
        journey,
        [
            {"set": {"path": "defaults.retry", "value": [0.5, 0.9]}},
            {"set": {"path": "touchpoints.order.channels.web.resolve", "value": ["90%", "99%"]}},
        ],
    )
    assert export_grid(ranged, "csv") == export_grid(journey, "csv")
    assert _blueprint(_imported(ranged, fmt)) == _blueprint(journey)


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_examples_validate(tmp_path: Path, fmt: str) -> None:
    for path in example_files():
        grid = tmp_path / f"{path.stem}.{fmt}"
        out = tmp_path / f"{path.stem}.{fmt}.yaml"
        assert main(["export", str(path), "-o", str(grid)]) == 0
        assert main(["import", str(grid), "-o", str(out)]) == 0
        assert main(["validate", str(out)]) == 0, path.name


HOSTILE = ["=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "'=quoted", "''@twice", "-1", "'plain", "=", "-"]


def _hostile() -> Journey:
    journey = journeymap.load(PARCEL)
    first = journey.touchpoints[0].model_copy(
        update={"customer": HOSTILE, "title": '=HYPERLINK("http://x")', "pain_points": ["@x"]}
    )
    stage = journey.stages[0].model_copy(update={"title": "+Buy"})
    return journey.model_copy(
        update={
            "touchpoints": [first, *journey.touchpoints[1:]],
            "stages": [stage, *journey.stages[1:]],
        }
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_cells_read_back_as_written(fmt: GridFormat) -> None:
    journey = _hostile()
    assert _blueprint(_imported(journey, fmt)) == _blueprint(journey)


def test_csv_cells_never_start_a_formula() -> None:
    data = export_grid(_hostile(), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            assert not cell.startswith("-") or cell.lstrip("-").isdigit(), cell
    assert rows[2][1] == '\'=HYPERLINK("http://x")'
    assert rows[0][1] == "'+Buy"
    assert rows[4][1].splitlines()[0] == "'=SUM(A1:A9)"


def test_xlsx_cells_are_text_not_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_grid(_hostile(), "xlsx")))
    sheet = book.active
    assert sheet is not None
    assert sheet["B3"].value == '=HYPERLINK("http://x")'
    assert sheet["B3"].data_type == "s"
    assert sheet["B3"].quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1", "'=1"),
        ("+x", "'+x"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("'=1", "''=1"),
        ("-1", "-1"),
        ("-2.5", "-2.5"),
        ("'x", "'x"),
        ("plain", "plain"),
    ],
)
def test_defuse_and_restore(text: str, written: str) -> None:
    assert defuse(text) == written
    assert restore(written) == text


def test_csv_layout() -> None:
    data = export_grid(journeymap.load(PARCEL), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows] == [
        "Stage", "id", "Touchpoint", "id", "Customer actions", "Frontstage", "Backstage",
        "Support processes", "Physical evidence", "Pain points", "Opportunities", "Channels",
        "Emotion",
    ]  # fmt: skip
    assert rows[0] == ["Stage", "Buy", "Wait", "", "Receive"]
    assert rows[3] == ["id", "order", "track", "where-is-my-parcel", "deliver"]
    assert rows[8][4] == "Delivery SMS\nLocker code"
    assert rows[11][3] == "chat: primary\nphone: alternative\ncarrier-phone: not recommended"
    assert rows[12] == ["Emotion", "1", "0", "-2", "2"]


def test_finnish_labels_and_roles() -> None:
    data = export_grid(journeymap.load(PARCEL), "csv", locale="fi")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "Vaihe"
    assert rows[4][0] == "Asiakkaan toiminta"
    assert rows[11][1] == "web: ensisijainen\napp: vaihtoehtoinen"
    text = import_grid(data, "csv", "ruudukko.csv", "paketti")
    journey = journeymap.loads(text)
    assert journey.locale == "fi"
    assert {cid: use.role for cid, use in journey.touchpoints[0].channels.items()} == {
        "web": "primary",
        "app": "alternative",
    }


def test_xlsx_layout() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_grid(journeymap.load(PARCEL), "xlsx")))
    sheet = book.active
    assert sheet is not None
    assert sheet.freeze_panes == "B5"
    assert sheet["A5"].value == "Customer actions"
    assert sheet["A5"].font.bold
    assert sheet["B3"].font.bold
    assert sheet["B5"].alignment.wrap_text
    assert "C1:D1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["B13"].value == 1
    assert sheet.column_dimensions["A"].width == 22
    assert 12 <= (sheet.column_dimensions["B"].width or 0) <= 34


WORKSHOP = """\
Vaihe;Hae tukea;;Odota
Kosketuspiste;Täytä hakemus;Täytä hakemus;Kysy tilaa
Asiakkaan toiminta;Täyttää lomakkeen;Liittää tiedot;Soittaa
Kipupisteet;;;"Ei tiedä
kauanko kestää"
Kanavat;asiointipalvelu: ensisijainen;;Puhelin: eskalointi
Tunne;1;;–2
"""


def test_workshop_grid_in_finnish_excel_csv(tmp_path: Path) -> None:
    grid = tmp_path / "työpaja.csv"
    grid.write_bytes(WORKSHOP.replace("\n", "\r\n").encode("cp1252"))
    out = tmp_path / "journey.yaml"
    assert main(["import", str(grid), "-o", str(out), "--title", "Asumistuki"]) == 0
    text = out.read_text("utf-8")
    assert text.split("journeymap: 1\n")[0] == (
        "# Imported from työpaja.csv by `journeymap import`: a skeleton to fill in.\n"
        "# What to fill in next:\n"
        "# - a description of the journey;\n"
        "# - channels: title, hours, cost and context store of each;\n"
        "# - the kind of asiointipalvelu, puhelin (set to assisted: self-service, assisted, "
        "automated,\n"
        "#   physical or outbound?);\n"
        "# - the channels of täytä-hakemus-2 (none in the grid: given the default channel);\n"
        "# - next: the touchpoints follow each other in the grid's order; add the branches "
        "with their\n"
        "#   probabilities (p), and mark failure-demand steps (demand: failure, cause);\n"
        "# - resolve rates of the channels at each step, failures and their causes;\n"
        "# - then check it: journeymap validate FILE\n"
    )
    journey = journeymap.loads(text)
    assert journey.id == "työpaja"
    assert journey.title == "Asumistuki"
    assert journey.locale == "fi"
    assert [(s.id, s.title) for s in journey.stages] == [
        ("hae-tukea", "Hae tukea"),
        ("odota", "Odota"),
    ]
    assert [tp.id for tp in journey.touchpoints] == [
        "täytä-hakemus",
        "täytä-hakemus-2",
        "kysy-tilaa",
    ]
    assert [tp.stage for tp in journey.touchpoints] == ["hae-tukea", "hae-tukea", "odota"]
    assert journey.touchpoints[1].channels["asiointipalvelu"].role == "primary"
    assert journey.touchpoints[2].pain_points == ["Ei tiedä", "kauanko kestää"]
    assert journey.touchpoints[2].channels["puhelin"].role == "escalation"
    assert [tp.emotion for tp in journey.touchpoints] == [1, None, -2]
    assert main(["validate", str(out)]) == 0


def test_grid_without_channels_gets_the_default_one() -> None:
    text = import_grid(b"Stage,Order\nTouchpoint,Pay\n", "csv", "g.csv", "shop")
    journey = journeymap.loads(text)
    assert {cid: use.role for cid, use in journey.touchpoints[0].channels.items()} == {
        "web": "primary"
    }
    assert list(journey.channels) == ["web"]


ERRORS = [
    ("Touchpoint,Pay\n", "grid.csv: no stage row: label a row 'Stage' or 'Vaihe' in column A"),
    (
        "Stage,Buy\nCustomer actions,Pays\n",
        "grid.csv: no touchpoint row: label a row 'Touchpoint' or 'Kosketuspiste' in column A",
    ),
    (
        "Stage,Buy,\nTouchpoint,Pay,\nCustomer actions,Pays,Waits\n",
        "grid.csv: row 2, column C: a touchpoint without a title: give one here, or clear the "
        "column",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nFeelings,Happy\n",
        "grid.csv: row 3, column A: unknown row label 'Feelings'; known labels: Stage, "
        "Touchpoint, Customer actions, Frontstage, Backstage, Support processes, Physical "
        "evidence, Pain points, Opportunities, Channels, Emotion, id (or the Finnish labels)",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\n,Happy\n",
        "grid.csv: row 3, column A: a row with notes but no label; known labels: Stage, "
        "Touchpoint, Customer actions, Frontstage, Backstage, Support processes, Physical "
        "evidence, Pain points, Opportunities, Channels, Emotion, id (or the Finnish labels)",
    ),
    (
        "Stage,,Buy\nTouchpoint,Pay,Wait\n",
        "grid.csv: row 1, column B: a touchpoint before the first stage: give its stage here",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nEmotion,very sad\n",
        "grid.csv: row 3, column B: emotion 'very sad' is not a whole number from -3 to 3",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nEmotion,4\n",
        "grid.csv: row 3, column B: emotion '4' is not a whole number from -3 to 3",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nChannels,web: main\n",
        "grid.csv: row 3, column B: unknown role 'main' for channel web: use primary, "
        "alternative, escalation, not-recommended",
    ),
    (
        'Stage,Buy\nTouchpoint,Pay\nChannels,"web\nweb: primary"\n',
        "grid.csv: row 3, column B: channel web is named twice",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay,Wait\nid,pay,pay\n",
        "grid.csv: row 3, column C: touchpoint id 'pay' is given twice (first in column B)",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nid,Pay Now\n",
        "grid.csv: row 3, column B: 'Pay Now' is not an id: lowercase letters, digits, '-' and "
        "'_' (or leave it empty to make one from the title)",
    ),
    (
        "Stage,Buy\nid,buy\nid,buy\nTouchpoint,Pay\n",
        "grid.csv: row 3, column A: an id row belongs right below the stage row or the "
        "touchpoint row",
    ),
    (
        "Stage,Buy\nTouchpoint,Pay\nVaihe,Osta\n",
        "grid.csv: row 3, column A: a second 'Vaihe' row; the first is row 1",
    ),
    ("Stage,Buy\nTouchpoint\n", "grid.csv: no touchpoints: give their titles in row 2"),
]


@pytest.mark.parametrize(("grid", "message"), ERRORS)
def test_grid_errors_name_the_cell(grid: str, message: str) -> None:
    with pytest.raises(GridError) as raised:
        import_grid(grid.encode(), "csv", "grid.csv", "journey")
    assert str(raised.value) == message


def test_cli_error_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("grid.csv").write_text("Stage,Buy,\nTouchpoint,Pay,\nBackstage,,Ships\n", "utf-8")
    assert main(["import", "grid.csv", "-o", "journey.yaml"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "journeymap: grid.csv: row 2, column C: a touchpoint without a title: give one here, "
        "or clear the column\n"
    )
    assert not Path("journey.yaml").exists()


def test_xlsx_errors_name_the_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Stage", "Buy"], ["Touchpoint", "Pay"], ["Lanes", "x"]):
        sheet.append(row)
    path = tmp_path / "grid.xlsx"
    book.save(path)
    with pytest.raises(GridError, match=r"^grid\.xlsx: row 3, column A: unknown row label 'Lanes'"):
        import_grid(path.read_bytes(), "xlsx", "grid.xlsx", "journey")


def test_unreadable_grids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "grid.xlsx"
    fake.write_text("Stage,Buy\n", "utf-8")
    assert main(["import", str(fake)]) == 2
    assert main(["import", str(tmp_path / "missing.csv")]) == 2
    assert main(["import", str(tmp_path / "grid.txt")]) == 2
    assert main(["import", str(fake), "--id", "Not An Id"]) == 2
    workbook = tmp_path / "book.csv"
    workbook.write_bytes(export_grid(journeymap.load(PARCEL), "xlsx"))
    assert main(["import", str(workbook)]) == 2
    err = capsys.readouterr().err
    assert f"journeymap: {fake}: not a readable XLSX workbook" in err
    assert f"journeymap: {tmp_path / 'missing.csv'}: no such file\n" in err
    assert "cannot tell the grid format of" in err
    assert f"journeymap: {workbook}: not a CSV file (an Excel workbook? name it .xlsx)\n" in err
    assert (
        "journeymap: --id 'Not An Id' is not an id: lowercase letters, digits, '-' and '_'\n" in err
    )
    assert "Traceback" not in err


def test_export_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "grid.xlsx"
    out.write_text("mine", "utf-8")
    assert main(["export", str(PARCEL), "-o", str(out)]) == 2
    assert out.read_text("utf-8") == "mine"
    assert f"{out} exists; pass --force to overwrite it" in capsys.readouterr().err
    assert main(["export", str(PARCEL), "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")
    assert [p.name for p in tmp_path.iterdir()] == ["grid.xlsx"]


def test_export_formats_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(PARCEL), "--to", "csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffStage,Buy,Wait,,Receive")
    assert main(["export", str(PARCEL), "--to", "xlsx"]) == 2
    assert main(["export", str(PARCEL), "-o", str(tmp_path / "grid.txt")]) == 2
    assert main(["export", str(PARCEL), "--to", "csv", "-o", str(tmp_path / "grid.txt")]) == 0
    err = capsys.readouterr().err
    assert "XLSX is binary: give a file with -o, e.g. -o blueprint.xlsx" in err
    assert "cannot tell the grid format of" in err


def test_column_names() -> None:
    assert [column_name(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A", "C", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip
