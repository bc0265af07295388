import type { AppRouteHandler } from '../../lib/types'
import type { CreateTransactionRoute, FindUserRoute, GetUserRoute, ListLedgerRoute } from './server.routes'
import { maskPhoneNumber } from '../../domain/phone-number'
import { listLedger as loadLedger, recordTransaction } from '../../services/points'
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

export const createTransaction: AppRouteHandler<CreateTransactionRoute> = async (c) => {
  const { entry, replayed } = await recordTransaction(c.var.services, c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key'])
  if (replayed)
    c.header('Idempotent-Replayed', 'true')
  return c.json(entry, 200)
}
