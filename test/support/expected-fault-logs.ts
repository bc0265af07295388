// workerd reports what the fault tests provoke on purpose: a refused or dropped connection to the database proxy
// while it is "down", and the faulty KV wrapper's injected errors, as "uncaught exception" traces. The Worker answers
// those requests with 503 and the tests assert on that; the traces are noise that would bury a real failure. The
// vitest plugin prints workerd's logs from this (the main) process, one message per write, so they are dropped
// here; every other write passes through untouched.
import process from 'node:process'

const EXPECTED = [
  'disconnected: Connection refused',
  'Network connection lost.',
  '(injected fault)',
]

/** Starts dropping the expected messages; returns the function that stops it. */
export function hideExpectedFaultLogs(): () => void {
  const restores = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write
    stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk === 'string' && EXPECTED.some(marker => chunk.includes(marker)))
        return true
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof stream.write
    return () => {
      stream.write = write
    }
  })
  return () => restores.forEach(restore => restore())
}
