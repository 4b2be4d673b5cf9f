/** One entry of a run's append-only event log: pipeline phases, outcomes, agent activity. */
export interface RunEvent {
  id: number;
  at: Date;
  /** `phase`, `run.started`, `run.succeeded`, `agent.tool`, ... */
  kind: string;
  data: Record<string, unknown>;
}
