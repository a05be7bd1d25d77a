"""The accounting identities of tables 3 and 4, evaluated on what was extracted."""

from __future__ import annotations

from nianbao.model import templates

T3_COLUMNS = tuple(templates.T3_COLUMNS)
T4_GROUPS = tuple(templates.T4_GROUPS)
T4_COLUMNS = tuple(templates.T4_COLUMNS)


def checks(tables: dict) -> list[dict]:
    """Each identity whose terms are all present, with the numbers in `detail`."""
    out: list[dict] = []
    apps = tables.get("applications", {})

    def cell(row: str, column: str):
        return apps.get(row, {}).get(column)

    for column in T3_COLUMNS:
        terms = [cell(r, column) for r in templates.BALANCE_ROWS]
        if None not in terms:
            a, b, c, d = terms
            out.append(
                _check(
                    f"applications.balance.{column}",
                    a + b == c + d,
                    f"new_received {a} + carried_over {b} = {a + b}; "
                    f"total {c} + carried_forward {d} = {c + d}",
                )
            )
    for row, values in apps.items():
        parts = [values.get(c) for c in templates.APPLICANT_COLUMNS]
        if None not in parts and values.get("total") is not None:
            out.append(
                _check(
                    f"applications.row_sum.{row}",
                    sum(parts) == values["total"],
                    f"{' + '.join(map(str, parts))} = {sum(parts)}; total {values['total']}",
                )
            )
    for column in T3_COLUMNS:
        present = [r for r in templates.RESULT_ROWS if r in apps]
        values = [cell(r, column) for r in present]
        total = cell("total", column)
        if present and None not in values and total is not None:
            out.append(
                _check(
                    f"applications.results_sum.{column}",
                    sum(values) == total,
                    f"result rows add up to {sum(values)}; total {total}",
                )
            )
    review = tables.get("review_litigation", {})
    for group in T4_GROUPS:
        values = [review.get(group, {}).get(c) for c in T4_COLUMNS]
        if group in review and None not in values:
            *parts, total = values
            out.append(
                _check(
                    f"review_litigation.{group}.sum",
                    sum(parts) == total,
                    f"{' + '.join(map(str, parts))} = {sum(parts)}; total {total}",
                )
            )
    return out


def _check(name: str, ok: bool, detail: str) -> dict:
    return {"name": name, "ok": bool(ok), "detail": detail}
