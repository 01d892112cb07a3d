import {listModels} from '../source/ai/models.js';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';

export {description, usage, examples, flags} from './models.spec.js';

/** `curate models`. */
export async function run({flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const listing = listModels({library: options.library as string | undefined, cwd});
	if (options.json) {
		stdout.write(safeJson(listing) + '\n');
		return 0;
	}

	const lines = [`Model cache: ${sanitize(listing.cacheDir)}${listing.offline ? ' (CURATE_OFFLINE=1: no downloads)' : ''}`, ''];
	for (const model of listing.models) {
		const roles = [model.default ? 'default' : '', model.library ? 'this library' : ''].filter(Boolean).join(', ');
		const state = model.available ? 'available offline' : model.offline ? 'missing (downloads are off)' : 'downloads on first use';
		lines.push(`${sanitize(model.id)}${roles ? ` [${roles}]` : ''}`, `  ${state}; ${sanitize(model.dir)}`);
		if (!model.available && model.missing.length > 0) {
			lines.push(`  needs: ${sanitize(model.missing.join(', '))}`);
		}

		if (model.embeddings !== undefined) {
			lines.push(`  ${model.embeddings} photos embedded in this library`);
		}
	}

	stdout.write(lines.join('\n') + '\n');
	return 0;
}
