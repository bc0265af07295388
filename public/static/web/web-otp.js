// Fills the sign-in code in from the SMS where the browser can read it (the WebOTP API, with the text's last line
// "@host #code"), then sends the form. Progressive enhancement: without the API the plain form is untouched, and
// typing or sending the form stops the wait, so a code read later never overwrites what the person typed. An
// external file, because the pages' CSP allows no inline script.
const input = document.querySelector('input[autocomplete="one-time-code"]')
if (input && 'OTPCredential' in window) {
  const wait = new AbortController()
  const stop = () => wait.abort()
  input.addEventListener('input', stop, { once: true })
  input.form?.addEventListener('submit', stop, { once: true })
  navigator.credentials.get({
    otp: {
      transport: ['sms'],
    },
    signal: wait.signal,
  })
    .then((otp) => {
      if (!otp?.code || wait.signal.aborted)
        return
      stop()
      input.value = otp.code
      input.form?.requestSubmit()
    })
    // Stopped, refused by the person, or no SMS: they type the code themselves.
    .catch(() => {})
}
