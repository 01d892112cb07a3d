/** The tag review screen's keys as data (issue 7): one table drives both key handling and the help screen. */
import type {GridAction} from '../grid-review/keymap.js';
import {moveKeys, sessionKeys} from '../grid-review/keymap.js';
import {actionLookup, type KeyBinding} from '../keymap.js';

/** What a key asks the tag review screen to do. */
export type TagKeyAction = GridAction | 'add-tag' | 'rate-0' | 'rate-1' | 'rate-2' | 'rate-3' | 'rate-4' | 'rate-5';

const ratings = [0, 1, 2, 3, 4, 5].map(
	(rating): KeyBinding<TagKeyAction> => ({keys: [String(rating)], label: String(rating), action: `rate-${rating}` as TagKeyAction, help: ''}),
);

/** Every key of the tag review screen; the ratings share one help line. */
export const tagKeymap: ReadonlyArray<KeyBinding<TagKeyAction>> = [
	...moveKeys,
	{keys: ['space', 'x'], label: 'space x', action: 'mark', help: 'mark the photo wrong for this tag (again: unmark)'},
	{keys: ['a'], label: 'a', action: 'mark-all', help: 'mark every photo on the page wrong, or unmark all'},
	{keys: ['enter'], label: 'enter', action: 'accept', help: 'accept the page: marked photos rejected, the others confirmed'},
	{keys: ['t'], label: 't', action: 'add-tag', help: 'add another tag to the marked photos (type it, enter)'},
	...ratings,
	{keys: ['n', 'pagedown'], label: 'n pgdn', action: 'next-page', help: 'next page without deciding this one'},
	{keys: ['p', 'pageup'], label: 'p pgup', action: 'previous-page', help: 'previous page'},
	...sessionKeys,
];

/** Help rows: the ratings folded into one. */
export const helpRows: ReadonlyArray<{readonly label: string; readonly help: string}> = tagKeymap.flatMap(binding => {
	if (binding.action === 'rate-0') {
		return [{label: '0-5', help: 'rate the marked photos (else the chosen one), written as XMP:Rating'}];
	}

	return binding.help ? [{label: binding.label, help: binding.help}] : [];
});

/** The action of a keypress, or undefined for keys the screen ignores. */
export const tagActionFor = actionLookup(tagKeymap);
