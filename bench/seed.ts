// The data set the benchmark runs on, written straight in SQL: a handful of big INSERT … SELECT generate_series
// statements, so 100,000 users take seconds, not 100,000 API calls. Deterministic: user n has id md5('bench-user-n'),
// phone +7999nnnnnnn and a unique referral code, so the benchmark can sign in as any of them through the API.
import type { NeonQueryFunction } from '@neondatabase/serverless'
import type { E164 } from '../src/domain/phone-number.ts'
import { createHash } from 'node:crypto'

export const SEED = {
  users: 100_000,
  /** Users 1..invitees activated someone's code. */
  invitees: 20_000,
  /** Users whose profile cost is measured against the size of their referral list (the last users). */
  growth: [10, 100, 1_000, 10_000],
  /** One more inviter with 1,000+ referrals, and the rest of the invitees spread over many small inviters. */
  bigInviterReferrals: 1_500,
  smallInviters: 2_000,
} as const

/** Inviter of `growth[k]` referrals is user (users - k); the big inviter is (users - growth.length). */
export const growthInviter = (k: number) => SEED.users - k
export const bigInviter = SEED.users - SEED.growth.length
/** Small inviters are users 50,001..52,000 — never invitees themselves. */
export const smallInviter = (k: number) => 50_001 + k
/** Users 60,000+ (up to the inviters above) invited nobody and were invited by nobody: "plain" users. */
export const plainUser = 60_000

// Canonical E.164 by construction (+7 999 is a mobile range), as the parser would give it.
export const seededPhone = (n: number) => `+7999${String(n).padStart(7, '0')}` as E164
export const seededId = (n: number) => md5Uuid(`bench-user-${n}`)

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
/** 6 symbols of 5 bits from n·48271 mod 2^30: odd multiplier, so distinct users get distinct codes. */
export function seededReferralCode(n: number): string {
  const scrambled = Number((BigInt(n) * 48271n) % (1n << 30n))
  let code = ''
  for (let shift = 25; shift >= 0; shift -= 5)
    code += ALPHABET[(scrambled >> shift) & 31]
  return code
}

const codeSql = (n: string) => Array.from({ length: 6 }, (_, k) => `substr('${ALPHABET}', ((((${n})::bigint * 48271) % 1073741824 >> ${25 - 5 * k}) & 31)::int + 1, 1)`).join(' || ')

function md5Uuid(text: string): string {
  // Only used to name rows; the SQL side computes the same with md5(text)::uuid.
  return createHash('md5').update(text).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')
}

/** Which user invited user n (n ≤ invitees): the growth inviters first, then the big one, then round robin. */
function inviterSql(n: string): string {
  let from = 0
  const cases: string[] = []
  SEED.growth.toReversed().forEach((count, index) => {
    const k = SEED.growth.length - 1 - index
    cases.push(`WHEN ${n} <= ${from + count} THEN ${growthInviter(k)}`)
    from += count
  })
  cases.push(`WHEN ${n} <= ${from + SEED.bigInviterReferrals} THEN ${bigInviter}`)
  cases.push(`ELSE ${smallInviter(0)} + (${n} % ${SEED.smallInviters})`)
  return `CASE ${cases.join(' ')} END`
}

export async function seed(sql: NeonQueryFunction<false, false>): Promise<{ seconds: number, counts: Record<string, number> }> {
  const started = performance.now()
  const { users, invitees } = SEED
  // Names repeat across users as in life; created_at spreads over a year, invited_at after it.
  await sql.query(`
    INSERT INTO users (id, phone_number, referral_code, first_name, last_name, email, inviter_id, invited_at, points, created_at, last_sign_in_at, updated_at)
    SELECT md5('bench-user-' || n)::uuid,
           '+7999' || lpad(n::text, 7, '0'),
           ${codeSql('n')},
           (ARRAY['Anna','Ivan','Maria','Oleg','Elena','Dmitry','Olga','Sergey','Irina','Pavel'])[1 + n % 10],
           (ARRAY['Smirnova','Petrov','Ivanova','Sokolov','Popova','Lebedev','Kozlova','Novikov'])[1 + n % 8],
           CASE WHEN n % 3 = 0 THEN 'user' || n || '@example.com' END,
           CASE WHEN n <= ${invitees} THEN md5('bench-user-' || ${inviterSql('n')})::uuid END,
           CASE WHEN n <= ${invitees} THEN now() - make_interval(secs => n * 311.0) END,
           CASE WHEN n <= ${invitees} THEN 100 ELSE 0 END,
           now() - make_interval(days => 365) + make_interval(secs => n * 150.0),
           now() - make_interval(secs => n * 60.0),
           now() - make_interval(secs => n * 60.0)
    FROM generate_series(1, ${users}) AS n`)
  // Inviters' balances and both ledger rows of every activation, so points still equal the ledger.
  await sql.query(`
    UPDATE users SET points = users.points + 200 * referrals.count
    FROM (SELECT inviter_id, count(*) AS count FROM users WHERE inviter_id IS NOT NULL GROUP BY inviter_id) referrals
    WHERE users.id = referrals.inviter_id`)
  await sql.query(`
    INSERT INTO points_ledger (user_id, amount, reason, invitee_id, created_at)
    SELECT id, 100, 'referral_invitee', id, invited_at FROM users WHERE inviter_id IS NOT NULL
    UNION ALL
    SELECT inviter_id, 200, 'referral_inviter', id, invited_at FROM users WHERE inviter_id IS NOT NULL`)
  // One session per user, half of them already rotated, so the token-hash index has realistic company.
  await sql.query(`
    INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, revoked_at, revoked_reason, created_at)
    SELECT md5('bench-user-' || n)::uuid, encode(sha256(('bench-token-' || n)::bytea), 'hex'), md5('bench-family-' || n)::uuid,
           now() + interval '20 days', CASE WHEN n % 2 = 0 THEN now() - interval '1 day' END, CASE WHEN n % 2 = 0 THEN 'rotated' END,
           now() - interval '10 days'
    FROM generate_series(1, ${users}) AS n`)
  // Fresh statistics and visibility map, as autovacuum would leave them, so plans are those of a settled database.
  for (const table of ['users', 'points_ledger', 'refresh_tokens'])
    await sql.query(`VACUUM ANALYZE ${table}`)
  const [counts] = await sql.query(`
    SELECT (SELECT count(*) FROM users)::int AS users,
           (SELECT count(*) FROM users WHERE inviter_id IS NOT NULL)::int AS invitees,
           (SELECT count(DISTINCT inviter_id) FROM users)::int AS inviters,
           (SELECT count(*) FROM points_ledger)::int AS ledger_rows,
           (SELECT count(*) FROM refresh_tokens)::int AS refresh_tokens`) as [Record<string, number>]
  return { seconds: (performance.now() - started) / 1000, counts }
}
