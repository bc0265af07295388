// CPU and memory of a process and everything it started, from /proc: what a server costs, whatever it is made of.
import { readdirSync, readFileSync } from 'node:fs'
import { processCpuNs, processRssBytes } from './worker.ts'

/** `root` and its descendants, with their command names. */
export function processTree(root: number): { pid: number, name: string }[] {
  const children = new Map<number, number[]>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry))
      continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))
      children.set(parent, [
        ...children.get(parent) ?? [],
        Number(entry),
      ])
    }
    catch {
      // The process ended while we looked.
    }
  }
  const tree: { pid: number, name: string }[] = []
  for (const stack = [root]; stack.length;) {
    const pid = stack.pop()!
    tree.push({ pid, name: names.get(pid) ?? '?' })
    stack.push(...children.get(pid) ?? [])
  }
  return tree
}

/** Nanoseconds on CPU so far, summed over the tree's live processes (all threads). */
export function treeCpuNs(root: number): number {
  return processTree(root).reduce((sum, { pid }) => sum + orZero(() => processCpuNs(pid)), 0)
}

/** Resident memory of each workerd process in the tree, largest first. */
export function workerdRssBytes(root: number): number[] {
  return processTree(root).filter(({ name }) => name === 'workerd').map(({ pid }) => orZero(() => processRssBytes(pid))).sort((a, b) => b - a)
}

function orZero(read: () => number): number {
  try {
    return read()
  }
  catch {
    return 0
  }
}
