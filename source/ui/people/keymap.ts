/** The people review screen's keys as data (issue 19): one table drives both key handling and the help screen. */
import type {GridAction} from '../grid-review/keymap.js';
import {moveKeys, sessionKeys} from '../grid-review/keymap.js';
import {actionLookup, type KeyBinding} from '../keymap.js';

/** What a key asks the people review screen to do. */
export type PeopleKeyAction = GridAction | 'name' | 'merge' | 'split';

/** Every key of the people review screen. */
export const peopleKeymap: ReadonlyArray<KeyBinding<PeopleKeyAction>> = [
	...moveKeys,
	{keys: ['space', 'x'], label: 'space x', action: 'mark', help: 'mark the face wrong (again: unmark)'},
	{keys: ['a'], label: 'a', action: 'mark-all', help: 'mark every face on the page wrong, or unmark all'},
	{keys: ['enter'], label: 'enter', action: 'accept', help: 'decide the page: confirm suggestions, reject marked; unnamed: name it'},
	{keys: ['n'], label: 'n', action: 'name', help: 'name the marked faces (else the chosen one): type the name, enter'},
	{keys: ['m'], label: 'm', action: 'merge', help: 'merge this person into another (type the other name)'},
	{keys: ['s'], label: 's', action: 'split', help: 'split the marked (else chosen) named faces off: unnamed again'},
	{keys: [']', 'pagedown'], label: '] pgdn', action: 'next-page', help: 'next page without deciding (after the last: next group)'},
	{keys: ['[', 'pageup'], label: '[ pgup', action: 'previous-page', help: 'previous page'},
	...sessionKeys,
];

/** The action of a keypress, or undefined for keys the screen ignores. */
export const peopleActionFor = actionLookup(peopleKeymap);
