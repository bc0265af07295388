// The Worker for `npm run dev`: built as production builds it (`wrangler deploy --dry-run`), run in workerd through
// Miniflare with wrangler.toml's bindings, static assets and .dev.vars, and rebuilt when src/ or wrangler.toml change.
// `wrangler dev` itself puts a proxy Worker in a second workerd in front and carries console output over the
// inspector: it cost several times the Worker's own CPU per request, and both workerd processes grew by tens of KiB
// per request without giving it back (docs/performance.md).
import { spawnSync } from 'node:child_process'
import { watch } from 'node:fs'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const WRANGLER = fileURLToPath(new URL('../bin/wrangler.js', import.meta.resolve('wrangler')))
const OUT_DIR = fromRoot('.wrangler/dev-build')
const WATCHED = ['src', 'wrangler.toml']
const REBUILD_AFTER_MS = 150

export interface DevWorkerOptions {
  host: string
  port: number
  /** Variables over wrangler.toml's [vars] and .dev.vars. */
  overrides: Record<string, string>
  /** Where Chrome DevTools or an editor can attach; none when left out. */
  inspectorPort?: number
}

export interface DevWorker {
  url: URL
  close: () => Promise<void>
}

export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  build()
  const mf = new Miniflare(miniflareOptions(options))
  const url = await mf.ready
  let timer: NodeJS.Timeout | undefined
  const watchers = WATCHED.map(path => watch(fromRoot(path), { recursive: true }, () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      try {
        build()
        void mf.setOptions(miniflareOptions(options)).then(() => console.log('Rebuilt and reloaded the Worker.'))
      }
      catch (error) {
        // A change that does not build leaves the last good Worker running.
        console.error(String(error instanceof Error
          ? error.message
          : error))
      }
    }, REBUILD_AFTER_MS)
  }))
  return {
    url,
    close: async () => {
      watchers.forEach(watcher => watcher.close())
      clearTimeout(timer)
      await mf.dispose()
    },
  }
}

function build(): void {
  const result = spawnSync(process.execPath, [
    WRANGLER,
    'deploy',
    '--dry-run',
    '--outdir',
    OUT_DIR,
  ], {
    cwd: fromRoot(''),
    encoding: 'utf8',
    env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', ...process.env },
  })
  if (result.status !== 0)
    throw new Error(`The Worker did not build:\n${result.stdout}\n${result.stderr}`)
}

function miniflareOptions(options: DevWorkerOptions) {
  // Bindings, assets, Durable Objects, compatibility settings and .dev.vars, read as wrangler dev reads them.
  // The build is one module, so wrangler's module rules have nothing to match.
  const { workerOptions: { modulesRules: _, ...workerOptions } } = unstable_getMiniflareWorkerOptions(fromRoot('wrangler.toml'))
  const worker = {
    ...workerOptions,
    name: 'phone-auth',
    modules: true,
    scriptPath: `${OUT_DIR}/index.js`,
    bindings: {
      ...workerOptions.bindings as Record<string, string>,
      ...options.overrides,
    },
  }
  return convertV4MiniflareOptions({
    host: options.host,
    port: options.port,
    inspectorPort: options.inspectorPort,
    // Durable Objects keep their state between runs, where wrangler dev kept it.
    defaultPersistRoot: fromRoot('.wrangler/state/v3'),
    telemetry: { enabled: false },
    enableDevRegistry: false,
    handleStructuredLogs: ({ level, message }: { level: string, message: string }) => {
      if (level === 'error' || level === 'warn')
        console.error(message)
      else
        console.log(message)
    },
    workers: [worker],
  } as Parameters<typeof convertV4MiniflareOptions>[0])
}
