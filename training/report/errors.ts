import { DammGymError } from '../../env/core/errors.js';

/** `damm-gym report <run-dir>`: the directory is missing, holds no run we know, or one of its files is malformed. */
export class ReportInputError extends DammGymError {}
