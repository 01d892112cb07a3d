import {render, Text, useApp, useInput} from 'ink';
import React from 'react';

function Prompt({onKey}: {readonly onKey: (quit: boolean) => void}) {
	const {exit} = useApp();
	useInput((input, key) => {
		onKey(input === 'q' || (key.ctrl && input === 'c'));
		exit();
	});
	return <Text>Press a key to go back to the home screen (q quits).</Text>;
}

/**
 * After a command the home screen ran on the normal screen: waits for one key below its output, so the output can be
 * read before the home screen covers it. Resolves with 'quit' for q or ctrl-c, else 'home'. Read through Ink, like the
 * screens before and after it, so that stdin stays in one reading mode.
 */
export async function pressAKey(stdout: NodeJS.WriteStream): Promise<'home' | 'quit'> {
	let quit = false;
	const ink = render(
		<Prompt
			onKey={wanted => {
				quit = wanted;
			}}
		/>,
		{stdout, patchConsole: false, exitOnCtrlC: false},
	);
	await ink.waitUntilExit();
	return quit ? 'quit' : 'home';
}
