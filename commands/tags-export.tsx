import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
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

		// Written beside the target and renamed into place, so a failed export never leaves half a file.
		const target = path.resolve(cwd, input[0]);
		const partial = `${target}.partial-${process.pid}`;
		let rows: number;
		try {
			const fd = fs.openSync(partial, 'wx');
			try {
				rows = exportTagsCsv(catalog, chunk => fs.writeSync(fd, chunk));
				fs.fsyncSync(fd);
			} finally {
				fs.closeSync(fd);
			}

			fs.renameSync(partial, target);
		} catch (error) {
			fs.rmSync(partial, {force: true});
			throw new UserError(`cannot write ${target}: ${(error as Error).message}`);
		}

		stderr.write(`Wrote ${rows} rows to ${sanitize(target)}\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
