/**
 * The floor under `GET /crm/customers/{id}`: Express 5 and one pg pool reading the same row
 * with the same SELECT, and nothing else (no auth, validation, logging or side tables).
 */
import express from 'express';
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL;
const tenant = process.env.BENCH_TENANT_ID;
if (!databaseUrl || !tenant) throw new Error('DATABASE_URL and BENCH_TENANT_ID are required');

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const app = express();

app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

app.get('/crm/customers/:id', async (req, res) => {
  const { rows } = await pool.query({
    name: 'customer-by-id',
    text: 'SELECT * FROM profiles.customers WHERE tenant_id = $1 AND id = $2',
    values: [tenant, req.params.id],
  });
  if (rows[0] === undefined) res.status(404).json({ status: 404 });
  else res.json(rows[0]);
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  // Idle keep-alive sockets of the load generator would otherwise hold close() open.
  server.closeAllConnections();
  server.close();
  void pool.end();
});
