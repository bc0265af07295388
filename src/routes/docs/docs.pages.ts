import { html } from 'hono/html'

// The readers' scripts and styles are Workers static assets (public/static/, filled from the swagger-ui-dist and redoc
// packages by scripts/vendor-assets.ts), so the pages render offline and under a CSP without inline code; each
// page's small init script reads the document's address from a data attribute.

export function swaggerUiPage(specUrl: string) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Phone Auth API — Swagger UI</title>
    <link rel="icon" href="/static/web/icon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
    <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>
    <script src="/static/docs/swagger-init.js" defer></script>
  </head>
  <body>
    <main id="swagger-ui" data-spec-url="${specUrl}"></main>
  </body>
</html>`
}

export function redocPage(specUrl: string) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Phone Auth API — Redoc</title>
    <link rel="icon" href="/static/web/icon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/static/docs/redoc.css">
    <script src="/static/vendor/redoc/redoc.standalone.js" defer></script>
    <script src="/static/docs/redoc-init.js" defer></script>
  </head>
  <body>
    <main id="redoc" data-spec-url="${specUrl}"></main>
  </body>
</html>`
}
