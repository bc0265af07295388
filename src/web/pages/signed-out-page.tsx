import type { PageContext } from '../layout'
import { Status } from '../components'
import { Layout } from '../layout'
import { SEND_CODE_PATH } from '../paths'

export interface SignedOutPageProps {
  page: PageContext
  /** Signed out of every session of the account, not only this browser's. */
  everywhere: boolean
  /** The account was deleted. */
  deleted: boolean
  /** How long an access token lives, so the page can say when other devices notice. */
  accessTokenSeconds: number
}

export function SignedOutPage({ page, everywhere, deleted, accessTokenSeconds }: SignedOutPageProps) {
  const { t } = page
  const message = deleted
    ? t.accountDeleted
    : everywhere
      ? t.signedOutEverywhere(accessTokenSeconds)
      : t.signedOut
  return (
    <Layout page={page} title={t.signedOutTitle}>
      <Status message={message} />
      <p><a href={SEND_CODE_PATH}>{t.signInAgain}</a></p>
    </Layout>
  )
}
