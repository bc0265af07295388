import type { SmsSender } from './sms-sender'
import { maskPhoneNumber } from '../../domain/phone-number'

/** Local development only (config refuses it in production): the "SMS" is the dev server's log. */
export function consoleSmsSender(): SmsSender {
  return {
    async send({ to, body }) {
      // eslint-disable-next-line no-console -- the dev server's log is this sender's delivery channel
      console.log(`[sms to ${maskPhoneNumber(to)}] ${body}`)
    },
  }
}
