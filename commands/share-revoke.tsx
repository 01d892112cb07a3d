import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {parseShareId, revokeShare} from '../source/share/manage.js';
import {when} from '../source/share/report.js';

export {description, usage, examples, flags} from './share-revoke.spec.js';

/** `curate share revoke ID`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 1) {
		throw new UserError(`unexpected arguments: ${input.slice(1).join(' ')}`);
	}

	const id = parseShareId(input[0], 'curate share revoke ID');
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRecords(library);
	try {
		const {share, already} = revokeShare(library, catalog, id);
		stdout.write(options.json
			? safeJson({id: share.id, revokedAt: share.revokedAt, already}) + '\n'
			: `Share ${share.id} ${already ? 'was already' : 'is now'} revoked (${when(share.revokedAt!)}): its links answer 410 Gone, its copies are removed, its log stays.\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
