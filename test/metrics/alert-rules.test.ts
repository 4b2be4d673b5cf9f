import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { z } from "zod";
import { createMetrics } from "../../src/metrics/create-metrics.js";

const rulesPath = path.resolve(import.meta.dirname, "../../docs/alerts/ship-alerts.yml");

/** Prometheus's rule file as operators load it: what each alert must carry to be useful. */
const ruleFileSchema = z
  .object({
    groups: z
      .array(
        z
          .object({
            name: z.string().min(1),
            rules: z
              .array(
                z
                  .object({
                    alert: z.string().regex(/^Ship[A-Za-z]+$/),
                    expr: z.string().min(1),
                    for: z.string().regex(/^\d+[smhd]$/),
                    labels: z.object({ severity: z.enum(["warning", "critical"]) }).strict(),
                    annotations: z
                      .object({ summary: z.string().min(1), description: z.string().min(1) })
                      .strict(),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const file = ruleFileSchema.parse(parse(readFileSync(rulesPath, "utf8")));
const rules = file.groups.flatMap((group) => group.rules);

/** Metric names an expression selects, and the spans PromQL's grammar could not parse. */
function readExpression(expr: string): { metrics: string[]; errors: string[] } {
  const metrics: string[] = [];
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.to + 10))}`);
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") {
        metrics.push(expr.slice(node.from, node.to));
      }
    },
  });
  return { metrics, errors };
}

/** Every series name Ship's registry exposes (histograms as _bucket, _sum and _count). */
function shipSeriesNames(): Set<string> {
  const { registry } = createMetrics({ db: { query: async () => ({ rows: [] }) } as never });
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    if (type === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

/** docs/alerts/ship-alerts.yml: the rules an operator loads into Prometheus. */
describe("alert rules", () => {
  it("cover failure rate, a stuck queue, leaked sandboxes and spend", () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        "ShipRunsFailing",
        "ShipQueueStuck",
        "ShipSandboxesLeaked",
        "ShipSpendHigh",
      ]),
    );
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it.each(rules.map((rule) => [rule.alert, rule.expr]))(
    "%s parses with Prometheus's PromQL grammar and names only Ship's metrics",
    (_alert, expr) => {
      const { metrics, errors } = readExpression(expr);
      expect(errors).toEqual([]);
      expect(metrics.length).toBeGreaterThan(0);
      const known = shipSeriesNames();
      expect(metrics.filter((name) => !known.has(name))).toEqual([]);
    },
  );

  it("the linter itself catches a broken expression and an unknown metric", () => {
    expect(readExpression("sum(rate(ship_runs_total[5m]) >").errors).not.toEqual([]);
    expect(readExpression("ship_runs_failed_total > 0").metrics).toEqual([
      "ship_runs_failed_total",
    ]);
    expect(shipSeriesNames().has("ship_runs_failed_total")).toBe(false);
  });

  it("passes promtool check rules, where promtool is installed", () => {
    if (spawnSync("promtool", ["--version"]).error) {
      console.log(
        'SKIPPED "passes promtool check rules": needs promtool (Debian: apt-get install prometheus)',
      );
      return;
    }
    expect(execFileSync("promtool", ["check", "rules", rulesPath], { encoding: "utf8" })).toMatch(
      /SUCCESS: \d+ rules found/,
    );
  });
});
