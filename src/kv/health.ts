import { kvOperation } from './errors'

/** A key no one writes: reading it proves the namespace answers, and costs one read. */
const PROBE_KEY = 'health-probe'

export async function pingKv(kv: KVNamespace): Promise<void> {
  await kvOperation(() => kv.get(PROBE_KEY))
}
