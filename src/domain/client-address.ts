/**
 * The key a client's requests are counted under. One IPv6 host usually holds a whole /64, so counting single
 * addresses there would let it rotate through billions; its /64 prefix is the unit instead.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip)
    return 'unknown'
  if (!ip.includes(':'))
    return ip
  const [head = '', tail = ''] = ip.toLowerCase().split('::')
  const headGroups = head
    ? head.split(':')
    : []
  const tailGroups = tail
    ? tail.split(':')
    : []
  const groups = ip.includes('::')
    ? [
        ...headGroups,
        ...Array.from({ length: 8 - headGroups.length - tailGroups.length }).fill('0'),
        ...tailGroups,
      ]
    : headGroups
  return `${groups.slice(0, 4).map(group => group.replace(/^0+(?=.)/, '')).join(':')}::/64`
}
