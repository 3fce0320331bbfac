"""PostgreSQL serves Chinese substring search from the pg_trgm GIN indexes (migration 0013)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop.services.demo import generate
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.store.maintenance import analyze
from tests.accounts import open_as


@pytest.mark.postgres
def test_rare_chinese_term_uses_the_trigram_index(postgres_url: str) -> None:
    app = open_as(postgres_url, "pgagent", role="admin")
    try:
        with app.engine.connect() as connection:
            indexes = set(connection.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints'")).scalars())
        assert {"ix_complaints_trgm_description", "ix_complaints_trgm_customer_name",
                "ix_complaints_trgm_demand", "ix_complaints_trgm_address"} <= indexes
        generate(app.sessions, app.complaints, app.actor, 1500, seed=9)
        marked = app.complaints.list(limit=1)[0]
        app.complaints.update(app.actor, marked.number, {"description": "客户反映光猫指示灯闪烁琥珀色后断网"},
                              app.complaints.get(marked.number).version)
        analyze(app.engine)

        query = QueueQuery(filter=QueueFilter.ALL, search="琥珀色")
        statement = app.queue.page_statement(query)
        with app.engine.connect() as connection:
            # 1,500 rows fit in a few pages, where a sequential scan is honestly cheapest; forbidding it
            # asks whether the trigram index can serve this query at all (at a million rows it must).
            connection.exec_driver_sql("SET enable_seqscan = off")
            # Bound exactly as the queue runs it (psycopg sends the values separately).
            compiled = statement.compile(dialect=connection.dialect)
            plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params).scalars())
        assert "ix_complaints_trgm_description" in plan, plan
        assert [r.number for r in app.queue.fetch(query, 0, 50)] == [marked.number]
    finally:
        app.close()
