// Starts Redoc on /redoc/ (an external file, because the page's CSP allows no inline script).
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('redoc')
  window.Redoc.init(root.dataset.specUrl, {}, root)
})
