"""The output records of schema.md as typed models: one document's record, its reports,
their tables, figures and checks. The JSON Schema in `model/schema/` is generated from
these (`.venv/bin/python -m nianbao.model.records` writes it; a test fails when the file differs), and the
service declares them as its response models, so `/docs` shows the real shapes.

Tables follow the templates (`model/templates.py`): a row's cells are the columns either
template gives it; a key is absent where the source has no such row or column, `null` where
the cell is printed empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from nianbao.model import templates
from nianbao.model.lines import LABELS
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

SCHEMA_FILE = Path(__file__).parent / "schema" / "document.schema.json"

Cell = int | float | None
Date = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Line = Annotated[int, Field(ge=1)]
SectionKey = Literal[
    "preamble",
    "overview",
    "active_disclosure",
    "applications",
    "review_litigation",
    "fees",
    "consultation",
    "problems_improvements",
    "other_matters",
    "plan",
    "appendix",
    "other",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _row(name: str, columns: tuple[str, ...]) -> type[BaseModel]:
    return create_model(name, __base__=Strict, **{c: (Cell, None) for c in columns})


def _table(name: str, rows: dict[str, type[BaseModel]], **more) -> type[BaseModel]:
    return create_model(
        name, __base__=Strict, **{k: (m | None, None) for k, m in rows.items()}, **more
    )


class ExtraRow(Strict):
    """A row the template does not have (seed 001: 其他主动公开文件)."""

    label: str
    values: list[Cell]


_T2_COLUMNS = {
    row: tuple(
        dict.fromkeys(
            c for t in templates.TEMPLATES for c in templates.table2_columns(t).get(row, ())
        )
    )
    for row in templates.T2_ROWS
}
ActiveDisclosure = _table(
    "ActiveDisclosure",
    {row: _row(f"ActiveDisclosure_{row}", cols) for row, cols in _T2_COLUMNS.items()},
    extra_rows=(list[ExtraRow] | None, None),
)
_T3_ROW = _row("ApplicationsRow", tuple(templates.T3_COLUMNS))
Applications = _table(
    "Applications", {k: _T3_ROW for k in templates.T3_ROWS if k not in templates.T3_GROUPS}
)
_T4_GROUP = _row("ReviewLitigationGroup", tuple(templates.T4_COLUMNS))
ReviewLitigation = _table("ReviewLitigation", {g: _T4_GROUP for g in templates.T4_GROUPS})


class Tables(Strict):
    """The three standard tables (`{}` for a legacy report)."""

    active_disclosure: ActiveDisclosure | None = None  # type: ignore[valid-type]
    applications: Applications | None = None  # type: ignore[valid-type]
    review_litigation: ReviewLitigation | None = None  # type: ignore[valid-type]


class Figures(Strict):
    """The key figures users compare across all years; absent when the report does not say."""

    active_disclosed: int | float | None = None
    applications_received: int | float | None = None
    reviews: int | float | None = None
    lawsuits: int | float | None = None
    fees_collected: int | float | None = None


class Metadata(Strict):
    """CMS fields as written: 索引号, 文号, 发布机构/发文机关/来源, 分类."""

    index_no: str | None = None
    doc_no: str | None = None
    publisher: str | None = None
    category: str | None = None


class Section(Strict):
    key: SectionKey
    heading: str | None
    text: str
    line_span: Annotated[list[Line], Field(min_length=2, max_length=2)]


class Check(Strict):
    """An accounting identity evaluated on the extracted numbers."""

    name: Annotated[str, Field(pattern=r"^(applications|review_litigation)\.")]
    ok: bool
    detail: str


class Report(Strict):
    title: str | None
    organization: str | None
    year: int | None
    report_date: Date | None
    published_date: Date | None
    template: Literal["2021", "2019", "legacy"]
    metadata: Metadata
    line_span: Annotated[list[Line], Field(min_length=2, max_length=2)]
    sections: list[Section]
    tables: Tables
    figures: Figures
    cell_lines: dict[Annotated[str, Field(pattern=r"^(tables|figures)\.")], Line]
    checks: list[Check]
    confidence: Annotated[float, Field(ge=0, le=1)]
    warnings: list[str]
    pages: Annotated[list[Line], Field(min_length=2, max_length=2)] | None = None
    cell_pages: dict[Annotated[str, Field(pattern=r"^(tables|figures)\.")], Line] | None = None


class Source(Strict):
    path: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    encoding: str | None = None
    format: str | None = None
    n_lines: Annotated[int, Field(ge=0)] | None = None


_ONE_SENTENCE = {"minLength": 1, "pattern": r"^[^\n]+$"}


class DocumentRecord(Strict):
    """What `nianbao extract` writes for one input document (one JSON line)."""

    model_config = ConfigDict(
        extra="forbid",
        title="nianbao document record",
        json_schema_extra={
            "allOf": [  # an error record has no reports; no reports and no error says why
                {
                    "if": {"properties": {"error": {"type": "string"}}, "required": ["error"]},
                    "then": {"properties": {"reports": {"maxItems": 0}, "error": _ONE_SENTENCE}},
                },
                {
                    "if": {"properties": {"reports": {"maxItems": 0}, "error": {"type": "null"}}},
                    "then": {"properties": {"warnings": {"minItems": 1}}},
                },
            ]
        },
    )

    schema_version: Literal[1]
    source: Source
    model_version: str
    reports: list[Report]
    warnings: list[str]
    error: str | None

    @model_validator(mode="after")
    def _error_or_reasons(self) -> DocumentRecord:
        if self.error is not None and (self.reports or "\n" in self.error or not self.error):
            raise ValueError("an error record has no reports and one sentence of error")
        if self.error is None and not self.reports and not self.warnings:
            raise ValueError("a record without reports says why in its warnings")
        return self


class LabelledLine(Strict):
    """What `nianbao label` writes for one non-blank line (or one piece of a long one)."""

    source: str
    line: Line
    text: str
    label: Literal[LABELS]  # type: ignore[valid-type]
    confidence: Annotated[float, Field(ge=0, le=1)]
    span: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=2, max_length=2)] | None = (
        None
    )
    page: Line | None = None


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a document record, as committed in model/schema/."""
    schema = _strict_keys(DocumentRecord.model_json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _strict_keys(node):
    """pydantic writes a map's key pattern as `patternProperties`, which lets other keys
    through; `propertyNames` refuses them, as the models do."""
    if isinstance(node, list):
        return [_strict_keys(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _strict_keys(v) for k, v in node.items()}
    patterns = node.pop("patternProperties", None)
    if patterns:
        ((pattern, values),) = patterns.items()
        node |= {"propertyNames": {"pattern": pattern}, "additionalProperties": values}
    return node


def write_schema(path: Path = SCHEMA_FILE) -> None:
    path.write_text(
        json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write_schema()
    print(f"wrote {SCHEMA_FILE}")
