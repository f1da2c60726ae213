"""A BI tool's session through chgate with clickhouse-connect (Superset, notebooks), step by step.

Environment: CH_HOST, CH_PORT, CH_USER, CH_PASSWORD (a gateway user), PG_ADDRESS (host:port of the PostgreSQL an
integration covers), TABLE (a table name of its own). Prints one line per step; exits non-zero at the first that fails.
"""
import os
import sys

import clickhouse_connect
from clickhouse_connect.driver.exceptions import DatabaseError

env = os.environ
table = env["TABLE"]
steps = []


def step(name):
    def run(fn):
        try:
            fn()
            print(f"ok {name}", flush=True)
        except Exception as e:  # report the step, then stop
            print(f"FAILED {name}: {type(e).__name__}: {e}", flush=True)
            sys.exit(1)
    return run


client = clickhouse_connect.get_client(host=env["CH_HOST"], port=int(env["CH_PORT"]), username=env["CH_USER"],
                                       password=env["CH_PASSWORD"])


@step("connect")
def _():
    assert client.command("SELECT 1") == 1


@step("list databases, tables and columns")
def _():
    databases = [r[0] for r in client.query("SHOW DATABASES").result_rows]
    assert "default" in databases, databases
    client.query("SELECT name, engine FROM system.tables WHERE database = currentDatabase()")
    client.query("SELECT name, type FROM system.columns WHERE database = 'system' AND table = 'one'")


@step("create a MergeTree table")
def _():
    client.command(f"DROP TABLE IF EXISTS {table}")
    client.command(f"CREATE TABLE {table} (id UInt32, name String, amount Float64) ENGINE = MergeTree ORDER BY id")


N = 200_000


@step("bulk insert 200,000 rows")
def _():
    rows = [(i, f"name-{i}\n\n", i * 0.5) for i in range(N)]
    client.insert(table, rows, column_names=["id", "name", "amount"])


@step("read them back with a checksum")
def _():
    count, ids, amount = client.query(f"SELECT count(), sum(id), sum(amount) FROM {table}").result_rows[0]
    assert count == N and ids == N * (N - 1) // 2 and amount == sum(i * 0.5 for i in range(N)), (count, ids, amount)
    assert client.query(f"SELECT name FROM {table} WHERE id = 7").result_rows[0][0] == "name-7\n\n"


@step("server-side parameters")
def _():
    assert client.query(f"SELECT name FROM {table} WHERE id = {{id:UInt32}}", parameters={"id": 9}).result_rows == [
        ("name-9\n\n",)]


@step("client-side bound parameters")
def _():
    assert client.query(f"SELECT count() FROM {table} WHERE id < %(n)s", parameters={"n": 10}).result_rows == [(10,)]


@step("per-query settings")
def _():
    rows = client.query("SELECT number FROM numbers(100)", settings={"max_block_size": 7}).result_rows
    assert len(rows) == 100


@step("a query_id of the client's choosing")
def _():
    result = client.query("SELECT 1", settings={"query_id": "conformance-python-qid"})
    assert result.query_id == "conformance-python-qid", result.query_id


@step("an error the client can show")
def _():
    try:
        client.query("SELECT * FROM no_such_table_anywhere")
    except DatabaseError as e:
        assert "60" in str(e) or "UNKNOWN_TABLE" in str(e), str(e)
        return
    raise AssertionError("no error")


@step("a join with PostgreSQL, no password in the query")
def _():
    rows = client.query(f"SELECT o.customer, o.amount FROM {table} AS t JOIN postgresql('{env['PG_ADDRESS']}', "
                        f"'shop', 'orders', 'bi', '') AS o ON o.id = t.id ORDER BY o.id").result_rows
    assert [r[0] for r in rows] == ["alice", "bob", "carol"], rows
