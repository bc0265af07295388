// Node module hooks (registered by bench/handler-cpu.ts): resolves `cloudflare:workers`, which only workerd provides,
// to bench/cloudflare-workers-shim.ts.
interface Resolved { url: string, shortCircuit?: boolean }
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<Resolved> {
  if (specifier === 'cloudflare:workers')
    return { url: new URL('./cloudflare-workers-shim.ts', import.meta.url).href, shortCircuit: true }
  return nextResolve(specifier, context)
}
