import { describe, expect, it } from "vitest"
import {
  JET_bitColumnMultiValued,
  JET_bitColumnTagged,
  JET_bitIndexPrimary,
  JET_bitRetrieveFromIndex,
  JET_bitRetrieveFromPrimaryBookmark,
  JET_coltypBinary,
  JET_coltypGUID,
  JET_coltypIEEEDouble,
  JET_coltypLong,
  JET_coltypLongLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext
} from "../../src/jet/constants.ts"
import type { Env, Table } from "./harness.ts"
import {
  codes,
  createTable,
  dec,
  enc,
  expectErr,
  forEachEngine,
  hex,
  insert,
  must,
  ok,
  openEnv,
  retrieve
} from "./harness.ts"

const fromIndex = JET_bitRetrieveFromIndex
const fromBookmark = JET_bitRetrieveFromPrimaryBookmark

/** Every entry of the current index, as `read` sees the cursor on it. */
const entries = <A>(env: Env, t: Table, read: () => A): Array<A> => {
  const out: Array<A> = []
  let err = env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0).err
  while (err === 0) {
    out.push(read())
    err = env.api.JetMove(env.sesid, t.tableid, JET_MoveNext, 0).err
  }
  expectErr(err, codes.JET_errNoCurrentRecord)
  return out
}

forEachEngine((engine) => {
  describe("retrieving from the index entry", () => {
    const numbers = (env: Env) => {
      const t = createTable(env, "numbers", {
        id: { coltyp: JET_coltypLong },
        n: { coltyp: JET_coltypLong },
        d: { coltyp: JET_coltypIEEEDouble },
        big: { coltyp: JET_coltypLongLong },
        name: { coltyp: JET_coltypText, cp: 1252 }
      }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byN", key: "+n-d+big" },
        { name: "byName", key: "+name" }
      ])
      const rows: ReadonlyArray<readonly [number, number, number, bigint, string]> = [
        [1, -7, 2.5, -(2n ** 40n), "Alpha"],
        [2, 3, -0.125, 9n, "beta"],
        [3, 3, 1e300, 0n, "Gamma"]
      ]
      for (const [id, n, d, big, name] of rows) {
        insert(env.api, env.sesid, t.tableid, [
          [t.col.id, enc.i32(id)],
          [t.col.n, enc.i32(n)],
          [t.col.d, enc.f64(d)],
          [t.col.big, enc.i64(big)],
          [t.col.name, enc.ascii(name)]
        ])
      }
      return t
    }

    it("[D/jetretrievecolumn-function] JET_bitRetrieveFromIndex reads integers and floats back from the secondary index entry, descending segments too", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byN", 0, 1))
      const read = (c: typeof t.col.n, grbit: number) =>
        must(retrieve(env.api, env.sesid, t.tableid, c, grbit))
      const seen = entries(env, t, () => [
        dec.i32(read(t.col.n, fromIndex)),
        dec.f64(read(t.col.d, fromIndex)),
        dec.i64(read(t.col.big, fromIndex))
      ])
      expect(seen).toEqual([[-7, 2.5, -(2n ** 40n)], [3, 1e300, 0n], [3, -0.125, 9n]])
    })

    it("[D/jetretrievecolumn-function] JET_bitRetrieveFromPrimaryBookmark reads the primary key columns from a secondary index's bookmark", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byN", 0, 1))
      expect(
        entries(env, t, () => dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id, fromBookmark))))
      )
        .toEqual([1, 3, 2])
    })

    it("[D/jetretrievecolumn-function] Text cannot be read back from its normalized key: the record's value is returned", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byName", 0, 1))
      expect(
        entries(env, t, () => dec.ascii(must(retrieve(env.api, env.sesid, t.tableid, t.col.name, fromIndex))))
      )
        .toEqual(["Alpha", "beta", "Gamma"])
    })

    it("[D/jetretrievecolumn-function] on the primary index JET_bitRetrieveFromIndex reads the primary key", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      expect(
        entries(env, t, () => dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id, fromIndex))))
      )
        .toEqual([1, 2, 3])
    })

    it("[D/jetretrievecolumn-function] a column that is not in the index: JET_errColumnNotFound", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const probe = (grbit: number) =>
        env.api.JetRetrieveColumn(env.sesid, t.tableid, t.col.n, null, 0, grbit, null)
      expectErr(probe(fromIndex), codes.JET_errColumnNotFound)
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byN", 0, 1))
      expectErr(probe(fromBookmark), codes.JET_errColumnNotFound)
      expectErr(
        env.api.JetRetrieveColumn(env.sesid, t.tableid, t.col.name, null, 0, fromIndex, null),
        codes.JET_errColumnNotFound
      )
    })

    it("[D/jet-retrievecolumn-structure] JET_bitRetrieveFromIndex with JET_bitRetrieveFromPrimaryBookmark: JET_errInvalidGrbit", () => {
      const env = openEnv(engine)
      const t = numbers(env)
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byN", 0, 1))
      expectErr(
        env.api.JetRetrieveColumn(env.sesid, t.tableid, t.col.n, null, 0, fromIndex | fromBookmark, null),
        codes.JET_errInvalidGrbit
      )
    })

    it("[D/jetretrievecolumn-function] a multi-valued column reads the value that made the current index entry", () => {
      const env = openEnv(engine)
      const t = createTable(env, "tags", {
        id: { coltyp: JET_coltypLong },
        tag: { coltyp: JET_coltypLong, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued },
        label: { coltyp: JET_coltypText, cp: 1252, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued }
      }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byTag", key: "+tag" },
        { name: "byLabel", key: "+label" }
      ])
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, 0))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.id, enc.i32(1), 4, 0, null))
      for (const v of [20, 10]) {
        ok(
          env.api.JetSetColumn(env.sesid, t.tableid, t.col.tag, enc.i32(v), 4, 0, {
            ibLongValue: 0,
            itagSequence: 0
          })
        )
      }
      for (const v of ["y", "x"]) {
        ok(
          env.api.JetSetColumn(env.sesid, t.tableid, t.col.label, enc.ascii(v), 1, 0, {
            ibLongValue: 0,
            itagSequence: 0
          })
        )
      }
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byTag", 0, 1))
      expect(entries(env, t, () => [
        dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.tag, fromIndex))),
        dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.tag)))
      ])).toEqual([[10, 20], [20, 20]])
      // Text comes from the record, but still the value of the entry.
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byLabel", 0, 1))
      expect(
        entries(
          env,
          t,
          () => dec.ascii(must(retrieve(env.api, env.sesid, t.tableid, t.col.label, fromIndex)))
        )
      )
        .toEqual(["x", "y"])
    })

    it("[D/jetretrievecolumn-function] variable Binary, GUID and NULL come back from the index entry", () => {
      const env = openEnv(engine)
      const t = createTable(env, "blobs", {
        id: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypBinary },
        g: { coltyp: JET_coltypGUID }
      }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byB", key: "-b+g" }
      ])
      const blob = Uint8Array.from({ length: 19 }, (_, i) => i * 13)
      const guid = enc.guid("01234567-89ab-cdef-0123-456789abcdef")
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)], [t.col.b, blob], [t.col.g, guid]])
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(2)], [
        t.col.b,
        enc.bin(1, 2, 3, 4, 5, 6, 7, 8)
      ]])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byB", 0, 1))
      // Descending: 01 02 .. sorts before 00 0d ..
      expect(entries(env, t, () => [
        hex(retrieve(env.api, env.sesid, t.tableid, t.col.b, fromIndex)),
        hex(retrieve(env.api, env.sesid, t.tableid, t.col.g, fromIndex))
      ])).toEqual([[hex(enc.bin(1, 2, 3, 4, 5, 6, 7, 8)), "null"], [hex(blob), hex(guid)]])
    })
  })
})
