/**
 * Whether an error says PostgreSQL cannot be reached or is not serving (down, restarting, out of connections,
 * the pool waited too long for a connection) rather than that a statement was wrong: the request may succeed
 * if tried again later, so it is answered 503 with Retry-After instead of 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code)) {
    return true;
  }
  // SQLSTATE: connection exceptions, too many connections, server shutting down or starting up.
  if (/^(08...|53300|57P0[123])$/.test(code)) {
    return true;
  }
  // node-postgres and pg-pool say these in words only.
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    code === '' &&
    /^(timeout exceeded when trying to connect|Connection terminated( unexpectedly| due to connection timeout)?)$/.test(
      message,
    )
  );
}
