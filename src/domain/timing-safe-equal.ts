/** Compares two strings in time that depends only on their length, so a guess leaks nothing through timing. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  let difference = left.length ^ right.length
  for (let i = 0; i < left.length; i++)
    difference |= left[i]! ^ (right[i % right.length] ?? 0)
  return difference === 0
}
