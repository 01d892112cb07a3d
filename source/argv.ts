/**
 * What the command line asks for before meow parses it (issue 13): whether `--help` appears anywhere (so help never
 * acts), and which flags a command does not know, with the nearest one it does. Pure, so it is tested without a CLI.
 */
import type {FlagSpec} from './command.js';

/** The arguments before a `--`: after it, `--help` or `--foo` is an argument (a file name), not a flag. */
function flagPart(args: readonly string[]): readonly string[] {
	const end = args.indexOf('--');
	return end === -1 ? args : args.slice(0, end);
}

/** Whether `--help` or `-h` appears anywhere before `--`: it wins over every other flag, so nothing runs. */
export function wantsHelp(args: readonly string[]): boolean {
	return flagPart(args).some(arg => arg === '--help' || arg === '-h' || arg.startsWith('--help='));
}

/** `dryRun` → `dry-run`, as the flag is typed. */
export function kebab(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/** Edit distance: insertions, deletions, substitutions and swaps of two neighbouring letters (`dupse`) each cost one. */
export function editDistance(a: string, b: string): number {
	const rows: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `word`, when it is near enough to be a slip of the keyboard (at most a third of its
 * letters, and never more than 3, differ) or when `word` is the start of exactly one candidate.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
	const lower = word.toLowerCase();
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const distance = editDistance(lower, candidate.toLowerCase());
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	if (best !== undefined && bestDistance <= Math.min(3, Math.max(1, Math.floor(lower.length / 3)))) {
		return best;
	}

	const prefixed = candidates.filter(candidate => lower.length >= 2 && candidate.startsWith(lower));
	return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** A flag on the command line that the command does not define, and the defined flag it most likely meant. */
export type UnknownFlag = {readonly flag: string; readonly suggestion?: string};

/**
 * The flags in `args` (before `--`) that `flags` does not define. `--no-NAME` is known when NAME is a boolean flag
 * (meow's negation); `--NAME=VALUE` is checked by its NAME. Suggestions are `--kebab-name` of a defined flag.
 */
export function unknownFlags(args: readonly string[], flags: Readonly<Record<string, FlagSpec>>): UnknownFlag[] {
	const names = Object.keys(flags).map(name => kebab(name));
	const booleans = new Set(Object.entries(flags).filter(([, spec]) => spec.type === 'boolean').map(([name]) => kebab(name)));
	const shorts = new Set(Object.values(flags).flatMap(spec => (spec.shortFlag ? [spec.shortFlag] : [])));
	const unknown: UnknownFlag[] = [];
	for (const arg of flagPart(args)) {
		if (arg.startsWith('--') && arg.length > 2) {
			const name = arg.slice(2).split('=')[0]!;
			const known = names.includes(name) || (name.startsWith('no-') && booleans.has(name.slice(3)));
			if (!known) {
				const suggestion = nearest(name, names);
				unknown.push({flag: `--${name}`, ...(suggestion ? {suggestion: `--${suggestion}`} : {})});
			}
		} else if (/^-[^\d.-]/.test(arg)) {
			// Short flags may be grouped (`-ab`); a negative number (`-1`) is a value, not a flag.
			for (const letter of arg.slice(1).split('=')[0]!) {
				if (!shorts.has(letter)) {
					unknown.push({flag: `-${letter}`});
				}
			}
		}
	}

	return unknown;
}

/** One line per unknown flag, with the nearest known flag when there is one. */
export function describeUnknownFlags(command: string, unknown: readonly UnknownFlag[]): string {
	return unknown
		.map(({flag, suggestion}) => `curate ${command}: unknown flag ${flag}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`)
		.join('\n');
}
