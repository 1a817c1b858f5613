/**
 * `JetApi` calls that begin, commit and roll back transactions.
 *
 * @module
 */
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import {
  bitCommitLazyFlush,
  bitForceNewLog,
  bitRollbackAll,
  bitTransactionReadOnly,
  bitWaitAllLevel0Commit,
  bitWaitLastLevel0Commit,
  maxLevel
} from "./constants.ts"
import { err } from "./results.ts"
import type { EngineState } from "./state.ts"
import { apiPart, getSession, ownerNow } from "./state.ts"
import { beginLevel0, commitLevel, rollbackLevel } from "./transactions.ts"

/** The engine's transaction calls. */
export const transactionApi = (st: EngineState) =>
  apiPart({
    // Transactions

    JetBeginTransaction(sesid) {
      return st.api.JetBeginTransaction2(sesid, 0)
    },

    JetBeginTransaction2(sesid, grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if ((grbit & ~bitTransactionReadOnly) !== 0) return err(E.JET_errInvalidGrbit)
      if (s.level >= maxLevel) return err(E.JET_errTransTooDeep)
      if (s.level === 0) {
        beginLevel0(s)
        s.trxOwner = ownerNow(st, s)
        s.readOnly = (grbit & bitTransactionReadOnly) !== 0
      } else {
        for (const tx of s.txs.values()) {
          tx.saves.push({ priv: tx.priv, opsLen: tx.ops.length })
          if (tx.priv !== undefined) tx.frozen = true
        }
      }
      s.level++
      return err(0)
    },

    JetCommitTransaction(sesid, grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const known = bitCommitLazyFlush | bitWaitLastLevel0Commit | bitWaitAllLevel0Commit | bitForceNewLog
      if ((grbit & ~known) !== 0) return err(E.JET_errInvalidGrbit)
      const waits = grbit & (bitWaitLastLevel0Commit | bitWaitAllLevel0Commit)
      if (waits !== 0) {
        if (grbit !== bitWaitLastLevel0Commit && grbit !== bitWaitAllLevel0Commit) {
          return err(E.JET_errInvalidGrbit)
        }
        if (s.level > 0) return err(E.JET_errInvalidGrbit)
        return err(0)
      }
      if (s.level === 0) return err(E.JET_errNotInTransaction)
      commitLevel(s)
      return err(0)
    },

    JetRollback(sesid, grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if ((grbit & ~bitRollbackAll) !== 0) return err(E.JET_errInvalidGrbit)
      if (s.level === 0) return err(E.JET_errNotInTransaction)
      if ((grbit & bitRollbackAll) !== 0) { while (s.level > 0) rollbackLevel(st, s) }
      else rollbackLevel(st, s)
      return err(0)
    }
  })
