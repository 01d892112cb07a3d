import {Box, Text} from 'ink';
import React from 'react';
import {peopleKeymap} from './keymap.js';

/** Props of the people review help. */
export type Props = {
	/** How pictures are drawn on this terminal. */
	readonly pictureNote: string;
};

/** The keys, generated from the keymap table, and how to read the grid. */
export function PeopleHelpView({pictureNote}: Props) {
	const width = Math.max(...peopleKeymap.map(row => row.label.length));
	return (
		<Box flexDirection="column">
			<Text bold>Keys</Text>
			{peopleKeymap.map(row => (
				<Text key={row.label} wrap="truncate">
					{`  ${row.label.padEnd(width)}  ${row.help}`}
				</Text>
			))}
			<Text wrap="truncate">Under each face: {'>'} chosen, the confidence or name, ✗ marked wrong.</Text>
			<Text wrap="truncate">Names go to XMP sidecars as MWG face regions; every change is one journal batch.</Text>
			<Text wrap="truncate">A rejected face is never suggested for that person again.</Text>
			<Text wrap="truncate">{pictureNote}</Text>
			<Text dimColor>? or esc closes this help</Text>
		</Box>
	);
}
