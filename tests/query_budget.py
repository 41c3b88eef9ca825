"""Query budgets: a page must make the same number of queries however many rows it shows.

``assert_query_budget`` requests the page with few rows, adds rows, requests it again, and
fails if the count grew or exceeds the budget. The queries are printed on failure.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _count(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def assert_query_budget(
    client, url: str, *, add_rows: Callable[[int], None], budget: int,
    few: int = 2, many: int = 12,
) -> int:
    add_rows(few)
    few_count, _ = _count(client, url)
    add_rows(many - few)
    many_count, many_queries = _count(client, url)
    assert few_count == many_count, (
        f"{url}: {few_count} queries with {few} rows but {many_count} with {many} rows:\n"
        + "\n".join(many_queries)
    )
    assert many_count <= budget, (
        f"{url}: {many_count} queries, budget {budget}:\n" + "\n".join(many_queries)
    )
    return many_count
