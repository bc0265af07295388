// Copy buttons on the profile page (progressive enhancement: without this script the values are still there to
// select, and the buttons stay hidden). An external file, because the pages' CSP allows no inline script.
for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy)
  const status = document.getElementById(`${button.dataset.copy}-status`)
  if (!field || !navigator.clipboard)
    continue
  button.hidden = false
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value)
      status.textContent = button.dataset.copied
    }
    catch {
      // No clipboard permission: select the text so the person can copy it themselves.
      field.focus()
      field.select()
    }
  })
}
