// What the database fault proxy can be told to do; shared by the proxy (Node) and the tests that steer it (workerd).

export type DatabaseFaultMode = 'none' | 'down' | 'slow' | 'error' | 'postgres-error'

export interface DatabaseFault {
  mode: DatabaseFaultMode
  /** For `slow`: how long each request is held before it is forwarded. */
  delayMs?: number
  /** For `postgres-error`: the SQLSTATE Postgres reports, e.g. 57P03 while it starts up. */
  sqlState?: string
}
