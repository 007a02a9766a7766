import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from labels.qr import qr_text
from tests.labels.batch_rows import CHILD_LOT, insert_gastrodia_batches
from tests.labels.decoding import decode_png

REPO = Path(__file__).resolve().parents[2]
BASE_URL = "https://trace.jinkouhe.example.cn"
CHILD_URI = f"{BASE_URL}/01/06901234567892/10/{CHILD_LOT}"


@pytest.fixture
def batch_database(db: psycopg.Connection, clean_database: str) -> str:
    insert_gastrodia_batches(db)
    return clean_database


def _render(
    database_url: str, lot: str, fmt: str, output: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "farmtrace",
            "labels",
            "render",
            lot,
            "--format",
            fmt,
            "-o",
            str(output),
            "--database-url",
            database_url,
            "--base-url",
            BASE_URL,
            *extra,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("fmt", ["pdf", "svg", "png", "zpl", "tspl"])
def test_render_command_writes_every_format(batch_database: str, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"label.{fmt}"
    result = _render(batch_database, CHILD_LOT, fmt, output)
    assert result.returncode == 0, result.stderr
    content = output.read_bytes()
    if fmt == "png":
        assert decode_png(content) == [qr_text(CHILD_URI)]
    elif fmt == "pdf":
        assert "金口河天麻" in PdfReader(output).pages[0].extract_text()
    elif fmt == "svg":
        assert "金口河天麻 特级" in content.decode()
        assert f"<title>{CHILD_URI}</title>" in content.decode()
    else:
        assert "金口河天麻 特级" in content.decode()
        assert qr_text(CHILD_URI) in content.decode()


def test_render_command_takes_a_typed_lowercase_lot_and_printer_dpi(
    batch_database: str, tmp_path: Path
) -> None:
    output = tmp_path / "label.zpl"
    result = _render(batch_database, CHILD_LOT.lower(), "zpl", output, "--dpi", "203")
    assert result.returncode == 0, result.stderr
    assert "^PW480\n^LL320" in output.read_text()


def test_render_command_reports_an_unknown_lot(batch_database: str, tmp_path: Path) -> None:
    result = _render(batch_database, "NOSUCHLOT1", "svg", tmp_path / "label.svg")
    assert result.returncode != 0
    assert "no batch with lot code NOSUCHLOT1" in result.stderr
    assert not (tmp_path / "label.svg").exists()
