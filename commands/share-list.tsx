import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {listShares} from '../source/share/manage.js';
import {listLines} from '../source/share/report.js';
import {checkBaseUrl, loadShareSettings} from '../source/share/settings.js';

export {description, usage, examples, flags} from './share-list.spec.js';

/** `curate share list`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const baseUrl = options.baseUrl === undefined ? loadShareSettings(library).baseUrl : checkBaseUrl(String(options.baseUrl));
	const catalog = openForRead(library);
	try {
		const shares = listShares(catalog, baseUrl);
		stdout.write(options.json ? safeJson({shares}) + '\n' : listLines(shares).join('\n') + '\n');
		return 0;
	} finally {
		catalog.close();
	}
}
