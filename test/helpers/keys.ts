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

/** More raw key sequences the tag review grid uses. */
export const gridKeys = {
	up: '\u001B[A',
	down: '\u001B[B',
	space: ' ',
	backspace: '\u007F',
} as const;
