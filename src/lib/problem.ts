import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppBindings } from './types'
import { HTTPException } from 'hono/http-exception'
import { ConfigError } from '../config'
import { AppError, InternalError, MalformedBody, PayloadTooLarge, UnsupportedMediaType } from './errors'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export function problemType(code: string): string {
  return `urn:phone-auth:problem:${code}`
}

/**
 * The RFC 9457 problem details of an error, as answered at `instance` (the request's path). The API documentation
 * builds its examples with this too, so they have the shape of real answers.
 */
export function problemBody(error: AppError, instance: string, requestId?: string) {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.errors
      ? { errors: error.errors }
      : {}),
    ...error.extensions,
    // Quoting it in a bug report leads straight to this request's log line.
    request_id: requestId,
  }
}

/** Writes an error as RFC 9457 problem details. */
export function problemResponse(c: Context<AppBindings>, error: AppError): Response {
  const body = problemBody(error, new URL(c.req.url).pathname, c.var.request?.requestId)
  return new Response(JSON.stringify(body), {
    status: error.status as ContentfulStatusCode,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...error.headers },
  })
}

/** Maps anything thrown while handling a request to the AppError the client should see. */
export function toAppError(error: unknown): AppError {
  if (error instanceof HTTPException) {
    // Hono's own validators and middleware throw these for what the client sent.
    if (error.status === 413)
      return new PayloadTooLarge('The request body exceeds the size limit.')
    if (error.status === 415)
      return new UnsupportedMediaType('This operation accepts application/json bodies only.')
    if (error.status === 400)
      return new MalformedBody('The request body could not be parsed as JSON.')
  }
  if (error instanceof AppError)
    return error
  if (error instanceof ConfigError)
    return new InternalError('The service is misconfigured.', { cause: error })
  return new InternalError('An unexpected error occurred.', { cause: error })
}
