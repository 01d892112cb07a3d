import {Box, Text} from 'ink';
import React from 'react';
import {keymap} from './keymap.js';

/** Props of the help view. */
export type Props = {
	/** Describes how pictures are drawn on this terminal. */
	readonly pictureNote: string;
};

/** The keys, generated from the keymap table, and how to read the cards. */
export function HelpView({pictureNote}: Props) {
	const width = Math.max(...keymap.map(binding => binding.label.length));
	return (
		<Box flexDirection="column">
			<Text bold>Keys</Text>
			{keymap.map(binding => (
				<Text key={binding.action} wrap="truncate">
					{`  ${binding.label.padEnd(width)}  ${binding.help}`}
				</Text>
			))}
			<Text> </Text>
			<Text wrap="truncate">▶ marks the chosen photo; * marks a value that differs between the photos.</Text>
			<Text wrap="truncate">+ why the suggested keeper won; - why another copy lost; +N companion files.</Text>
			<Text wrap="truncate">Every decision is one journal batch; trashed files stay in .curate/trash.</Text>
			<Text wrap="truncate">{pictureNote}</Text>
			<Text dimColor>? or esc closes this help</Text>
		</Box>
	);
}
