import {Box, Text} from 'ink';
import React from 'react';
import {helpRows} from './keymap.js';

/** Props of the tag review help. */
export type Props = {
	/** How pictures are drawn on this terminal. */
	readonly pictureNote: string;
	/** Where keywords are written (sidecars or the files). */
	readonly target: string;
};

/** The keys, generated from the keymap table, and how to read the grid. */
export function TagHelpView({pictureNote, target}: Props) {
	const width = Math.max(...helpRows.map(row => row.label.length));
	return (
		<Box flexDirection="column">
			<Text bold>Keys</Text>
			{helpRows.map(row => (
				<Text key={row.label} wrap="truncate">
					{`  ${row.label.padEnd(width)}  ${row.help}`}
				</Text>
			))}
			<Text> </Text>
			<Text wrap="truncate">{"Under each photo: > chosen, the tag's confidence, ✗ marked wrong, ★ rating."}</Text>
			<Text wrap="truncate">{`Confirmed tags are written ${target}; every change is one journal batch.`}</Text>
			<Text wrap="truncate">Rejected tags are remembered: never suggested for that photo again.</Text>
			<Text wrap="truncate">{pictureNote}</Text>
			<Text dimColor>? or esc closes this help</Text>
		</Box>
	);
}
