/** Identifies one answer; the provider repeats it in every event of a stream. */
export interface AnswerHeader {
  /** In the provider's own form: `chatcmpl-…`, `resp_…`, `msg_…`. */
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
}
