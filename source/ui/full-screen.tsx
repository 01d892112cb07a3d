import {render} from 'ink';
import type React from 'react';

// The alternate screen keeps the user's scrollback and prompt exactly as they were.
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';

/**
 * Shows an interactive screen (review, tags review) on the terminal's alternate screen until it exits, then gives the
 * terminal back as it was, whatever happened.
 */
export async function showFullScreen(screen: React.ReactElement, stdout: NodeJS.WriteStream): Promise<void> {
	stdout.write(enterAlternateScreen);
	try {
		const ink = render(screen, {stdout, exitOnCtrlC: false, patchConsole: false});
		await ink.waitUntilExit();
	} finally {
		stdout.write(leaveAlternateScreen);
	}
}
