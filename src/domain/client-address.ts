/**
 * The key a client's requests are counted under. One IPv6 host usually holds a whole /64, so counting single
 * addresses there would let it rotate through billions; its /64 prefix is the unit instead.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip)
    return 'unknown'
  if (!ip.includes(':'))
    return ip
  const [head = '', tail] = ip.toLowerCase().split('::')
  const headGroups = head.split(':').filter(Boolean)
  const tailGroups = tail?.split(':').filter(Boolean) ?? []
  const elided = tail === undefined
    ? 0
    : 8 - headGroups.length - tailGroups.length
  const groups = [
    ...headGroups,
    ...Array.from<string>({ length: elided }).fill('0'),
    ...tailGroups,
  ]
  return `${groups.slice(0, 4).map(group => group.replace(/^0+(?=.)/, '')).join(':')}::/64`
}
