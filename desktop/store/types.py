"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC.

    SQLite has no zone-aware type; storing every instant as UTC keeps ordering
    in SQL correct on both backends and gives back aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        # Queue pages convert thousands of these; one C-level parse per value instead of
        # SQLAlchemy's parse followed by a Python-level replace() keeps the paged queue cheap.
        from_iso = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            return from_iso(value + "+00:00") if isinstance(value, str) else value.replace(tzinfo=UTC)

        return process


class MoneyFen(TypeDecorator[Decimal]):
    """Yuan amounts kept exactly as integer fen (1/100 yuan); no float anywhere."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        fen = value * 100
        if fen != fen.to_integral_value():
            raise ValueError("amounts are kept to the fen (0.01 yuan)")
        return int(fen)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
