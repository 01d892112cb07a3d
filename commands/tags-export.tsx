import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {writeFileAtomic} from '../source/atomic-file.js';
import {sanitize} from '../source/core/sanitize.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {exportTagsCsv} from '../source/tags/exchange.js';

export {description, usage, examples, flags} from './tags-export.spec.js';

/** `curate tags export`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.csv) {
		throw new UserError('say the format: curate tags export --csv [FILE]');
	}

	if (input.length > 1) {
		throw new UserError('give at most one FILE (without one, the CSV goes to stdout)');
	}

	const catalog = openForRead(findLibrary({library: options.library as string | undefined, cwd}));
	try {
		if (input[0] === undefined) {
			// On a terminal, names with escape sequences (OSC title, OSC 52 clipboard, CSI) are shown, not obeyed.
			exportTagsCsv(catalog, chunk => stdout.write(chunk), {forTerminal: Boolean(stdout.isTTY)});
			return 0;
		}

		// Written whole or not at all (writeFileAtomic), so a failed export never leaves half a file.
		const target = path.resolve(cwd, input[0]);
		let rows: number;
		try {
			rows = writeFileAtomic(target, fd => exportTagsCsv(catalog, chunk => fs.writeSync(fd, chunk)));
		} catch (error) {
			throw new UserError(`cannot write ${target}: ${(error as Error).message}`);
		}

		stderr.write(`Wrote ${rows} rows to ${sanitize(target)}\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
