import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import React from 'react';
import {middleEllipsis, sanitize} from '../../core/sanitize.js';
import type {HomeSummary} from '../../home/summary.js';
import {useTerminalSize} from '../use-terminal-size.js';
import {type HomeChoice, holdsLines, homeMenu, waitingRows} from './lines.js';

/** Props of the home screen. */
export type Props = {
	/** What the library holds and what waits, computed before the screen opens. */
	readonly summary: HomeSummary;
	/** Called once with the user's choice; the caller unmounts the screen. */
	readonly onChoose: (choice: HomeChoice) => void;
	/** A line about what just happened (a command that ran from here), shown above the keys. */
	readonly message?: string;
	/** "Now" for the ages shown (tests); the current time by default. */
	readonly now?: Date;
	/** Fixed terminal size (tests); by default the terminal's, following resizes. */
	readonly size?: {readonly columns: number; readonly rows: number};
};

/**
 * The home screen of `curate` without a command (issue 14): what the library holds, what waits for the user, and a
 * menu that opens the duplicate review, the tag review or runs the next suggested command. Keyboard only: ↑↓ (or j/k)
 * and enter, or an entry's number; q or escape quits. Fits 80x24; draws nothing that needs colour.
 */
export function HomeScreen({summary, onChoose, message, now = new Date(), size}: Props) {
	const {columns} = useTerminalSize(size);
	const width = Math.max(20, columns - 1);
	useInput((input, key) => {
		if (input === 'q' || key.escape) {
			onChoose('quit');
		}
	});
	const rows = waitingRows(summary, now);
	const labelWidth = Math.max(...rows.map(row => row.label.length)) + 2;
	const menu = homeMenu(summary, width);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{middleEllipsis(`Curate · ${sanitize(summary.root)}`, width)}</Text>
			{holdsLines(summary, width).map(line => (
				<Text key={line}>{line}</Text>
			))}
			<Text> </Text>
			<Text bold>Waiting</Text>
			{rows.map(row => (
				<Text key={row.label} dimColor={!row.due}>
					{middleEllipsis(`${row.due ? '•' : ' '} ${row.label.padEnd(labelWidth)}${row.text}`, width)}
				</Text>
			))}
			<Text> </Text>
			<SelectInput<HomeChoice>
				items={menu}
				onSelect={item => {
					onChoose(item.value);
				}}
			/>
			<Text> </Text>
			{message ? <Text>{middleEllipsis(sanitize(message), width)}</Text> : null}
			<Text dimColor>{middleEllipsis(menu.length > 1 ? `↑↓ move · enter run · 1–${menu.length} run directly · q quit` : 'q quit', width)}</Text>
		</Box>
	);
}
