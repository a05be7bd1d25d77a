"""The line labels of the contract (../shared/spec/labels.md, version 1)."""

LABELS: tuple[str, ...] = (
    "NOISE",
    "META",
    "TITLE",
    "HEADING",
    "NARRATIVE",
    "TABLE_HEADER",
    "TABLE_LABEL",
    "TABLE_VALUE",
    "TABLE_ROW",
    "CAPTION",
    "SIGNATURE",
)
