// The effect-esent command line on every real fixture: `export` writes each table as JSON lines,
// and every cell equals what esedbexport prints (its export generated here), or differs only where
// the reader already disagrees with esedbexport for a reason decided from the bytes
// (docs/file-format.md, test/file/groundtruth.ts). Also: info against esedbinfo, tables, schema,
// dump's flags, exit codes, and the installed-style bin piped into `head`.
import { Effect } from "effect"
import { execFileSync, spawnSync } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ExitCode, main } from "../../src/cli/main.ts"
import type { ColumnInfo } from "../../src/file/index.ts"
import { Coltyp, EseFile, FieldFlag, oleDateToDate } from "../../src/file/index.ts"
import type { ExportedTable } from "../file/esedbexport.ts"
import { exportTables } from "../file/esedbexport.ts"
import { quickFixtureNames, unpackFixtures } from "../file/fixtures.ts"
import { compareTable } from "../file/groundtruth.ts"

const files = quickFixtureNames
const fixtures = unpackFixtures([...files, "large.edb"])
const scratch = mkdtempSync(join(tmpdir(), "effect-esent-cli-"))
const bin = join(import.meta.dirname, "..", "..", "bin", "effect-esent.js")
const exports = new Map<string, Map<string, ExportedTable>>()

/** Runs the command line in this process; returns its exit code and what it wrote to stdout. */
const run = async (...argv: Array<string>): Promise<{ code: number; stdout: string }> => {
  const outPath = join(scratch, `stdout-${Math.random().toString(36).slice(2)}`)
  const fd = openSync(outPath, "w")
  try {
    const code = await Effect.runPromise(main(argv, { stdoutFd: fd }))
    return { code, stdout: readFileSync(outPath, "utf8") }
  } finally {
    closeSync(fd)
    rmSync(outPath, { force: true })
  }
}

const lines = (text: string): Array<string> => text.split("\n").filter((l) => l !== "")

beforeAll(() => {
  for (const file of files) exports.set(file, exportTables(fixtures.path(file)))
}, 600_000)
afterAll(() => {
  fixtures.cleanup()
  rmSync(scratch, { recursive: true, force: true })
})

const escapeText = (text: string): string =>
  text.replace(/\0+$/, "").replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(
    /\r/g,
    "\\r"
  )

const guidBytes = (guid: string): Buffer => {
  const h = guid.replace(/-/g, "")
  const swap = (s: string) => s.match(/../g)!.reverse().join("")
  return Buffer.from(swap(h.slice(0, 8)) + swap(h.slice(8, 12)) + swap(h.slice(12, 16)) + h.slice(16), "hex")
}

/** One JSON value of ours printed as esedbexport prints that column's values. */
const asExported = (column: ColumnInfo, value: unknown): string => {
  switch (column.coltyp) {
    case Coltyp.Bit:
      return value === true ? "true" : "false"
    case Coltyp.UnsignedByte:
    case Coltyp.Short:
    case Coltyp.UnsignedShort:
    case Coltyp.Long:
    case Coltyp.UnsignedLong:
    case Coltyp.LongLong:
      return String(value)
    case Coltyp.Currency:
      return BigInt.asUintN(64, BigInt(value as string | number)).toString()
    case Coltyp.IEEESingle:
    case Coltyp.IEEEDouble:
      return Number(value).toFixed(6)
    case Coltyp.DateTime:
      // esedbexport prints the stored double's two halves; ours is its ISO date: compared as dates.
      return typeof value === "string" ? value : String(value)
    case Coltyp.Text:
    case Coltyp.LongText:
      return escapeText(value as string)
    case Coltyp.GUID:
      return guidBytes(value as string).toString("hex")
    default:
      return Buffer.from(value as string, "base64").toString("hex")
  }
}

/** Their DateTime cell `(0xhigh 0xlow)` as the ISO date it stands for, to compare with ours. */
const theirDate = (cell: string): string => {
  const m = /^\(0x([0-9a-f]{8}) 0x([0-9a-f]{8})\)$/.exec(cell)
  if (m === null) return cell
  const b = Buffer.alloc(8)
  b.writeUInt32LE(parseInt(m[2]!, 16), 0)
  b.writeUInt32LE(parseInt(m[1]!, 16), 4)
  const date = oleDateToDate(b.readDoubleLE(0))
  return Number.isFinite(date.getTime()) ? date.toISOString() : String(b.readDoubleLE(0))
}

const cellOf = (column: ColumnInfo, value: unknown): string =>
  value === undefined || value === null
    ? ""
    : (column.flags & FieldFlag.Multivalued) !== 0 && Array.isArray(value)
    ? value.map((v) => asExported(column, v)).join("; ")
    : asExported(column, value)

describe.each(files)("%s: effect-esent export against esedbexport", (file) => {
  it(
    "prints every table esedbexport exports, every cell equal or a disagreement the reader already decided",
    async () => {
      const out = join(scratch, file)
      const result = await run("export", fixtures.path(file), out)
      expect(result.code).toBe(ExitCode.Ok)
      const exported = exports.get(file)!
      const db = EseFile.open(fixtures.path(file))
      try {
        expect(lines(result.stdout).length).toBe(db.tables.length)
        expect(readdirSync(out).length).toBe(exported.size)
        let cells = 0
        for (const table of db.tables) {
          const theirs = exported.get(table.name)!
          const ours = lines(
            readFileSync(join(out, `${table.name.replace(/[^A-Za-z0-9._-]/g, "_")}.jsonl`), "utf8")
          )
            .map((l) => JSON.parse(l) as Record<string, unknown>)
          expect(ours.length, table.name).toBe(theirs.rows.length)
          // The reader's own comparison: the disagreements it already explains, by cell.
          const known = new Map(
            compareTable(db, table, theirs).differences.map((d) => [`${d.column}\u0000${d.row}`, d])
          )
          const columnAt = table.columns.map((c) => theirs.header.indexOf(c.name))
          ours.forEach((record, row) => {
            table.columns.forEach((column, i) => {
              const mine = cellOf(column, record[column.name])
              let their = theirs.rows[row]![columnAt[i]!] ?? ""
              if (column.coltyp === Coltyp.DateTime) {
                their = their.split("; ").map(theirDate).join("; ")
              }
              cells++
              if (mine === their) return
              const why = known.get(`${column.name}\u0000${row}`)
              expect(
                why !== undefined && why.reason !== "unexplained",
                `${table.name}.${column.name} row ${row}: ours ${mine.slice(0, 80)} theirs ${
                  their.slice(0, 80)
                }`
              ).toBe(true)
            })
          })
        }
        expect(cells).toBeGreaterThan(0)
      } finally {
        db.close()
      }
    },
    300_000
  )
})

describe("info, tables and schema", () => {
  it("info prints the header fields esedbinfo prints, with the same values", async () => {
    const path = fixtures.path("index.edb")
    const ours = (await run("info", path)).stdout
    const theirs = execFileSync("esedbinfo", [path], { encoding: "utf8" })
    const field = (text: string, name: RegExp) => name.exec(text)?.[1]?.trim()
    expect(field(ours, /page size: (\d+)/)).toBe(field(theirs, /Page size:\s*(\d+) bytes/))
    const [version, revision] = field(theirs, /Current format:\s*(0x[0-9a-f]+,\d+)/)!.split(",")
    expect(field(ours, /format version: (0x[0-9a-f]+)/)).toBe(version)
    expect(field(ours, /format revision: (\d+)/)).toBe(revision)
    expect(ours).toMatch(/state: CleanShutdown/)
  })

  it("info says plainly that a dirty database is read as it is on disk", async () => {
    const dirtyFile = files.map((f) => fixtures.path(f)).find((p) => {
      const db = EseFile.open(p)
      const dirty = db.header.dirty
      db.close()
      return dirty
    })
    if (dirtyFile === undefined) return expect(dirtyFile).toBeUndefined()
    const ours = (await run("info", dirtyFile)).stdout
    expect(ours).toMatch(/DirtyShutdown: not shut down cleanly/)
    expect(ours).toMatch(/read as it is on disk/)
  })

  it("tables prints esedbexport's table names, one a line", async () => {
    for (const file of ["basic.edb", "museum-Win10-clean-Windows.edb"]) {
      const names = lines((await run("tables", fixtures.path(file))).stdout)
      expect([...names].sort()).toEqual([...exports.get(file)!.keys()].sort())
    }
  })

  it("schema --json names each table's columns as esedbexport's header row does, and index key segments", async () => {
    const { stdout, code } = await run("schema", fixtures.path("index.edb"), "--json")
    expect(code).toBe(0)
    const schemas = JSON.parse(stdout) as Array<
      {
        name: string
        columns: Array<{ name: string; type: string }>
        indexes: Array<{ name: string; segments: Array<{ column: string }> }>
      }
    >
    for (const s of schemas) {
      expect(s.columns.map((c) => c.name).sort(), s.name).toEqual(
        [...exports.get("index.edb")!.get(s.name)!.header].sort()
      )
    }
    const table = schemas.find((s) => s.name === "index")!
    expect(table.indexes.length).toBe(19)
    expect(table.indexes.every((i) => i.segments.length > 0)).toBe(true)
    const one = JSON.parse((await run("schema", fixtures.path("index.edb"), "index", "--json")).stdout)
    expect(one.name).toBe("index")
    const text = (await run("schema", fixtures.path("index.edb"), "index")).stdout
    expect(text).toMatch(/^table index$/m)
    expect(text).toMatch(/index IxUnicode: \+Unicode/)
  })
})

describe("dump", () => {
  it("--columns reads only those, --limit stops, --format csv quotes and matches the JSON", async () => {
    const path = fixtures.path("basic.edb")
    const json = lines(
      (await run("dump", path, "basic", "--columns", "Id,Long,DateTime", "--limit", "1")).stdout
    )
    expect(json).toEqual([`{"Id":1,"Long":-13371337,"DateTime":"1999-03-01T00:00:00.000Z"}`])
    const csv = lines((await run("dump", path, "basic", "--format", "csv", "--columns", "Id,Long")).stdout)
    expect(csv[0]).toBe("Id,Long")
    const all = lines((await run("dump", path, "basic")).stdout).map((l) => JSON.parse(l))
    expect(csv.slice(1)).toEqual(all.map((r) => `${r.Id},${r.Long ?? ""}`))
    expect((await run("dump", path, "basic", "--limit", "0")).stdout).toBe("")
  })

  it("--index with --from and --to reads a key range in the index's order", async () => {
    const path = fixtures.path("index.edb")
    const all = lines((await run("dump", path, "index", "--index", "IxLong", "--columns", "Long")).stdout)
      .map((l) => JSON.parse(l).Long as number | undefined)
    const present = all.filter((v): v is number => v !== undefined)
    expect(present).toEqual([...present].sort((a, b) => a - b))
    const [lo, hi] = [present[1]!, present[present.length - 2]!]
    const range = lines(
      (await run(
        "dump",
        path,
        "index",
        "--index",
        "IxLong",
        "--from",
        String(lo),
        "--to",
        String(hi),
        "--columns",
        "Long"
      ))
        .stdout
    ).map((l) => JSON.parse(l).Long as number)
    expect(range).toEqual(present.filter((v) => v >= lo && v <= hi))
    expect(range.length).toBeLessThan(present.length)
  })

  it("large.edb: the 16 records of its 64,994-column table, each column holding its own number", async () => {
    const out = lines(
      (await run(
        "dump",
        fixtures.path("large.edb"),
        "large",
        "--columns",
        "Column0,Column4095,Column4096,Column64992"
      )).stdout
    )
      .map((l) => JSON.parse(l) as Record<string, number>)
    expect(out.length).toBe(16)
    expect(out[0]).toEqual({ Column0: 0, Column4095: 4095 })
    expect(out[1]).toEqual({ Column4096: 4096 })
    expect(out[15]).toEqual({ Column64992: 64992 })
  }, 120_000)
})

describe("exit codes", () => {
  it("say what failed: usage, missing file, not ESE, missing table, column and index", async () => {
    const path = fixtures.path("basic.edb")
    expect((await run("nope")).code).toBe(ExitCode.Usage)
    expect((await run("dump", path, "basic", "--limit", "x")).code).toBe(ExitCode.Usage)
    expect((await run("info", join(scratch, "missing.edb"))).code).toBe(ExitCode.CannotOpen)
    const text = join(scratch, "notes.txt")
    writeFileSync(text, "not a database\n".repeat(8192))
    expect((await run("info", text)).code).toBe(ExitCode.NotEse)
    const cut = join(scratch, "cut.edb")
    writeFileSync(cut, readFileSync(path).subarray(0, 300))
    expect((await run("info", cut)).code).toBe(ExitCode.Corrupt)
    expect((await run("dump", path, "nosuch")).code).toBe(ExitCode.NotFound)
    expect((await run("dump", path, "basic", "--columns", "nosuch")).code).toBe(ExitCode.NotFound)
    expect((await run("dump", path, "basic", "--index", "nosuch")).code).toBe(ExitCode.NotFound)
    expect((await run("dump", path, "basic", "--from", "1")).code).toBe(ExitCode.Usage)
  })
})

describe("the bin, as a process", () => {
  it("runs, prints help, and ends quietly with 0 when piped into head", () => {
    const help = spawnSync(process.execPath, [bin, "dump", "--help"], { encoding: "utf8" })
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/--columns/)
    const piped = spawnSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${bin}" dump "${
          fixtures.path("museum-Win10-clean-Windows.edb")
        }" SystemIndex_PropertyStore | head -n 2; echo "exit=\${PIPESTATUS[0]}"`
      ],
      { encoding: "utf8" }
    )
    const out = lines(piped.stdout)
    expect(out.length).toBe(3)
    expect(() => JSON.parse(out[0]!)).not.toThrow()
    expect(out[2]).toBe("exit=0")
    expect(piped.stderr).toBe("")
  }, 120_000)
})
