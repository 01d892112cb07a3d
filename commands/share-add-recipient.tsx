import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {addRecipient, parseShareId} from '../source/share/manage.js';
import {checkBaseUrl, loadShareSettings, shareLink} from '../source/share/settings.js';

export {description, usage, examples, flags} from './share-add-recipient.spec.js';

/** `curate share add-recipient ID NAME`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const id = parseShareId(input[0], 'curate share add-recipient ID NAME');
	if (input.length < 2) {
		throw new UserError('who is it for? curate share add-recipient ID NAME');
	}

	// `add-recipient 3 Aunt Marie` without quotes is one name, as the user meant.
	const name = input.slice(1).join(' ');
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const baseUrl = options.baseUrl === undefined ? loadShareSettings(library).baseUrl : checkBaseUrl(String(options.baseUrl));
	const catalog = openForRecords(library);
	try {
		const {share, recipient} = addRecipient(catalog, id, name);
		const link = shareLink(baseUrl, recipient.token);
		stdout.write(options.json
			? safeJson({shareId: share.id, recipient: {id: recipient.id, name: recipient.name, createdAt: recipient.createdAt}, link}) + '\n'
			: `${sanitize(recipient.name)}'s link to share ${share.id} (the log names them when it is used):\n\n${link}\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
