import { StorageUnavailable } from '../lib/errors'

/** Runs one KV operation; any failure of the store becomes StorageUnavailable (503, retry). */
export async function kvOperation<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  }
  catch (error) {
    throw new StorageUnavailable('Sign-in codes cannot be stored or read right now; please retry shortly.', { cause: error })
  }
}
