"""Reports published as PDF and Word files: the real sample PDFs, a .docx made from the
official 2021 template, and the PDFs and Word files nianbao cannot read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import httpx
import pytest
from conftest import SAMPLES, run_nianbao
from nianbao.training.real_documents import load_gold
from PIL import Image

TEMPLATE = SAMPLES / "template_2021_official.docx"
T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services")
T3_COLUMNS += ("other_org", "total")


def _extract(path: Path) -> dict:
    result = run_nianbao("extract", str(path))  # run_nianbao checks the record's schema
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("stem", ["hongze_2023", "hongze_2024", "szfgs_2024"])
def test_a_sample_pdf_extracts_every_cell_of_tables_2_3_and_4(stem):
    """Expected values were read off the rendered pages by hand (annotations/gold/samples)."""
    (expected,) = load_gold()[f"{stem}.pdf"].reports
    record = _extract(SAMPLES / f"{stem}.pdf")

    assert record["source"]["format"] == "pdf"
    (report,) = record["reports"]
    assert (report["year"], report["organization"], report["template"]) == (
        expected["year"],
        expected["organization"],
        expected["template"],
    )
    assert report["tables"] == expected["tables"]
    failed = sorted(c["name"] for c in report["checks"] if not c["ok"])
    assert failed == expected["failing_checks"]  # the documents' own sums, not ours


def test_a_pdf_report_says_the_page_of_every_number():
    report = _extract(SAMPLES / "hongze_2023.pdf")["reports"][0]
    assert report["pages"] == [1, 5]
    assert set(report["cell_pages"]) == set(report["cell_lines"])
    pages = report["cell_pages"]
    assert pages["tables.active_disclosure.regulations.issued"] == 2
    assert pages["tables.applications.new_received.total"] == 3  # table 3 starts on page 3
    assert pages["tables.applications.carried_forward.total"] == 4  # and ends on page 4
    assert pages["tables.review_litigation.review.upheld"] == 4


def test_page_numbers_are_lines_of_their_own_marked_as_furniture():
    result = run_nianbao("label", str(SAMPLES / "hongze_2023.pdf"))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    footers = [r for r in records if re.fullmatch(r"- \d+ -", r["text"])]
    assert [int(r["text"].strip("- ")) for r in footers] == [1, 2, 3, 4, 5]
    assert all(r["page"] == int(r["text"].strip("- ")) for r in footers)
    assert {r["label"] for r in footers} == {"NOISE"}
    assert not [r for r in records if "\t" in r["text"] and re.search(r"- \d+ -", r["text"])]


# --- Word ----------------------------------------------------------------------------------

T2_VALUES = {
    "regulations": [1, 0, 12],
    "normative_documents": [5, 2, 40],
    "licensing": [318],
    "penalty": [57],
    "coercion": [3],
    "fees": [12.5],
}
# Table 3 rows with the applicant columns; the total column is their sum.
T3_ROWS = {
    "new_received": [40, 3, 0, 1, 2, 1],
    "carried_over": [2, 0, 0, 0, 0, 0],
    "granted": [20, 2, 0, 1, 1, 0],
    "partially_granted": [5, 0, 0, 0, 0, 0],
    "denied_state_secret": [0] * 6,
    "denied_prohibited_by_law": [1, 0, 0, 0, 0, 0],
    "denied_security_stability": [0] * 6,
    "denied_third_party": [1, 0, 0, 0, 0, 0],
    "denied_internal_affairs": [0] * 6,
    "denied_process_info": [2, 0, 0, 0, 0, 0],
    "denied_enforcement_files": [0] * 6,
    "denied_inquiry": [1, 0, 0, 0, 0, 0],
    "unavailable_not_held": [6, 1, 0, 0, 0, 1],
    "unavailable_needs_creation": [1, 0, 0, 0, 0, 0],
    "unavailable_unclear": [0] * 6,
    "rejected_complaint": [2, 0, 0, 0, 0, 0],
    "rejected_duplicate": [1, 0, 0, 0, 0, 0],
    "rejected_publication": [0] * 6,
    "rejected_excessive": [0] * 6,
    "rejected_confirmation": [0] * 6,
    "other_no_correction": [1, 0, 0, 0, 0, 0],
    "other_unpaid_fee": [0] * 6,
    "other_misc": [0, 0, 0, 0, 1, 0],
    "total": [41, 3, 0, 1, 2, 1],
    "carried_forward": [1, 0, 0, 0, 0, 0],
}
T4_VALUES = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 1, 0, 1, 2]


def _fill_template(path: Path) -> None:
    """The official template with a title, prose, a signature and every number filled in."""
    document = docx.Document(str(TEMPLATE))
    paragraphs = document.paragraphs
    paragraphs[1].text = "某某县人民政府2022年政府信息公开工作年度报告"
    for p in paragraphs:
        if p.text.startswith("（文字描述"):
            p.text = "2022年，某某县人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。"
    document.add_paragraph("某某县人民政府")
    document.add_paragraph("2023年1月18日")

    t2, t3, t4 = document.tables
    rows_of_t2 = {"regulations": 2, "normative_documents": 3, "licensing": 6, "penalty": 9}
    rows_of_t2 |= {"coercion": 10, "fees": 13}
    for key, row in rows_of_t2.items():
        for k, value in enumerate(T2_VALUES[key]):
            t2.cell(row, 1 + k).text = str(value)
    for row, values in zip(range(3, 28), T3_ROWS.values(), strict=True):
        for k, value in enumerate([*values, sum(values)]):
            t3.cell(row, 3 + k).text = str(value)
    for k, value in enumerate(T4_VALUES):
        t4.cell(3, k).text = str(value)
    document.save(str(path))


def test_a_docx_built_from_the_official_template_extracts_completely(tmp_path):
    path = tmp_path / "report.docx"
    _fill_template(path)

    record = _extract(path)

    assert record["source"]["format"] == "docx"
    (report,) = record["reports"]
    assert report["year"] == 2022
    assert report["organization"] == "某某县人民政府"
    assert report["template"] == "2021"
    assert report["report_date"] == "2023-01-18"
    t2 = report["tables"]["active_disclosure"]
    assert t2["regulations"] == {"issued": 1, "repealed": 0, "in_force": 12}
    assert t2["normative_documents"] == {"issued": 5, "repealed": 2, "in_force": 40}
    assert t2["licensing"] == {"decisions": 318}
    assert t2["penalty"] == {"decisions": 57} and t2["coercion"] == {"decisions": 3}
    assert t2["fees"] == {"amount": 12.5}
    expected_t3 = {
        key: dict(zip(T3_COLUMNS, [*values, sum(values)], strict=True))
        for key, values in T3_ROWS.items()
    }
    assert report["tables"]["applications"] == expected_t3
    groups = ("review", "litigation_direct", "litigation_after_review")
    columns = ("upheld", "corrected", "other", "pending", "total")
    assert report["tables"]["review_litigation"] == {
        g: dict(zip(columns, T4_VALUES[5 * i : 5 * i + 5], strict=True))
        for i, g in enumerate(groups)
    }
    assert all(c["ok"] for c in report["checks"]) and len(report["checks"]) > 20


# --- what cannot be read -------------------------------------------------------------------


def test_a_scanned_pdf_and_a_doc_file_get_their_errors_and_the_batch_goes_on(tmp_path, seeds):
    folder = tmp_path / "downloads"
    folder.mkdir()
    scan = Image.new("RGB", (600, 800), "white")
    scan.paste((0, 0, 0), (100, 100, 500, 140))  # a black bar where a line of text would be
    scan.save(folder / "a_scanned.pdf")
    # An old Word file: the OLE2 compound-document header, then its sectors
    (folder / "b_old.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 2048)
    (folder / "c_report.pdf").write_bytes((SAMPLES / "hongze_2024.pdf").read_bytes())
    (folder / "d_report.txt").write_bytes(seeds[3].read_bytes())

    result = run_nianbao("extract", str(folder))

    assert result.returncode == 1
    records = {
        Path(r["source"]["path"]).name: r for r in map(json.loads, result.stdout.splitlines())
    }
    assert records["a_scanned.pdf"]["error"] == (
        "the PDF has no text layer (scanned images?); it needs OCR, which nianbao does not do"
    )
    assert records["b_old.doc"]["error"].startswith(
        "an old binary Word/Office file (.doc): convert it to .docx first"
    )
    assert records["c_report.pdf"]["reports"][0]["year"] == 2024
    assert records["d_report.txt"]["reports"][0]["year"] == 2012
    assert "2 of 4 documents could not be read" in result.stderr


def test_the_service_reads_an_uploaded_pdf_like_the_cli(service):
    pdf = SAMPLES / "hongze_2024.pdf"
    answer = httpx.post(
        f"{service}/v1/extract", files={"file": (pdf.name, pdf.read_bytes())}, timeout=120
    )
    assert answer.status_code == 200
    assert answer.json()["reports"] == _extract(pdf)["reports"]


def test_a_pdf_over_its_time_limit_says_so():
    result = run_nianbao("extract", str(SAMPLES / "szfgs_2024.pdf"), "--time-limit", "0.01")
    assert result.returncode == 1
    (record,) = map(json.loads, result.stdout.splitlines())
    assert record["error"] == "the document took more than the time limit of 0.01 s (--time-limit)"


def test_a_zip_that_is_not_a_word_document_gets_its_error(tmp_path):
    import zipfile

    archive = tmp_path / "attachments.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a report")
    result = run_nianbao("extract", str(archive))
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"] == "a zip archive, not a Word .docx document"
