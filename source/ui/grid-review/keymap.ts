/** The keys every grid review has (issues 7, 19): moving, marking, paging, undo, help and quit. */
import type {KeyBinding} from '../keymap.js';

/** What a key asks any grid review to do; a screen adds its own actions. */
export type GridAction = 'left' | 'right' | 'up' | 'down' | 'mark' | 'mark-all' | 'accept' | 'next-page' | 'previous-page' | 'undo' | 'help' | 'quit';

/** Actions that only change what the screen shows, so several in one input chunk apply in order. */
export const composable: ReadonlySet<string> = new Set<GridAction>(['left', 'right', 'up', 'down', 'mark', 'mark-all', 'next-page', 'previous-page']);

/** The arrow (and vi) keys, first in every grid's help. */
export const moveKeys: ReadonlyArray<KeyBinding<GridAction>> = [
	{keys: ['left', 'h'], label: '← h', action: 'left', help: 'move left'},
	{keys: ['right', 'l'], label: '→ l', action: 'right', help: 'move right'},
	{keys: ['up', 'k'], label: '↑ k', action: 'up', help: 'move up'},
	{keys: ['down', 'j'], label: '↓ j', action: 'down', help: 'move down'},
];

/** Undo, help and quit, last in every grid's help. */
export const sessionKeys: ReadonlyArray<KeyBinding<GridAction>> = [
	{keys: ['u'], label: 'u', action: 'undo', help: 'undo the last change of this session (sidecars restored exactly)'},
	{keys: ['?'], label: '?', action: 'help', help: 'show or hide this help'},
	{keys: ['q', 'escape'], label: 'q esc', action: 'quit', help: 'quit (or close the help)'},
];
