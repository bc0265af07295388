import { html } from 'hono/html'

// The readers' scripts and styles are Workers static assets (public/static/, filled from the swagger-ui-dist and redoc
// packages by scripts/vendor-assets.ts), so the pages render offline and under a CSP without inline code; each
// page's small init script reads the document's address from a data attribute.

interface ReaderPage {
  title: string
  stylesheet: string
  bundle: string
  init: string
  /** The element the reader renders into. */
  rootId: string
}

function readerPage(page: ReaderPage, specUrl: string) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Phone Auth API — ${page.title}</title>
    <link rel="icon" href="/static/web/icon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="${page.stylesheet}">
    <script src="${page.bundle}" defer></script>
    <script src="${page.init}" defer></script>
  </head>
  <body>
    <main id="${page.rootId}" data-spec-url="${specUrl}"></main>
  </body>
</html>`
}

export function swaggerUiPage(specUrl: string) {
  return readerPage({
    title: 'Swagger UI',
    stylesheet: '/static/vendor/swagger-ui/swagger-ui.css',
    bundle: '/static/vendor/swagger-ui/swagger-ui-bundle.js',
    init: '/static/docs/swagger-init.js',
    rootId: 'swagger-ui',
  }, specUrl)
}

export function redocPage(specUrl: string) {
  return readerPage({
    title: 'Redoc',
    stylesheet: '/static/docs/redoc.css',
    bundle: '/static/vendor/redoc/redoc.standalone.js',
    init: '/static/docs/redoc-init.js',
    rootId: 'redoc',
  }, specUrl)
}
