/**
 * The result objects the engine's calls return, shared where nothing but success is reported.
 *
 * @module
 */
import type { JetResult, JetRetrieveColumnResult } from "../jet/api.ts"
import { JET_COLUMNID } from "../jet/handles.ts"

export const empty = new Uint8Array(0)

// Most calls succeed with nothing else to report: they share one result object.
export const success: JetResult = Object.freeze({ err: 0 })

export const err = (code: number): JetResult => code === 0 ? success : { err: code }

export const fail = (e: number): JetRetrieveColumnResult => ({
  err: e,
  cbActual: 0,
  columnidNextTagged: JET_COLUMNID(0)
})
