import type { PageContext } from '../layout'
import { Status } from '../components'
import { Layout } from '../layout'
import { SEND_CODE_PATH } from '../paths'

export interface SignedOutPageProps {
  page: PageContext
  /** Signed out of every session of the account, not only this browser's. */
  everywhere: boolean
  /** How long an access token lives, so the page can say when other devices notice. */
  accessTokenSeconds: number
}

export function SignedOutPage({ page, everywhere, accessTokenSeconds }: SignedOutPageProps) {
  const { t } = page
  return (
    <Layout page={page} title={t.signedOutTitle}>
      <Status message={everywhere
        ? t.signedOutEverywhere(accessTokenSeconds)
        : t.signedOut}
      />
      <p><a href={SEND_CODE_PATH}>{t.signInAgain}</a></p>
    </Layout>
  )
}
