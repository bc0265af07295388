import type { E164 } from '../../domain/phone-number'
import type { Channel } from './code-sender'
import { maskPhoneNumber } from '../../domain/phone-number'

/** Local development only (config refuses it in production): the "SMS" is the dev server's log. */
export function consoleSmsSender(channel: Channel): (to: E164, body: string) => Promise<void> {
  return async (to, body) => {
    // eslint-disable-next-line no-console -- the dev server's log is this sender's delivery channel
    console.log(`[${channel} to ${maskPhoneNumber(to)}] ${body}`)
  }
}
