/** Keys as data, shared by the review screens (issues 5, 7, 19): one table drives both key handling and the help screen. */

/** One row of a keymap. */
export type KeyBinding<Action extends string> = {
	/** Key names: single characters, or `left`, `right`, `up`, `down`, `enter`, `escape`, `space`, `pagedown`, `pageup`. */
	readonly keys: readonly string[];
	/** How the help screen writes the keys. */
	readonly label: string;
	readonly action: Action;
	readonly help: string;
};

/** Ink's key flags, as far as the keymaps need them. */
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

/** The key's name in a keymap. */
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

/** The keypress-to-action function of a keymap: ctrl-c quits, keys it does not bind give undefined. */
export function actionLookup<Action extends string>(keymap: ReadonlyArray<KeyBinding<Action>>): (input: string, key: KeyFlags) => Action | 'quit' | undefined {
	const byKey = new Map(keymap.flatMap(binding => binding.keys.map(name => [name, binding.action] as const)));
	return (input, key) => {
		if (key.ctrl && input === 'c') {
			return 'quit';
		}

		const name = keyName(input, key);
		return name === undefined ? undefined : byKey.get(name);
	};
}
