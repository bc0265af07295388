import process from 'node:process'
import { execFileSync } from 'node:child_process'
import { startLocalNeon } from '../scripts/local-neon/server.ts'
import { applyMigrations } from '../scripts/migrate.ts'
import { call, phonePool, SignInCodes } from './api.ts'
import { benchBindings } from './bindings.ts'
import { startWorker } from './worker.ts'

const psql = (sql: string) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', sql], { stdio: 'pipe' })
psql('DROP DATABASE IF EXISTS peer_perf_exp WITH (FORCE)')
psql('CREATE DATABASE peer_perf_exp')
const neon = await startLocalNeon({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/peer_perf_exp' })
await applyMigrations({ localSqlEndpoint: neon.url })
const codes = new SignInCodes()
const worker = await startWorker({ bundlePath: process.argv[2] ?? 'dist/index.js', bindings: { ...await benchBindings(neon.url), ...JSON.parse(process.env.EXTRA ?? '{}') }, onLog: (l) => { codes.onLog(l); if (process.env.SHOWLOG && /error/i.test(l)) console.log(l.slice(0, 600)) } })
const pool = phonePool()
const N = Number(process.env.N ?? 200)
const cpu = () => worker.cpuNs() / 1e6
const self = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
await call(worker.url, { method: 'GET', path: '/.well-known/jwks.json' })
for (let i = 0; i < 20; i++) { const p = pool.pop()!; await call(worker.url, { method: 'POST', path: '/users/auth/send_sms/', body: { phone_number: p } }) }
let t = cpu(); let s = self(); let n0 = neonCpu()
const phones = pool.splice(0, N)
for (const p of phones) { const r = await call(worker.url, { method: 'POST', path: '/users/auth/send_sms/', body: { phone_number: p } }); if (r.status !== 202) throw new Error(JSON.stringify(r)) }
console.log('send_sms workerd ms/req', ((cpu() - t) / N).toFixed(2))
const got = await Promise.all(phones.map(p => codes.codeFor(p)))
t = cpu()
for (const [i, p] of phones.entries()) { const r = await call(worker.url, { method: 'POST', path: '/users/auth/verify_sms/', body: { phone_number: p, sms_code: got[i] } }); if (r.status !== 200) throw new Error(JSON.stringify(r)) }
console.log('verify_sms workerd ms/req', ((cpu() - t) / N).toFixed(2))
function neonCpu() { return 0 }
await worker.close(); await neon.close()
process.exit(0)
