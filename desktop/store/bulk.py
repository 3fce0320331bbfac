"""Many rows into one table in one driver call, for the bulk writers (an import's publishing, a
deadline recompute).

``connection.execute(insert(table), rows)`` compiles the statement for the batch and then builds
every row's parameters through SQLAlchemy's generic path (about 10 µs a row, more than SQLite
takes to insert it). Here the statement is compiled once per batch, each value goes through its
column's own bind processor (memoised per column: a batch's rows share their moment and actor),
and the driver gets plain parameter rows in one ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert

Processor = Callable[[Any], Any]


def _memoised(process: Processor) -> Processor:
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if not isinstance(value, Hashable):
            return process(value)
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = process(value)
            return result

    return cached


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (each with the same keys, the table's column names) into ``table``."""
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    processors: dict[str, Processor] = {}
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = _memoised(process)
    order = list(compiled.positiontup or ()) if compiled.positional else names
    pick = itemgetter(*order)
    processed = [(index, processors[name]) for index, name in enumerate(order) if name in processors]

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        picked = pick(row)
        if len(order) == 1:
            picked = (picked,)
        if not processed:
            return tuple(picked)
        listed = list(picked)
        for index, process in processed:
            listed[index] = process(listed[index])
        return tuple(listed)

    if compiled.positional:
        parameters: list[Any] = [values(row) for row in rows]
    else:
        parameters = [dict(zip(order, values(row), strict=True)) for row in rows]
    connection.exec_driver_sql(compiled.string, parameters)
