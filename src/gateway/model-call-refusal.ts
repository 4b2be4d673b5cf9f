/** Why the gateway will not forward a request: the status and error the caller's SDK is shown. */
export interface ModelCallRefusal {
  status: number;
  /** The error `type` in the provider's shape (Anthropic's names; OpenAI's SDKs read any). */
  type: string;
  message: string;
}
