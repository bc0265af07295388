// What the fake webhook receiver records and how tests script it; plain types, for Node and workerd alike.

export interface RecordedDelivery {
  path: string
  headers: Record<string, string>
  body: string
  /** What the receiver answered. */
  status: number
}

/** For deliveries mentioning `match`: these statuses in turn, then `then` (200 unless given) for every later one. */
export interface ScriptedAnswers {
  match: string
  statuses: number[]
  then?: number
}
