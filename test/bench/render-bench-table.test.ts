import type { BenchResult } from "../../src/bench/bench-result.js";
import { percentile } from "../../src/bench/percentile.js";
import { renderBenchTable } from "../../src/bench/render-bench-table.js";

const result = (p99: number, rss: number): BenchResult => ({
  startedAt: "2026-11-22T00:00:00.000Z",
  machine: { cpus: 2, memoryGiB: 24, node: "v20.20.2" },
  figures: [
    {
      key: "ack.100.p99_ms",
      label: "Webhook acknowledgement at 100/s, p99",
      value: p99,
      unit: "ms",
      target: { op: "<=", value: 50 },
    },
    { key: "ship.peak_rss_mb", label: "Ship peak RSS", value: rss, unit: "MB" },
  ],
  notes: ["Local world."],
});

describe("the bench's figures", () => {
  it("takes percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("prints each figure with its target and whether it is met", () => {
    const table = renderBenchTable(result(18.224, 178.4));
    expect(table).toContain(
      "| Webhook acknowledgement at 100/s, p99 | 18.22 ms | <= 50 ms | yes |",
    );
    expect(table).toContain("| Ship peak RSS | 178 MB |  |  |");
    expect(renderBenchTable(result(159, 178))).toContain("| 159 ms | <= 50 ms | **no** |");
    expect(table).toContain("- Local world.");
  });

  it("with an earlier result, prints each figure's ratio to it", () => {
    const table = renderBenchTable(result(36, 200), result(18, 400));
    expect(table).toContain("| vs earlier |");
    expect(table).toContain("| 36 ms | <= 50 ms | yes | 2x |");
    expect(table).toContain("| 200 MB |  |  | 0.5x |");
  });
});
