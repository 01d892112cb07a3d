import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {parseShareId, shareLog} from '../source/share/manage.js';
import {logLines} from '../source/share/report.js';

export {description, usage, examples, flags} from './share-log.spec.js';

/** `curate share log [ID]`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 1) {
		throw new UserError(`unexpected arguments: ${input.slice(1).join(' ')}`);
	}

	const id = input[0] === undefined ? undefined : parseShareId(input[0], 'curate share log [ID]');
	const catalog = openForRead(findLibrary({library: options.library as string | undefined, cwd}));
	try {
		const entries = shareLog(catalog, id);
		stdout.write(options.json ? safeJson({entries}) + '\n' : logLines(entries).join('\n') + '\n');
		return 0;
	} finally {
		catalog.close();
	}
}
