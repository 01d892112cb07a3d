import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {parseDuration} from '../source/share/duration.js';
import {extendShare, parseShareId} from '../source/share/manage.js';
import {timeLeft, when} from '../source/share/report.js';

export {description, usage, examples, flags} from './share-extend.spec.js';

/** `curate share extend ID DURATION`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 2) {
		throw new UserError(`unexpected arguments: ${input.slice(2).join(' ')}`);
	}

	const id = parseShareId(input[0], 'curate share extend ID DURATION');
	if (input[1] === undefined) {
		throw new UserError('how much longer? curate share extend ID DURATION, e.g. 3d');
	}

	const ms = parseDuration(input[1], 'the duration');
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRecords(library);
	try {
		const share = extendShare(catalog, id, ms);
		stdout.write(options.json
			? safeJson({id: share.id, expiresAt: share.expiresAt}) + '\n'
			: `Share ${share.id} is open until ${when(share.expiresAt)} (${timeLeft(share.expiresAt)}).\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
