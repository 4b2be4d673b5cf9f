/**
 * A setting Ship cannot start with. The message is one line that names the variable,
 * what it got (unless the value is secret) and what it expects; `main` prints it
 * without a stack trace.
 */
export class ConfigError extends Error {
  override name = "ConfigError";

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}
