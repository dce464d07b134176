/** A server of the stack could not be installed, started or reached; the message says which and why. */
export class StackError extends Error {
  override readonly name = 'StackError';
  constructor(
    readonly server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${server}: ${message}`, options);
  }
}
