declare const clientKeyBrand: unique symbol

/**
 * What one client's requests are counted under for quotas, made only by `parseClientKey` from an IP address. Quota
 * keys take this type, so neither a raw header value nor a catch-all bucket can stand in for a client.
 */
export type ClientKey = string & { readonly [clientKeyBrand]: true }

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/

/**
 * The client key of an IP address in its plain textual form ("203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7"),
 * or null for anything else: brackets, ports, zone ids, lists, leading zeros in IPv4 (read as octal by some
 * parsers, so one address would have two spellings). An IPv4 address is its own key; an IPv4-mapped IPv6 address
 * counts as that IPv4 address. One IPv6 host usually holds a whole /64, so counting single addresses there would
 * let it rotate through billions; its /64 prefix is the unit instead ("2001:db8:0:0::/64").
 */
export function parseClientKey(ip: string): ClientKey | null {
  if (IPV4.test(ip))
    return ip as ClientKey
  const groups = ipv6Groups(ip.toLowerCase())
  if (!groups)
    return null
  if (groups.slice(0, 5).every(group => group === 0) && groups[5] === 0xFFFF) {
    return [
      groups[6]! >> 8,
      groups[6]! & 0xFF,
      groups[7]! >> 8,
      groups[7]! & 0xFF,
    ].join('.') as ClientKey
  }
  return `${groups.slice(0, 4).map(group => group.toString(16)).join(':')}::/64` as ClientKey
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms), or null. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::')
  if (halves.length > 2)
    return null
  const parts = halves.map(half => half === ''
    ? []
    : half.split(':'))
  const last = parts.at(-1)!
  // A trailing dotted quad is the last 32 bits.
  if (last.length > 0 && IPV4.test(last.at(-1)!)) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number) as [number, number, number, number]
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16))
  }
  if (!parts.every(half => half.every(group => HEX_GROUP.test(group))))
    return null
  const [head = [], tail] = parts
  const present = head.length + (tail?.length ?? 0)
  if (tail === undefined
    ? present !== 8
    : present > 7) {
    return null
  }
  const groups = [
    ...head,
    ...Array.from<string>({ length: 8 - present }).fill('0'),
    ...(tail ?? []),
  ]
  return groups.map(group => Number.parseInt(group, 16))
}
