/** The tag review screen's keys as data (issue 7): one table drives both key handling and the help screen. */

/** What a key asks the tag review screen to do. */
export type TagKeyAction =
	| 'left'
	| 'right'
	| 'up'
	| 'down'
	| 'mark'
	| 'mark-all'
	| 'accept'
	| 'add-tag'
	| 'rate-0'
	| 'rate-1'
	| 'rate-2'
	| 'rate-3'
	| 'rate-4'
	| 'rate-5'
	| 'next-page'
	| 'previous-page'
	| 'undo'
	| 'help'
	| 'quit';

/** One row of the keymap. */
export type TagKeyBinding = {
	/** Key names: single characters, or `left`, `right`, `up`, `down`, `enter`, `escape`, `space`, `pagedown`, `pageup`. */
	readonly keys: readonly string[];
	readonly label: string;
	readonly action: TagKeyAction;
	readonly help: string;
};

const ratings = [0, 1, 2, 3, 4, 5].map(
	(rating): TagKeyBinding => ({keys: [String(rating)], label: String(rating), action: `rate-${rating}` as TagKeyAction, help: ''}),
);

/** Every key of the tag review screen; the ratings share one help line. */
export const tagKeymap: readonly TagKeyBinding[] = [
	{keys: ['left', 'h'], label: '← h', action: 'left', help: 'move left'},
	{keys: ['right', 'l'], label: '→ l', action: 'right', help: 'move right'},
	{keys: ['up', 'k'], label: '↑ k', action: 'up', help: 'move up'},
	{keys: ['down', 'j'], label: '↓ j', action: 'down', help: 'move down'},
	{keys: ['space', 'x'], label: 'space x', action: 'mark', help: 'mark the photo wrong for this tag (again: unmark)'},
	{keys: ['a'], label: 'a', action: 'mark-all', help: 'mark every photo on the page wrong, or unmark all'},
	{keys: ['enter'], label: 'enter', action: 'accept', help: 'accept the page: marked photos rejected, the others confirmed'},
	{keys: ['t'], label: 't', action: 'add-tag', help: 'add another tag to the marked photos (type it, enter)'},
	...ratings,
	{keys: ['n', 'pagedown'], label: 'n pgdn', action: 'next-page', help: 'next page without deciding this one'},
	{keys: ['p', 'pageup'], label: 'p pgup', action: 'previous-page', help: 'previous page'},
	{keys: ['u'], label: 'u', action: 'undo', help: 'undo the last change of this session (sidecars restored exactly)'},
	{keys: ['?'], label: '?', action: 'help', help: 'show or hide this help'},
	{keys: ['q', 'escape'], label: 'q esc', action: 'quit', help: 'quit (or close the help)'},
];

/** Help rows: the ratings folded into one. */
export const helpRows: ReadonlyArray<{readonly label: string; readonly help: string}> = tagKeymap.flatMap(binding => {
	if (binding.action === 'rate-0') {
		return [{label: '0-5', help: 'rate the marked photos (else the chosen one), written as XMP:Rating'}];
	}

	return binding.help ? [{label: binding.label, help: binding.help}] : [];
});

const byKey = new Map(tagKeymap.flatMap(binding => binding.keys.map(name => [name, binding.action] as const)));

/** Ink's key flags, as far as the keymap needs them. */
export type KeyFlags = {
	readonly leftArrow?: boolean;
	readonly rightArrow?: boolean;
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly pageDown?: boolean;
	readonly pageUp?: boolean;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly ctrl?: boolean;
};

/** The key's name in the keymap. */
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
export function tagActionFor(input: string, key: KeyFlags): TagKeyAction | undefined {
	if (key.ctrl && input === 'c') {
		return 'quit';
	}

	const name = keyName(input, key);
	return name === undefined ? undefined : byKey.get(name);
}
