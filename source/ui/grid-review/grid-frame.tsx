import {Box, Text} from 'ink';
import React, {type ReactNode} from 'react';
import {sanitize} from '../../core/sanitize.js';
import {clip} from '../review/fields.js';
import type {GridState} from './state.js';

/** Props of a grid review's frame. */
export type Props<Item> = {
	readonly state: GridState<unknown, Item, unknown, string, Record<string, number>>;
	readonly page: readonly Item[];
	/** Whether there is nothing (left) to review. */
	readonly done: boolean;
	readonly columns: number;
	readonly gridColumns: number;
	/** Whether colour and styles may be used (false under NO_COLOR). */
	readonly colour: boolean;
	/** The first line: what is reviewed, where in it, and this session's counts (sanitised here; asked only when not done). */
	readonly title: () => string;
	/** The status line while a line is typed. */
	readonly prompt: string;
	/** The status line for the chosen item when nothing else is said. */
	readonly describe: (item: Item) => string;
	/** The last line: the main keys. */
	readonly keysLine: string;
	/** What the frame says when there is nothing (left) to review. */
	readonly doneLine: string;
	readonly keyOf: (item: Item) => string | number;
	readonly cell: (item: Item, chosen: boolean) => ReactNode;
};

/** A grid review's screen (issues 7, 19): title, the page's cells row by row, a status line and the keys. */
export function GridFrame<Item>({state, page, done, columns, gridColumns, colour, title, prompt, describe, keysLine, doneLine, keyOf, cell}: Props<Item>) {
	const width = columns - 1;
	const chosen = page[state.cursor];
	const status =
		state.view === 'input'
			? prompt
			: state.busy ?? (state.message ? `${state.message.error ? '! ' : ''}${state.message.text}` : chosen ? describe(chosen) : '');

	if (done) {
		return (
			<Box flexDirection="column">
				<Text bold={colour}>{doneLine}</Text>
				<Text>u undoes the last change · q quits</Text>
				{state.message || state.busy ? <Text wrap="truncate">{clip(status, width)}</Text> : null}
			</Box>
		);
	}

	const gridRows = [];
	for (let row = 0; row * gridColumns < page.length; row++) {
		gridRows.push(page.slice(row * gridColumns, (row + 1) * gridColumns));
	}

	return (
		<Box flexDirection="column" width={columns}>
			<Text wrap="truncate" bold={colour}>
				{clip(sanitize(title()), width)}
			</Text>
			{gridRows.map((items, row) => (
				<Box key={keyOf(items[0]!)} flexDirection="row" columnGap={1}>
					{items.map((item, column) => (
						<React.Fragment key={keyOf(item)}>{cell(item, row * gridColumns + column === state.cursor)}</React.Fragment>
					))}
				</Box>
			))}
			<Text wrap="truncate" color={colour && state.message?.error ? 'red' : undefined}>
				{clip(status, width)}
			</Text>
			<Text wrap="truncate" dimColor={colour}>
				{clip(keysLine, width)}
			</Text>
		</Box>
	);
}
