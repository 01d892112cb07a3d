/** The people review screen's keys as data (issue 19): one table drives both key handling and the help screen. */
import type {KeyFlags} from '../tag-review/keymap.js';

/** What a key asks the people review screen to do. */
export type PeopleKeyAction =
	| 'left'
	| 'right'
	| 'up'
	| 'down'
	| 'mark'
	| 'mark-all'
	| 'accept'
	| 'name'
	| 'merge'
	| 'split'
	| 'next-page'
	| 'previous-page'
	| 'undo'
	| 'help'
	| 'quit';

/** One row of the keymap. */
export type PeopleKeyBinding = {
	/** Key names: single characters, or `left`, `right`, `up`, `down`, `enter`, `escape`, `space`, `pagedown`, `pageup`. */
	readonly keys: readonly string[];
	readonly label: string;
	readonly action: PeopleKeyAction;
	readonly help: string;
};

/** Every key of the people review screen. */
export const peopleKeymap: readonly PeopleKeyBinding[] = [
	{keys: ['left', 'h'], label: '← h', action: 'left', help: 'move left'},
	{keys: ['right', 'l'], label: '→ l', action: 'right', help: 'move right'},
	{keys: ['up', 'k'], label: '↑ k', action: 'up', help: 'move up'},
	{keys: ['down', 'j'], label: '↓ j', action: 'down', help: 'move down'},
	{keys: ['space', 'x'], label: 'space x', action: 'mark', help: 'mark the face wrong (again: unmark)'},
	{keys: ['a'], label: 'a', action: 'mark-all', help: 'mark every face on the page wrong, or unmark all'},
	{keys: ['enter'], label: 'enter', action: 'accept', help: 'decide the page: confirm suggestions, reject marked; unnamed: name it'},
	{keys: ['n'], label: 'n', action: 'name', help: 'name the marked faces (else the chosen one): type the name, enter'},
	{keys: ['m'], label: 'm', action: 'merge', help: 'merge this person into another (type the other name)'},
	{keys: ['s'], label: 's', action: 'split', help: 'split the marked (else chosen) named faces off: unnamed again'},
	{keys: [']', 'pagedown'], label: '] pgdn', action: 'next-page', help: 'next page without deciding (after the last: next group)'},
	{keys: ['[', 'pageup'], label: '[ pgup', action: 'previous-page', help: 'previous page'},
	{keys: ['u'], label: 'u', action: 'undo', help: 'undo the last change of this session (sidecars restored exactly)'},
	{keys: ['?'], label: '?', action: 'help', help: 'show or hide this help'},
	{keys: ['q', 'escape'], label: 'q esc', action: 'quit', help: 'quit (or close the help)'},
];

const byKey = new Map(peopleKeymap.flatMap(binding => binding.keys.map(name => [name, binding.action] as const)));

function keyName(input: string, key: KeyFlags): string | undefined {
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.pageDown) return 'pagedown';
	if (key.pageUp) return 'pageup';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.ctrl) return undefined;
	return input === ' ' ? 'space' : input;
}

/** The action of a keypress, or undefined for keys the screen ignores. */
export function peopleActionFor(input: string, key: KeyFlags): PeopleKeyAction | undefined {
	if (key.ctrl && input === 'c') {
		return 'quit';
	}

	const name = keyName(input, key);
	return name === undefined ? undefined : byKey.get(name);
}
