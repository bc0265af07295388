// How many SMS a text is billed and delivered as (3GPP TS 23.038): a text made only of the GSM 03.38 alphabet goes
// as GSM-7, 160 septets in one message (the extension characters take two); anything else goes as UCS-2, 70 UTF-16
// units. A longer text is split into parts of 153 septets or 67 units, each billed, and autofill may miss it.

const GSM7_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM7_EXTENSION = '\f^{}\\[~]|€'

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2'
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number
  segments: number
}

export function smsSize(text: string): SmsSize {
  let septets = 0
  for (const char of text) {
    if (GSM7_BASIC.includes(char))
      septets += 1
    else if (GSM7_EXTENSION.includes(char))
      septets += 2
    else
      return size('UCS-2', text.length, 70, 67)
  }
  return size('GSM-7', septets, 160, 153)
}

function size(encoding: SmsSize['encoding'], units: number, single: number, part: number): SmsSize {
  return {
    encoding,
    units,
    segments: units <= single
      ? 1
      : Math.ceil(units / part),
  }
}
