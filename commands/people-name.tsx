import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {FaceStore, hasFaceTables} from '../source/db/faces.js';
import {nameFaces} from '../source/faces/people.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './people-name.spec.js';

/** `curate people name`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length !== 2) {
		throw new UserError('usage: curate people name cN|fN NAME (quote a name with spaces)');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const {catalog, release} = openForWrite(library);
	try {
		if (!hasFaceTables(catalog)) {
			throw new UserError('no faces yet: curate faces finds them');
		}

		const ids = nameFaces(new FaceStore(catalog), input[0]!, input[1]!);
		stdout.write(`Named ${ids.length} ${ids.length === 1 ? 'face' : 'faces'} ${sanitize(input[1]!.trim())}.\n`);
		return 0;
	} finally {
		catalog.close();
		release();
	}
}
