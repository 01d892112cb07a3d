/** The review screen's keys as data (issue 5): one table drives both key handling and the help screen. */
import {actionLookup, type KeyBinding as SharedKeyBinding, type KeyFlags} from '../keymap.js';

/** What a key asks the review screen to do. */
export type KeyAction =
	| 'previous-photo'
	| 'next-photo'
	| 'keep'
	| 'merge'
	| 'accept'
	| 'skip'
	| 'back'
	| 'not-duplicates'
	| 'undo'
	| 'large'
	| 'help'
	| 'quit';

/** One row of the keymap. */
export type KeyBinding = SharedKeyBinding<KeyAction>;

/** Every key of the review screen, in the order the help lists them. */
export const keymap: readonly KeyBinding[] = [
	{keys: ['left', 'h'], label: '← h', action: 'previous-photo', help: 'choose the photo to the left'},
	{keys: ['right', 'l'], label: '→ l', action: 'next-photo', help: 'choose the photo to the right'},
	{keys: ['k'], label: 'k', action: 'keep', help: 'keep the chosen photo, move the others to the trash'},
	{keys: ['m'], label: 'm', action: 'merge', help: 'keep the chosen photo with the metadata it lacks from the others, trash the rest'},
	{keys: ['a'], label: 'a', action: 'accept', help: 'accept the suggested keeper (keep it, trash the others)'},
	{keys: ['s'], label: 's', action: 'skip', help: 'skip this cluster for now (it comes back at the end)'},
	{keys: ['b'], label: 'b', action: 'back', help: 'go back to the previous cluster'},
	{keys: ['n'], label: 'n', action: 'not-duplicates', help: 'these are not duplicates: never show them together again'},
	{keys: ['u'], label: 'u', action: 'undo', help: 'undo the last decision (files come back from the trash)'},
	{keys: ['enter'], label: 'enter', action: 'large', help: 'view the chosen photo large, with all its details'},
	{keys: ['?'], label: '?', action: 'help', help: 'show or hide this help'},
	{keys: ['q', 'escape'], label: 'q esc', action: 'quit', help: 'quit (or close the large view or help); the position is saved'},
];

export type {KeyFlags} from '../keymap.js';

/** The action of a keypress, or undefined for keys the screen ignores. */
export const actionFor: (input: string, key: KeyFlags) => KeyAction | undefined = actionLookup(keymap);
