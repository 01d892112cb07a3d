import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {parseShareId, revokeRecipient, revokeShare} from '../source/share/manage.js';
import {when} from '../source/share/report.js';

export {description, usage, examples, flags} from './share-revoke.spec.js';

/** `curate share revoke ID [--recipient NAME]`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 1) {
		throw new UserError(`unexpected arguments: ${input.slice(1).join(' ')}`);
	}

	const id = parseShareId(input[0], 'curate share revoke ID');
	const recipientName = options.recipient as string | undefined;
	if (recipientName?.trim() === '') {
		throw new UserError('--recipient needs a name, as curate share list shows it');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRecords(library);
	try {
		if (recipientName !== undefined) {
			const {share, recipient, already} = revokeRecipient(catalog, id, recipientName);
			stdout.write(options.json
				? safeJson({id: share.id, recipient: {id: recipient.id, name: recipient.name, revokedAt: recipient.revokedAt}, already}) + '\n'
				: `${sanitize(recipient.name)}'s link to share ${share.id} ${already ? 'was already' : 'is now'} revoked (${when(recipient.revokedAt!)}): it answers 410 Gone; the share and its other links stay${share.revokedAt === null ? ' open' : ''}, the log stays.\n`);
			return 0;
		}

		const {share, already} = revokeShare(library, catalog, id);
		stdout.write(options.json
			? safeJson({id: share.id, revokedAt: share.revokedAt, already}) + '\n'
			: `Share ${share.id} ${already ? 'was already' : 'is now'} revoked (${when(share.revokedAt!)}): its links answer 410 Gone, its copies are removed, its log stays.\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
