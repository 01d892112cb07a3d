/** Raw key sequences a terminal sends, for writing to ink-testing-library's stdin. */
export const keys = {
	left: '\u001B[D',
	right: '\u001B[C',
	enter: '\r',
	escape: '\u001B',
	ctrlC: '\u0003',
} as const;

/** Lets Ink process input and re-render (its input handling and rendering are asynchronous). */
export async function settle(ms = 50): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}

/** Waits until `check` passes (Ink renders asynchronously; a loaded machine needs longer than a fixed sleep). */
export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			return;
		}

		await settle(10);
	}
}

/**
 * Retries `assertion` until it passes (or throws its last failure after `timeoutMs`), then lets Ink settle briefly so
 * the next key reaches the handlers of the frame just asserted (they are re-bound in an effect after each render).
 * A fixed sleep before an assertion fails on a loaded machine; this waits as long as it takes and no longer.
 */
export async function until(assertion: () => void, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			assertion();
			break;
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}

			await settle(10);
		}
	}

	await settle(50);
}

/** More raw key sequences the tag review grid uses. */
export const gridKeys = {
	up: '\u001B[A',
	down: '\u001B[B',
	space: ' ',
	backspace: '\u007F',
} as const;
