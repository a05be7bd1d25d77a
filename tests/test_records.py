"""The typed records: the committed JSON Schema is the one the models generate, and what
`extract` writes is a valid record by both."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import EXAMPLES, run_nianbao
from nianbao.model.records import SCHEMA_FILE, DocumentRecord, LabelledLine, json_schema


def test_the_committed_schema_is_the_generated_one():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "run `.venv/bin/python -m nianbao.model.records` and commit the schema"
    )


@pytest.fixture(scope="module")
def records() -> list[dict]:
    result = run_nianbao("extract", str(EXAMPLES))
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_extracted_record_is_a_valid_document_record(records):
    for record in records:
        DocumentRecord.model_validate(record)


def test_a_cell_the_templates_do_not_have_is_refused_by_model_and_schema(records):
    record = json.loads(json.dumps(next(r for r in records if r["reports"][0]["tables"])))
    record["reports"][0]["tables"]["applications"]["new_received"]["refugees"] = 3
    with pytest.raises(ValueError, match="refugees"):
        DocumentRecord.model_validate(record)
    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(record))
    assert errors and "refugees" in errors[0].message


def test_an_error_record_has_one_sentence_and_no_reports(records):
    record = {**records[0], "error": "the file is empty"}
    with pytest.raises(ValueError, match="no reports"):
        DocumentRecord.model_validate(record)


def test_labelled_lines_are_typed(seeds):
    result = run_nianbao("label", str(seeds[0]))
    for line in result.stdout.splitlines():
        LabelledLine.model_validate(json.loads(line))
