import type { Context } from 'hono'
import type { AppBindings } from '../lib/types'
import type { Language, Messages } from './i18n'

/** The API's bindings plus what every web page knows: the reader's language and its messages. */
export interface WebBindings {
  Bindings: AppBindings['Bindings']
  Variables: AppBindings['Variables'] & {
    language: Language
    t: Messages
  }
}

export type WebContext = Context<WebBindings>
