/**
 * What must be shut down before the process ends (the exiftool child, the HEIC decoder workers). Each module registers
 * its own shutdown when it is first loaded, so cli.tsx runs only those of the modules a command loaded: importing
 * them just to close them would load exiftool and sharp for `--help` (issue 14).
 */
const cleanups = new Set<() => Promise<void>>();

/** Run `cleanup` once when the command ends (after its result or its error is printed). */
export function registerCleanup(cleanup: () => Promise<void>): void {
	cleanups.add(cleanup);
}

/** Run every registered shutdown once, in the order the modules loaded. */
export async function runCleanups(): Promise<void> {
	const pending = [...cleanups];
	cleanups.clear();
	for (const cleanup of pending) {
		// eslint-disable-next-line no-await-in-loop -- one after the other, as cli.tsx ran them before
		await cleanup();
	}
}
