import type { Context } from 'hono'
import type { AppRouteHandler } from '../../lib/types'
import type { CreateTransactionRoute, FindUserRoute, GetUserRoute, ListLedgerRoute, ListReferralsRoute, QualifyReferralRoute, VoidReferralRoute } from './server.routes'
import { maskPhoneNumber } from '../../domain/phone-number'
import { listLedger as loadLedger, recordTransaction } from '../../services/points'
import { listFlaggedReferrals, settleReferralRewards } from '../../services/referral-rewards'
import { findUser as lookUpUser } from '../../services/server-users'

export const getUser: AppRouteHandler<GetUserRoute> = async (c) => {
  return c.json(await lookUpUser(c.var.services, { id: c.req.valid('param').id }), 200)
}

export const findUser: AppRouteHandler<FindUserRoute> = async (c) => {
  const { phone_number } = c.req.valid('query')
  c.var.request.phone = maskPhoneNumber(phone_number)
  return c.json(await lookUpUser(c.var.services, { phoneNumber: phone_number }), 200)
}

export const listLedger: AppRouteHandler<ListLedgerRoute> = async (c) => {
  const { limit, cursor } = c.req.valid('query')
  return c.json(await loadLedger(c.var.services, c.req.valid('param').id, limit, cursor), 200)
}

/** A repeated Idempotency-Key's answer says so. */
function markReplayed(c: Context, replayed: boolean): void {
  if (replayed)
    c.header('Idempotent-Replayed', 'true')
}

export const createTransaction: AppRouteHandler<CreateTransactionRoute> = async (c) => {
  const { entry, replayed } = await recordTransaction(c.var.services, c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
  markReplayed(c, replayed)
  return c.json(entry, 200)
}

export const qualifyReferral: AppRouteHandler<QualifyReferralRoute> = async (c) => {
  const { referral, replayed } = await settleReferralRewards(c.var.services, c.req.valid('param').id, { action: 'qualify' }, c.req.valid('header')['idempotency-key'])
  markReplayed(c, replayed)
  return c.json(referral, 200)
}

export const voidReferral: AppRouteHandler<VoidReferralRoute> = async (c) => {
  const { reason } = c.req.valid('json')
  const { referral, replayed } = await settleReferralRewards(c.var.services, c.req.valid('param').id, { action: 'void', reason }, c.req.valid('header')['idempotency-key'])
  markReplayed(c, replayed)
  return c.json(referral, 200)
}

export const listReferrals: AppRouteHandler<ListReferralsRoute> = async (c) => {
  const { limit, cursor } = c.req.valid('query')
  return c.json(await listFlaggedReferrals(c.var.services, limit, cursor), 200)
}
