import {render} from 'ink';
import React from 'react';
import type {HomeSummary} from '../../home/summary.js';
import {HomeScreen} from './home-screen.js';
import type {HomeChoice} from './lines.js';

// The alternate screen keeps the user's scrollback and prompt exactly as they were, as the review screens do.
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';

/**
 * Shows the home screen on `stdout` until the user chooses; resolves with the choice (ctrl-c, q and escape are
 * `quit`). The screen is gone when it resolves, so the caller can open another one in its place.
 */
export async function showHome(summary: HomeSummary, stdout: NodeJS.WriteStream, message?: string): Promise<HomeChoice> {
	let choice: HomeChoice = 'quit';
	stdout.write(enterAlternateScreen);
	try {
		const ink = render(
			<HomeScreen
				summary={summary}
				message={message}
				onChoose={chosen => {
					choice = chosen;
					ink.unmount();
				}}
			/>,
			{stdout, patchConsole: false},
		);
		await ink.waitUntilExit();
	} finally {
		stdout.write(leaveAlternateScreen);
	}

	return choice;
}
