import {loadEmbedder} from '../source/adapters/embedder.js';
import {downloadReporter} from '../source/ai/model-choice.js';
import {modelForTagging, tagWithLearnedThresholds} from '../source/tags/run-tag.js';
import type {TagSummary} from '../source/ai/tag.js';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {formatDuration} from '../source/core/format.js';

export {description, usage, examples, flags} from './tag.spec.js';

function summaryLines(summary: TagSummary): string[] {
	const lines = [
		`${summary.interrupted ? 'Interrupted after embedding' : 'Embedded'} ${summary.embedded} photos with ${sanitize(summary.model)} in ${formatDuration(summary.seconds)} (${summary.alreadyEmbedded} already had one${summary.rescored ? `, ${summary.rescored} re-scored against the changed taxonomy` : ''}), ${summary.errors.length} errors.`,
	];
	for (const error of summary.errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	if (summary.errors.length > 20) {
		lines.push(`  … and ${summary.errors.length - 20} more (curate tag --json lists all)`);
	}

	const tags = summary.tags.filter(tag => !tag.tag.startsWith('event/'));
	const events = summary.tags.length - tags.length;
	lines.push(
		tags.length > 0 ? `Tags: ${tags.slice(0, 15).map(tag => `${sanitize(tag.tag)} ${tag.count}`).join(', ')}${tags.length > 15 ? ', …' : ''}` : 'No tags reached their thresholds.',
		...(events ? [`Events (from capture times): ${events}`] : []),
		`Taxonomy: ${sanitize(summary.taxonomy)}`,
	);
	if (summary.interrupted) {
		lines.push('What was embedded so far is saved; run curate tag again to carry on.');
	}

	return lines;
}

/** `curate tag`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const batch = Number(options.batch);
	if (!Number.isInteger(batch) || batch < 1 || batch > 1024) {
		throw new UserError('--batch must be a whole number from 1 to 1024');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const model = modelForTagging(library, options.model as string | undefined);
	// The model is loaded before anything in the library is written, so a missing model changes nothing.
	const embedder = await loadEmbedder(model, {cwd, onDownload: downloadReporter(stderr)});
	const lifecycle = {name: 'tag', stdout, stderr, json: Boolean(options.json), interrupt: {forced: 'what was embedded so far is saved; run curate tag again to carry on.'}};
	return runCommand(lifecycle, async ({signal, progress, defer}) => {
		defer(async () => embedder.dispose());
		const {catalog, release} = openForWrite(library);
		defer(() => {
			catalog.close();
			release();
		});
		const settings = {taxonomy: options.taxonomy as string | undefined, cwd, batch, signal};
		const summary = await tagWithLearnedThresholds(library, catalog, embedder, settings, await progress({kind: 'tag', model: embedder.key}));
		return {json: summary, text: () => summaryLines(summary), interrupted: summary.interrupted};
	});
}
