"""The dataset's files, each written whole (to a temporary name, then moved into place):
`reports.parquet` (a row per body and year), `cells.parquet` (long form, each cell with
its source line and page), `checks.parquet`, `copies.parquet` (every source of every
report), `bodies.csv` (the alias table, for the user to correct), `dataset.duckdb` (these
as tables, and the views a researcher asks for first) and `summary.html`."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from nianbao.model.templates import RESULT_ROWS
from nianbao.serving.dataset.bodies import Aliases, place_of
from nianbao.serving.dataset.panel import PanelReport
from nianbao.serving.records_file import OutputError, each_record
from nianbao.serving.tabular import report_rows, write_frame

VIEWS = {
    "applications_per_year": """
        SELECT body, year, "tables.applications.new_received.total" AS new_applications,
               "tables.applications.carried_over.total" AS carried_over,
               "tables.applications.total.total" AS handled
        FROM reports WHERE body IS NOT NULL AND year IS NOT NULL ORDER BY body, year""",
    "outcome_shares": f"""
        SELECT c.report_id, c.body, c.year, c.row_name AS outcome, c.value,
               c.value / NULLIF(t.value, 0) AS share
        FROM cells c JOIN cells t
          ON t.report_id = c.report_id AND t.table_name = 'applications'
         AND t.row_name = 'total' AND t.column_name = 'total'
        WHERE c.table_name = 'applications' AND c.column_name = 'total'
          AND c.row_name IN ({", ".join(f"'{row}'" for row in RESULT_ROWS)})
        ORDER BY c.body, c.year, c.row_name""",
    "reports_failing_checks": """
        SELECT report_id, body, year, count(*) AS failing,
               string_agg(name, ', ' ORDER BY name) AS checks
        FROM checks WHERE NOT ok AND report_id IS NOT NULL
        GROUP BY report_id, body, year ORDER BY failing DESC, body, year""",
}


def write_outputs(
    out_dir: Path,
    records: Path,
    reports: list[PanelReport],
    checks: list[dict],
    bodies: list[dict],
) -> None:
    from nianbao.serving.dataset.summary import write_summary

    write_frame(_reports_frame(records, reports), out_dir / "reports.parquet")
    write_frame(_cells_frame(reports), out_dir / "cells.parquet")
    write_frame(_frame(checks, CHECK_COLUMNS), out_dir / "checks.parquet")
    write_frame(_frame(_copy_rows(reports), COPY_COLUMNS), out_dir / "copies.parquet")
    _write_csv(out_dir / "bodies.csv", bodies, Aliases.COLUMNS)
    _write_duckdb(out_dir)
    write_summary(out_dir / "summary.html", reports, checks, bodies)


CHECK_COLUMNS = (
    "report_id",
    "body",
    "year",
    "kind",
    "name",
    "ok",
    "severity",
    "detail",
    "value",
    "expected",
)
COPY_COLUMNS = (
    "report_id",
    "chosen",
    "agrees",
    "path",
    "sha256",
    "format",
    "report_index",
    "line_span",
    "confidence",
)
CELL_COLUMNS = (
    "report_id",
    "body",
    "year",
    "table_name",
    "row_name",
    "column_name",
    "value",
    "source",
    "line",
    "page",
    "confidence",
)


def _frame(rows: list[dict], columns: tuple[str, ...]):
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns)).convert_dtypes()


def _reports_frame(records: Path, reports: list[PanelReport]):
    """A row per report: its panel columns, then the row `extract -o x.parquet` gives its
    copy, read again from the records file in chunks (the records are not kept)."""
    import pandas as pd

    by_copy = {r.chosen.key: r for r in reports}
    frames, chunk = [], []
    for record in each_record(records):
        source = record.get("source", {})
        for index, row in enumerate(report_rows(record) if record.get("reports") else []):
            r = by_copy.get((source.get("path"), source.get("sha256"), index))
            if r is not None:
                chunk.append({**_panel_columns(r), **row})
        if len(chunk) >= 500:
            frames.append(pd.DataFrame(chunk))
            chunk = []
    frames.append(pd.DataFrame(chunk))
    frame = pd.concat(frames, ignore_index=True).convert_dtypes()
    order = {r.id: n for n, r in enumerate(reports)}
    return frame.sort_values("report_id", key=lambda ids: ids.map(order)).reset_index(drop=True)


def _panel_columns(r: PanelReport) -> dict:
    place = place_of(r.body) if r.body else None
    return {
        "report_id": r.id,
        "body": r.body,
        "province": place and place.province,
        "city": place and place.city,
        "county": place and place.county,
        "division_code": place and place.code,
        "copies": len(r.copies),
        "disagreeing_copies": sum(len(g) for g in r.disagreeing),
        "sources": json.dumps([c.source for c in r.copies], ensure_ascii=False),
        "conflicts": json.dumps(r.conflicts(), ensure_ascii=False),
    }


def _cells_frame(reports: list[PanelReport]):
    """Long form, built column by column: a million cells as dicts would not fit."""
    import pandas as pd

    columns: dict[str, list] = {name: [] for name in CELL_COLUMNS}
    for r in reports:
        chosen = r.chosen
        for path, value in chosen.cells.items():
            _, table, row, column = path.split(".", 3)
            for name, item in zip(
                CELL_COLUMNS,
                (
                    r.id,
                    r.body,
                    r.year,
                    table,
                    row,
                    column,
                    float(value),
                    chosen.source["path"],
                    chosen.cell_lines.get(path),
                    chosen.cell_pages.get(path),
                    chosen.confidence,
                ),
                strict=True,
            ):
                columns[name].append(item)
    return pd.DataFrame(columns).convert_dtypes()


def _copy_rows(reports: list[PanelReport]) -> list[dict]:
    rows = []
    for r in reports:
        groups = [(True, r.copies)] + [(False, g) for g in r.disagreeing]
        for agrees, group in groups:
            for copy in group:
                rows.append(
                    {
                        "report_id": r.id,
                        "chosen": copy is r.chosen,
                        "agrees": agrees,
                        **{k: v for k, v in copy.source.items() if k != "line_span"},
                        "line_span": json.dumps(copy.source["line_span"]),
                        "confidence": copy.confidence,
                    }
                )
    return rows


def _write_csv(path: Path, rows: list[dict], columns: tuple[str, ...]) -> None:
    def fill(f: TextIO) -> None:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)

    write_text_whole(path, fill)


def write_text_whole(path: Path, fill: Callable[[TextIO], None]) -> None:
    """A text file written by `fill` under a temporary name, then moved into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            fill(f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_duckdb(out_dir: Path) -> None:
    import duckdb

    path = out_dir / "dataset.duckdb"
    tmp = out_dir / ".dataset.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(tmp)) as db:
            for table in ("reports", "cells", "checks", "copies"):
                source = str(out_dir / f"{table}.parquet").replace("'", "''")
                db.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{source}')")
            bodies = str(out_dir / "bodies.csv").replace("'", "''")
            db.execute(
                f"CREATE TABLE bodies AS SELECT * FROM read_csv('{bodies}', header = true,"
                " all_varchar = true)"
            )
            for name, query in VIEWS.items():
                db.execute(f"CREATE VIEW {name} AS {query}")
        os.replace(tmp, path)
    except (OSError, duckdb.IOException) as e:
        raise OutputError(f"cannot write {path}: {e}") from None
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
