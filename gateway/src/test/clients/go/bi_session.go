// A BI tool's session through chgate with clickhouse-go over HTTP (Grafana's client), step by step.
// Environment: CH_HOST, CH_PORT, CH_USER, CH_PASSWORD (a gateway user), PG_ADDRESS, TABLE, SKIP (step names
// separated by ';') and SKIP_REASON. Prints one line per step; exits non-zero at the first that fails.
package main

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

const n = 200000

var (
	ctx   = context.Background()
	table = os.Getenv("TABLE")
	conn  driver.Conn
)

func check(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

func connect() (err error) {
	conn, err = clickhouse.Open(&clickhouse.Options{
		Protocol: clickhouse.HTTP,
		Addr:     []string{os.Getenv("CH_HOST") + ":" + os.Getenv("CH_PORT")},
		Auth:     clickhouse.Auth{Username: os.Getenv("CH_USER"), Password: os.Getenv("CH_PASSWORD")},
	})
	if err != nil {
		return err
	}
	if err = conn.Ping(ctx); err != nil {
		return err
	}
	var one uint8
	if err = conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	return check(one == 1, "SELECT 1 gave %d", one)
}

// The one String column of every row a query returns.
func strs(query string) ([]string, error) {
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var values []string
	for rows.Next() {
		var value string
		if err := rows.Scan(&value); err != nil {
			return nil, err
		}
		values = append(values, value)
	}
	return values, rows.Err()
}

func introspect() error {
	names, err := strs("SHOW DATABASES")
	if err != nil {
		return err
	}
	if err := check(strings.Contains(strings.Join(names, ","), "default"), "databases %v", names); err != nil {
		return err
	}
	var columns uint64
	err = conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = 'system' AND table = 'one'").Scan(&columns)
	if err != nil {
		return err
	}
	return check(columns == 1, "system.one has %d columns", columns)
}

func create() error {
	if err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
		return err
	}
	return conn.Exec(ctx, "CREATE TABLE "+table+" (id UInt32, name String, amount Float64) ENGINE = MergeTree ORDER BY id")
}

func bulkInsert() error {
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+table)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := batch.Append(uint32(i), fmt.Sprintf("name-%d\n\n", i), float64(i)*0.5); err != nil {
			return err
		}
	}
	return batch.Send()
}

func readBack() error {
	var count, sum uint64
	if err := conn.QueryRow(ctx, "SELECT count(), sum(id) FROM "+table).Scan(&count, &sum); err != nil {
		return err
	}
	if err := check(count == n && sum == uint64(n)*(n-1)/2, "count %d sum %d", count, sum); err != nil {
		return err
	}
	rows, err := conn.Query(ctx, "SELECT id, name, amount FROM "+table+" ORDER BY id")
	if err != nil {
		return err
	}
	var seen uint64
	for rows.Next() {
		var id uint32
		var name string
		var amount float64
		if err := rows.Scan(&id, &name, &amount); err != nil {
			return err
		}
		if uint64(id) != seen || name != fmt.Sprintf("name-%d\n\n", id) || amount != float64(id)*0.5 {
			return fmt.Errorf("row %d read as (%d, %q, %v)", seen, id, name, amount)
		}
		seen++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return check(seen == n, "read %d rows", seen)
}

func serverSideParameters() error {
	var name string
	err := conn.QueryRow(clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"id": "9"})),
		"SELECT name FROM "+table+" WHERE id = {id:UInt32}").Scan(&name)
	if err != nil {
		return err
	}
	return check(name == "name-9\n\n", "got %q", name)
}

func boundParameters() error {
	var name string
	if err := conn.QueryRow(ctx, "SELECT name FROM "+table+" WHERE id = ?", 11).Scan(&name); err != nil {
		return err
	}
	return check(name == "name-11\n\n", "got %q", name)
}

func perQuerySettings() error {
	var blockSize uint64
	err := conn.QueryRow(clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_block_size": 7})),
		"SELECT toUInt64(getSetting('max_block_size'))").Scan(&blockSize)
	if err != nil {
		return err
	}
	return check(blockSize == 7, "max_block_size %d", blockSize)
}

func clientQueryID() error {
	var id string
	err := conn.QueryRow(clickhouse.Context(ctx, clickhouse.WithQueryID("conformance-go-qid")),
		"SELECT queryID()").Scan(&id)
	if err != nil {
		return err
	}
	return check(id == "conformance-go-qid", "the query ran as %q", id)
}

// The types a dashboard reads, decoded by the client from Native, must equal the server's own text of them.
func manyTypes() error {
	const query = `SELECT toInt8(-8) AS i8, toUInt64(18446744073709551615) AS u64, toInt128(-170) AS i128,
		toFloat32(1.5) AS f32, toDecimal64(123.4567, 4) AS d64, toDate('2024-02-29') AS d,
		toDateTime64('2024-02-29 12:34:56.789', 3, 'UTC') AS dt64, toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0') AS u,
		toFixedString('ab', 3) AS fs, CAST('b' AS Enum8('a' = 1, 'b' = 2)) AS e, toIPv6('::1') AS ip,
		CAST(NULL AS Nullable(String)) AS ns, CAST('x' AS Nullable(String)) AS nx, [1, 2, 3] AS arr,
		[[toNullable('p')], [NULL]] AS nested, toLowCardinality('lc') AS lc, map('k', 1, 'l', 2) AS m,
		tuple(1, 'two') AS t, CAST([('a', 1)] AS Array(Tuple(String, UInt8))) AS at,
		[toLowCardinality('x'), toLowCardinality('y')] AS alc`
	rows, err := conn.Query(ctx, query+" FROM numbers(3)")
	if err != nil {
		return err
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		values := make([]any, len(rows.ColumnTypes()))
		for i, c := range rows.ColumnTypes() {
			values[i] = reflect.New(c.ScanType()).Interface()
		}
		if err := rows.Scan(values...); err != nil {
			return err
		}
		text := strings.Join(deref(values), " ")
		want := "-8 18446744073709551615 -170 1.5 123.4567 2024-02-29 00:00:00 +0000 UTC " +
			"2024-02-29 12:34:56.789 +0000 UTC 61f0c404-5cb3-11e7-907b-a6006ad3dba0 ab\x00 b ::1 <nil> x [1 2 3] " +
			"[[p] [<nil>]] lc map[k:1 l:2] [1 two] [[a 1]] [x y]"
		if text != want {
			return fmt.Errorf("decoded\n  %q\nwanted\n  %q", text, want)
		}
		got++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return check(got == 3, "%d rows", got)
}

func deref(values []any) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprint(show(reflect.ValueOf(v).Elem()))
	}
	return out
}

func show(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.CanAddr() {
		if s, ok := v.Addr().Interface().(fmt.Stringer); ok {
			return s.String()
		}
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return fmt.Sprint(v.Interface())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = show(v.Index(i))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return show(v.Elem())
	}
	return v.Interface()
}

func anError() error {
	err := conn.Exec(ctx, "SELECT * FROM no_such_table_anywhere")
	var exception *clickhouse.Exception
	if err == nil {
		return fmt.Errorf("no error")
	}
	if e, ok := err.(*clickhouse.Exception); ok {
		exception = e
	}
	if exception != nil && exception.Code == 60 || strings.Contains(err.Error(), "UNKNOWN_TABLE") {
		return nil
	}
	return fmt.Errorf("not the server's error: %v", err)
}

func joinPostgres() error {
	customers, err := strs("SELECT o.customer FROM " + table + " AS t JOIN postgresql('" + os.Getenv("PG_ADDRESS") +
		"', 'shop', 'orders', 'bi', '') AS o ON o.id = t.id ORDER BY o.id")
	if err != nil {
		return err
	}
	return check(strings.Join(customers, ",") == "alice,bob,carol", "customers %v", customers)
}

func main() {
	steps := []struct {
		name string
		run  func() error
	}{
		{"connect", connect},
		{"list databases, tables and columns", introspect},
		{"create a MergeTree table", create},
		{"bulk insert 200,000 rows", bulkInsert},
		{"read them back with a checksum", readBack},
		{"bound parameters", boundParameters},
		{"server-side parameters", serverSideParameters},
		{"per-query settings", perQuerySettings},
		{"a query_id of the client's choosing", clientQueryID},
		{"the types a dashboard reads", manyTypes},
		{"an error the client can show", anError},
		{"a join with PostgreSQL, no password in the query", joinPostgres},
	}
	skipReason := os.Getenv("SKIP_REASON")
	if skipReason == "" {
		skipReason = "the server is too old for it"
	}
	skip := map[string]bool{}
	for _, s := range strings.Split(os.Getenv("SKIP"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			skip[s] = true
		}
	}
	for _, step := range steps {
		if skip[step.name] {
			fmt.Printf("skipped %s (%s)\n", step.name, skipReason)
			continue
		}
		if err := step.run(); err != nil {
			fmt.Printf("FAILED %s: %v\n", step.name, err)
			os.Exit(1)
		}
		fmt.Printf("ok %s\n", step.name)
	}
	if conn != nil {
		conn.Close()
	}
}
