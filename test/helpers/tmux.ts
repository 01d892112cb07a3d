/**
 * A real terminal for end-to-end screen tests: a private tmux server (its own socket), one session at a fixed size,
 * keys sent and the pane captured as text. The same approach as the review screen's test (issue 5).
 */
import {spawnSync} from 'node:child_process';

/** `skip` option: a clear message when tmux is absent. */
export const needsTmux: string | false = spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed; the end-to-end screen test needs it (apt-get install tmux)';

/** A tmux session running `sh` at `columns` x `rows`, in colour unless asked otherwise. */
export function tmuxSession(name: string, columns = 80, rows = 24) {
	const socket = `curate-${name}-${process.pid}`;
	const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	tmux('-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), 'env', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', '-u', 'NO_COLOR', '-u', 'FORCE_COLOR', 'TERM=xterm-256color', 'PS1=$ ', 'sh');
	const screen = () => tmux('capture-pane', '-p', '-t', name).stdout;
	// Keys sent before the shell has printed its prompt are echoed by the terminal ahead of it, and the first command's
	// output then shares a line with the prompt ("$ BEFORE-REVIEW"): wait for the prompt, on a busy machine seconds.
	waitForPrompt(screen);
	return {
		/** Types a shell command line and presses enter. */
		run(line: string) {
			tmux('send-keys', '-t', name, line, 'Enter');
		},
		/** Sends tmux key names (`Space`, `Enter`, `u`). */
		keys(...names: string[]) {
			tmux('send-keys', '-t', name, ...names);
		},
		screen,
		/** Waits until the pane shows `pattern` (a CLI started through tsx takes seconds on a busy machine); returns the pane. */
		async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const text = screen();
				if (pattern.test(text) || Date.now() > deadline) {
					return text;
				}

				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		kill() {
			tmux('kill-server');
		},
	};
}

/** Blocks until the pane shows the shell's `$ ` prompt (or 20 s pass): sessions are set up before any test runs. */
export function waitForPrompt(screen: () => string): void {
	const deadline = Date.now() + 20_000;
	while (!/^\$ /m.test(screen()) && Date.now() < deadline) {
		spawnSync('sleep', ['0.05']);
	}
}
