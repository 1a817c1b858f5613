/**
 * The in-memory JET engine: `JetApi` implemented in TypeScript, rule for rule as
 * docs/ESENT-SEMANTICS.md describes ESENT. This module only wires the parts together; a newcomer
 * finds each idea in its own module:
 *
 * - `state.ts`: the live objects (instances, sessions, cursors) and the handles that name them;
 * - `model.ts`, `tree.ts`, `record.ts`: databases, tables and schemas, the sorted copy-on-write
 *   indexes, the packed records;
 * - `entries.ts`: the keys a record has in each index, and writing a record with all its entries;
 * - `keys.ts`: normalized index keys (`JetMakeKey`, key segments, collation);
 * - `transactions.ts`: snapshots, private versions, commit and rollback, write locks;
 * - `cursors.ts`: where a cursor stands and how it moves;
 * - `columns.ts`: reading and setting column values;
 * - `catalog.ts`, `catalog-info.ts`: DDL, and schema information in ESENT's structs;
 * - `api-*.ts`: the `JetApi` calls, grouped as the API reference groups them.
 *
 * @module
 */
import type { JetApi } from "../jet/api.ts"
import { cursorApi } from "./api-cursor.ts"
import { ddlApi } from "./api-ddl.ts"
import { recordApi } from "./api-records.ts"
import { systemApi } from "./api-system.ts"
import { transactionApi } from "./api-transaction.ts"
import type { EngineCore, EngineOptions, EngineState } from "./state.ts"
import { findSession } from "./state.ts"

export type { EngineCore, EngineOptions, EngineResources, InstanceCondition } from "./state.ts"

/** Builds the raw engine (no fault injection or call counting; see index.ts). */
export const makeEngine = (options: EngineOptions): EngineCore => {
  const st: EngineState = {
    store: options.store,
    options,
    instances: new Map(),
    sessions: new Map(),
    cursors: new Map(),
    processParams: new Map(),
    nextHandle: 0x10000n,
    thread: 1,
    api: undefined as unknown as JetApi,
    lastSession: undefined,
    lastCursor: undefined
  }
  st.api = {
    ...systemApi(st),
    ...ddlApi(st),
    ...cursorApi(st),
    ...recordApi(st),
    ...transactionApi(st)
  }
  return {
    api: st.api,
    inspect: () => ({
      instances: [...st.instances.values()].map((i) => ({
        instance: i.id,
        initialized: i.state !== "created",
        sessions: [...i.sessions].map((s) => ({
          sesid: s.id,
          transactionLevel: s.level,
          databases: [...s.openDbs.keys()],
          cursors: [...s.cursors].map((c) => c.id)
        }))
      }))
    }),
    sessionOf: (sesid) => findSession(st, sesid),
    get thread() {
      return st.thread
    },
    set thread(thread: number) {
      st.thread = thread
    },
    setCondition: (instance, condition) => {
      const inst = st.instances.get(instance)
      if (inst === undefined) return false
      inst.condition = condition
      return true
    }
  }
}
