// Starts Swagger UI on /docs/ (an external file, because the page's CSP allows no inline script).
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui')
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // Keeps the bearer token from "Authorize" across reloads (in this browser's localStorage only).
    persistAuthorization: true,
    // The default validator badge is an image from a third-party server: the docs must work offline.
    validatorUrl: null,
  })
})
