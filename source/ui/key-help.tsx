import {Box, Text} from 'ink';
import React from 'react';

/** Props of a help screen. */
export type Props = {
	/** The keys, in the order the help lists them (from the screen's keymap table). */
	readonly rows: ReadonlyArray<{readonly label: string; readonly help: string}>;
	/** Lines after the keys: how to read the screen, how pictures are drawn. */
	readonly notes: readonly string[];
};

/** A review screen's help (issues 5, 7, 19): the keys, generated from the keymap table, then notes. */
export function KeyHelp({rows, notes}: Props) {
	const width = Math.max(...rows.map(row => row.label.length));
	return (
		<Box flexDirection="column">
			<Text bold>Keys</Text>
			{rows.map(row => (
				<Text key={row.label} wrap="truncate">
					{`  ${row.label.padEnd(width)}  ${row.help}`}
				</Text>
			))}
			{notes.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key -- notes are fixed lines; a blank one may repeat
				<Text key={index} wrap="truncate">
					{line}
				</Text>
			))}
			<Text dimColor>? or esc closes this help</Text>
		</Box>
	);
}
