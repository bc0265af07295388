// EXPLAIN of the statements the Worker really sent (recorded at the SQL endpoint), with their real parameters, on the
// seeded data. Read-only statements run under EXPLAIN ANALYZE (actual rows and time); statements that write are only
// planned, so explaining them changes nothing.
import type { NeonQueryFunction } from '@neondatabase/serverless'
import type { RecordedQuery } from './database.ts'

export interface Explained {
  label: string
  analyzed: boolean
  /** Indexes the plan reads through (index scans, and the arbiter index of an INSERT … ON CONFLICT). */
  indexes: string[]
  /** Tables the plan reads in full; none is the goal. */
  seqScans: string[]
  executionMs: number | null
  plan: string
}

const WRITES = /\b(?:INSERT|UPDATE|DELETE)\b/i

export async function explain(sql: NeonQueryFunction<false, false>, statement: RecordedQuery): Promise<Explained> {
  const analyzed = !WRITES.test(statement.query)
  const options = analyzed ? 'ANALYZE, BUFFERS, COSTS OFF' : 'COSTS OFF'
  const rows = await sql.query(`EXPLAIN (${options}) ${statement.query}`, statement.params) as { 'QUERY PLAN': string }[]
  const plan = rows.map(row => row['QUERY PLAN']).join('\n')
  const indexes = new Set<string>()
  for (const match of plan.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g))
    indexes.add(match[1]!)
  for (const match of plan.matchAll(/Conflict Arbiter Indexes: ([\w, ]+)/g)) {
    for (const name of match[1]!.split(', '))
      indexes.add(`${name} (ON CONFLICT arbiter)`)
  }
  const seqScans = [
    ...plan.matchAll(/Seq Scan on (\w+)/g),
  ].map(match => match[1]!)
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan)
  return {
    label: statement.label,
    analyzed,
    indexes: [...indexes],
    seqScans,
    executionMs: execution
      ? Number(execution[1])
      : null,
    plan,
  }
}
