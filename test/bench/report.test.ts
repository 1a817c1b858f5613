import { describe, expect, it } from "vitest"
import { figure } from "../../bench/report.ts"

describe("benchmark figures", () => {
  it("orient a time so that higher is better for us, with the target in that orientation", () => {
    // 60 ns against 50 ns is 1.2x the anchor's time: exactly at a "at most 1.2x" target.
    const atTarget = figure({
      name: "t",
      ours: 60,
      anchor: 50,
      unit: "ns/call",
      better: "lower",
      target: 1.2
    })
    expect(atTarget.ratio).toBeCloseTo(50 / 60, 3)
    expect(atTarget.target).toBeCloseTo(1 / 1.2, 3)
    expect(atTarget.met).toBe(true)
    const over = figure({ name: "t", ours: 61, anchor: 50, unit: "ns/call", better: "lower", target: 1.2 })
    expect(over.met).toBe(false)
    const faster = figure({ name: "t", ours: 40, anchor: 50, unit: "ns/call", better: "lower", target: 1.2 })
    expect(faster.ratio).toBeGreaterThan(1)
  })

  it("orient a rate as ours over the anchor's", () => {
    const seek = figure({ name: "s", ours: 150, anchor: 100, unit: "ops/s", better: "higher", target: 1.5 })
    expect(seek).toEqual({
      name: "s",
      ours: 150,
      anchor: 100,
      unit: "ops/s",
      ratio: 1.5,
      target: 1.5,
      met: true
    })
    expect(figure({ name: "s", ours: 149, anchor: 100, unit: "ops/s", better: "higher", target: 1.5 }).met)
      .toBe(
        false
      )
  })

  it("have no target and no verdict when none is given", () => {
    const shown = figure({ name: "x", ours: 2, anchor: 1, unit: "µs/op", better: "lower" })
    expect(shown.target).toBeNull()
    expect(shown.met).toBeNull()
    expect(JSON.parse(JSON.stringify(shown))).toEqual(shown)
  })
})
