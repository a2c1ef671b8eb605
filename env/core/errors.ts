/**
 * Base class of every error damm-gym throws on purpose. Subclasses name the bad value, where it came
 * from (file, line, column, flag, space) and what is allowed, so a user can fix the input without
 * reading our source.
 */
export class DammGymError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
