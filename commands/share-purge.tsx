import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {purgeShares} from '../source/share/manage.js';
import {purgeLines} from '../source/share/report.js';
import {loadShareSettings} from '../source/share/settings.js';

export {description, usage, examples, flags} from './share-purge.spec.js';

/** `curate share purge`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const {logRetentionDays} = loadShareSettings(library);
	const catalog = openForRecords(library);
	try {
		const report = purgeShares(library, catalog, logRetentionDays);
		const lines = purgeLines(report, logRetentionDays);
		stdout.write(options.json ? safeJson({...report, days: logRetentionDays}) + '\n' : `${lines.length > 0 ? lines.join('\n') : `Nothing older than ${logRetentionDays} days to purge.`}\n`);
		return 0;
	} finally {
		catalog.close();
	}
}
