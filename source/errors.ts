/**
 * Errors every layer may throw (issue 13, 14): kept free of SQLite, Ink and fs imports so that adapters and engines can
 * use them without pulling in the catalog.
 */

/** An expected, user-facing failure: printed as one line without a stack. */
export class UserError extends Error {
	override readonly name: string = 'UserError';
	constructor(
		message: string,
		readonly exitCode = 2,
	) {
		super(message);
	}
}

/** Whether `error` is the disk (or SQLite's file on it) running out of space. */
export function isDiskFull(error: unknown): boolean {
	if (!(error instanceof Error)) {
		return false;
	}

	const code = (error as NodeJS.ErrnoException).code;
	return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || /database or disk is full|no space left on device/i.test(error.message);
}
