import type { BenchResult } from "./bench-result.js";

/**
 * The result as a Markdown table: figure, value, target and whether it is met; with
 * `previous`, a column with the ratio to the earlier value (new / old).
 */
export function renderBenchTable(result: BenchResult, previous?: BenchResult): string {
  const before = new Map(previous?.figures.map((figure) => [figure.key, figure.value]));
  const header = previous
    ? "| figure | value | target | met | vs earlier |\n| --- | ---: | --- | --- | ---: |"
    : "| figure | value | target | met |\n| --- | ---: | --- | --- |";
  const rows = result.figures.map((figure) => {
    const value = `${formatNumber(figure.value)} ${figure.unit}`;
    const target = figure.target ? `${figure.target.op} ${figure.target.value} ${figure.unit}` : "";
    const met = !figure.target
      ? ""
      : (
            figure.target.op === "<="
              ? figure.value <= figure.target.value
              : figure.value >= figure.target.value
          )
        ? "yes"
        : "**no**";
    const cells = [figure.label, value, target, met];
    if (previous) {
      const old = before.get(figure.key);
      cells.push(old === undefined || old === 0 ? "" : `${formatNumber(figure.value / old)}x`);
    }
    return `| ${cells.join(" | ")} |`;
  });
  const notes = result.notes.map((note) => `- ${note}`);
  return [
    `Ship bench, ${result.startedAt} (${result.machine.cpus} CPUs, ${result.machine.memoryGiB} GiB, Node ${result.machine.node})`,
    "",
    header,
    ...rows,
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Math.round(value * 100) / 100);
}
