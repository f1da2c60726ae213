// A BI tool's session through chgate with @clickhouse/client (Node services), step by step.
// Environment: CH_HOST, CH_PORT, CH_USER, CH_PASSWORD (a gateway user), PG_ADDRESS, TABLE. Prints one line per step;
// exits non-zero at the first that fails.
const { createClient } = require('@clickhouse/client');

const env = process.env;
const table = env.TABLE;
const client = createClient({
  url: `http://${env.CH_HOST}:${env.CH_PORT}`,
  username: env.CH_USER,
  password: env.CH_PASSWORD,
});

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function rows(query, options = {}) {
  const rs = await client.query({ query, format: 'JSONEachRow', ...options });
  return rs.json();
}

const N = 200000;
const steps = [
  ['connect', async () => {
    assert((await client.ping()).success, 'ping failed');
    const r = await rows('SELECT 1 AS one');
    assert(r[0].one === 1, JSON.stringify(r));
  }],
  ['list databases, tables and columns', async () => {
    const dbs = await rows('SHOW DATABASES');
    assert(dbs.some((d) => d.name === 'default'), JSON.stringify(dbs));
    await rows('SELECT name, engine FROM system.tables WHERE database = currentDatabase()');
    await rows("SELECT name, type FROM system.columns WHERE database = 'system' AND table = 'one'");
  }],
  ['create a MergeTree table', async () => {
    await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
    await client.command({
      query: `CREATE TABLE ${table} (id UInt32, name String, amount Float64) ENGINE = MergeTree ORDER BY id`,
    });
  }],
  ['bulk insert 200,000 rows', async () => {
    const values = [];
    for (let i = 0; i < N; i++) values.push({ id: i, name: `name-${i}\n\n`, amount: i * 0.5 });
    const result = await client.insert({ table, values, format: 'JSONEachRow' });
    assert(result.executed, 'insert not executed');
  }],
  ['read them back with a checksum', async () => {
    const r = await rows(`SELECT count() AS c, sum(id) AS s FROM ${table}`);
    assert(Number(r[0].c) === N && Number(r[0].s) === (N * (N - 1)) / 2, JSON.stringify(r));
    const seven = await rows(`SELECT name FROM ${table} WHERE id = 7`);
    assert(seven[0].name === 'name-7\n\n', JSON.stringify(seven));
  }],
  ['server-side parameters', async () => {
    const r = await rows(`SELECT name FROM ${table} WHERE id = {id:UInt32}`, { query_params: { id: 9 } });
    assert(r.length === 1 && r[0].name === 'name-9\n\n', JSON.stringify(r));
  }],
  ['per-query settings', async () => {
    const r = await rows('SELECT number FROM numbers(100)', { clickhouse_settings: { max_block_size: '7' } });
    assert(r.length === 100, `${r.length} rows`);
  }],
  ["a query_id of the client's choosing", async () => {
    const rs = await client.query({ query: 'SELECT 1', format: 'JSONEachRow', query_id: 'conformance-node-qid' });
    await rs.json();
    assert(rs.query_id === 'conformance-node-qid', rs.query_id);
  }],
  ['an error the client can show', async () => {
    try {
      await rows('SELECT * FROM no_such_table_anywhere');
    } catch (e) {
      assert(String(e.code) === '60' || /UNKNOWN_TABLE|Code: 60\b/.test(e.message), `${e.code} ${e.message}`);
      return;
    }
    throw new Error('no error');
  }],
  ['a join with PostgreSQL, no password in the query', async () => {
    const r = await rows(`SELECT o.customer AS customer FROM ${table} AS t JOIN postgresql('${env.PG_ADDRESS}', `
      + "'shop', 'orders', 'bi', '') AS o ON o.id = t.id ORDER BY o.id");
    assert(JSON.stringify(r.map((x) => x.customer)) === '["alice","bob","carol"]', JSON.stringify(r));
  }],
];

// Steps the server is too old for (SKIP, names separated by ';'): said, never passed silently.
const skip = new Set((env.SKIP || '').split(';').map((x) => x.trim()).filter((x) => x));

(async () => {
  for (const [name, run] of steps) {
    if (skip.has(name)) {
      console.log(`skipped ${name} (the server is too old for it)`);
      continue;
    }
    try {
      await run();
      console.log(`ok ${name}`);
    } catch (e) {
      console.log(`FAILED ${name}: ${e && e.message}`);
      await client.close();
      process.exit(1);
    }
  }
  await client.close();
})();
