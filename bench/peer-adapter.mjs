// This project's adapter for the side-by-side benchmark (../shared/peers, CONTRACT.md there), run by
// `npm run bench -- --peers`. It benchmarks the committed HEAD: a clone of this checkout (PHONE_AUTH_DIR, default
// $TMPDIR/peer-phone-auth; re-cloned when HEAD moves) builds the production bundle and runs bench/peer-serve.ts, which
// belongs to the project and changes with it; this file only speaks HTTP and reads "sms <masked> <code>" lines.
// Numbers are masked in those lines (first 5 and last 2 characters kept), so sends whose masks collide take turns.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { setTimeout as sleep } from 'node:timers/promises'

const SOURCE = process.env.PHONE_AUTH_SOURCE ?? process.cwd()
const dir = process.env.PHONE_AUTH_DIR ?? join(tmpdir(), 'peer-phone-auth')
const git = (args, cwd) => execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim()

export const name = 'phone-auth'
export const features = { refresh: true, referrals: true }
const head = git(['rev-parse', 'HEAD'], SOURCE)
export const description = `phone-auth-edge @ ${head.slice(0, 7)}: production bundle in workerd (Miniflare) + local Neon HTTP endpoint on PostgreSQL, as npm run bench`

function checkout(log) {
  if (!existsSync(join(dir, 'dist', 'index.js')) || git(['rev-parse', 'HEAD'], dir) !== head) {
    log(`cloning ${SOURCE} at ${head.slice(0, 7)} into ${dir}; npm ci; npm run build`)
    rmSync(dir, { recursive: true, force: true })
    execFileSync('git', ['clone', '-q', SOURCE, dir], { stdio: 'pipe' })
    execFileSync('npm', [
      'ci',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ], { cwd: dir, stdio: 'pipe' })
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: 'pipe' })
  }
}

/** masked number -> the latest code and its sequence number, so a code is taken only if it came after our send. */
const latest = new Map()
let seq = 0
/** masked number -> wakes the sign-in waiting for its code (one at a time per mask: see `turns`). */
const arrivals = new Map()
const turns = new Map()
const mask = e164 => e164.slice(0, 5) + '*'.repeat(e164.length - 7) + e164.slice(-2)

export async function start({ port, db, log = () => {} }) {
  checkout(log)
  const psql = sql => execFileSync('psql', [
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-qc',
    sql,
  ], { stdio: 'pipe' })
  psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  psql(`CREATE DATABASE ${db}`)
  const child = spawn(join(dir, 'node_modules', '.bin', 'node'), ['bench/peer-serve.ts'], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      SQL_PORT: String(port + 1),
      LOCAL_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let tail = ''
  let pending = ''
  let ready
  const readyLine = new Promise((resolve) => {
    ready = resolve
  })
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    tail = (tail + chunk).slice(-6000)
    const lines = (pending + chunk).split('\n')
    pending = lines.pop()
    for (const line of lines) {
      const [kind, masked, code] = line.split(' ')
      if (kind === 'ready')
        ready()
      else if (kind === 'sms')
        latest.set(masked, { code, seq: ++seq })
      arrivals.get(masked)?.()
    }
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    tail = (tail + chunk).slice(-6000)
  })
  const failed = Promise.race([
    once(child, 'exit'),
    sleep(120_000, undefined, { ref: false }),
  ]).then(() => {
    throw new Error(`bench/peer-serve.ts exited or did not start in 120 s:\n${tail}`)
  })
  await Promise.race([readyLine, failed])
  failed.catch(() => {})
  return {
    pid: child.pid,
    log: () => tail,
    stop: async () => {
      if (child.exitCode !== null)
        return
      const exited = once(child, 'exit')
      process.kill(-child.pid, 'SIGTERM') // the process group this adapter started (node, workerd)
      const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function call(base, method, path, body, token) {
  const headers = {}
  if (token)
    headers.authorization = `Bearer ${token}`
  if (body !== undefined)
    headers['content-type'] = 'application/json'
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    body: body === undefined
      ? undefined
      : JSON.stringify(body),
  })
  return { status: response.status, text: await response.text() }
}

/** Waits for the line, woken by its arrival rather than polling: the harness counts this process's CPU too. */
async function codeAfter(masked, mark) {
  const deadline = Date.now() + 5000
  for (let entry = latest.get(masked); !(entry && entry.seq > mark); entry = latest.get(masked)) {
    if (Date.now() > deadline)
      throw new Error(`no code for ${masked} in the server's output`)
    await new Promise((resolve) => {
      arrivals.set(masked, resolve)
      setTimeout(resolve, 100)
    })
    arrivals.delete(masked)
  }
  return latest.get(masked).code
}

export async function signIn(base, phone) {
  const masked = mask(phone)
  while (turns.has(masked))
    await turns.get(masked)
  let done
  turns.set(masked, new Promise((resolve) => {
    done = resolve
  }))
  let code
  try {
    const mark = seq
    const sent = await call(base, 'POST', '/users/auth/send_sms/', { phone_number: phone })
    if (sent.status !== 202)
      throw new Error(`send_sms ${sent.status}: ${sent.text.slice(0, 200)}`)
    code = await codeAfter(masked, mark)
  }
  finally {
    turns.delete(masked)
    done()
  }
  const verified = await call(base, 'POST', '/users/auth/verify_sms/', { phone_number: phone, sms_code: code })
  if (verified.status !== 200)
    throw new Error(`verify_sms ${verified.status}: ${verified.text.slice(0, 200)}`)
  const body = JSON.parse(verified.text)
  return { token: body.access, refresh: body.refresh, referralCode: body.user.referral_code }
}

export function profileRequest(token) {
  return {
    method: 'GET',
    path: '/users/profile/',
    headers: { authorization: `Bearer ${token}` },
  }
}

export async function activate(base, token, referralCode) {
  return (await call(base, 'PATCH', '/users/profile/update/', { inviter_referral_code: referralCode }, token)).status
}
