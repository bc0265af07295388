import type { PageContext } from '../layout'
import { Layout } from '../layout'
import { SEND_CODE_PATH } from '../paths'

export function ErrorPage({ page, title, message, requestId }: {
  page: PageContext
  title: string
  message: string
  requestId?: string
}) {
  const { t } = page
  return (
    <Layout page={page} title={title}>
      <p>{message}</p>
      {requestId && <p class="muted">{t.requestId(requestId)}</p>}
      <p><a href={SEND_CODE_PATH}>{t.backToStart}</a></p>
    </Layout>
  )
}
