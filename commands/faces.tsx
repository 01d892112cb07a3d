import type {CommandContext} from '../source/command.js';
import {formatDuration} from '../source/core/format.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {FaceStore} from '../source/db/faces.js';
import type {FacesSummary} from '../source/faces/find-faces.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';

export {description, usage, examples, flags} from './faces.spec.js';

function summaryLines(summary: FacesSummary): string[] {
	const lines = [
		`${summary.interrupted ? 'Interrupted after' : 'Scanned'} ${summary.scanned} photos for faces in ${formatDuration(summary.seconds)} (${summary.photosPerSecond.toFixed(1)} photos/s; ${summary.alreadyDone} already done with this model): ${summary.faces} faces in ${summary.photosWithFaces} photos, ${summary.errors.length} errors.`,
	];
	for (const error of summary.errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	if (summary.errors.length > 20) {
		lines.push(`  … and ${summary.errors.length - 20} more (curate faces --json lists all)`);
	}

	lines.push(summary.interrupted ? 'What was scanned so far is saved; run curate faces again to carry on.' : 'curate people lists the groups of faces and names them.');
	return lines;
}

/** `curate faces`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	if (options.forget) {
		const {forgetFaces} = await import('../source/faces/decisions.js');
		const forgotten = await forgetFaces(library);
		if (options.json) {
			stdout.write(safeJson(forgotten) + '\n');
		} else {
			stdout.write(
				forgotten.batchId === null
					? 'No face data in the catalog.\n'
					: `Forgot ${forgotten.faces} ${forgotten.faces === 1 ? 'face' : 'faces'} in ${forgotten.photos} ${forgotten.photos === 1 ? 'photo' : 'photos'}, with ${forgotten.decisions} ${forgotten.decisions === 1 ? 'name or rejection' : 'names and rejections'} (batch ${forgotten.batchId}: \`curate undo ${forgotten.batchId}\` brings them back).\n`,
			);
		}

		return 0;
	}

	const batch = Number(options.batch);
	if (!Number.isInteger(batch) || batch < 1 || batch > 1024) {
		throw new UserError('--batch must be a whole number from 1 to 1024');
	}

	const [{findFaces}, {loadFaceModel}] = await Promise.all([import('../source/faces/find-faces.js'), import('../source/faces/model.js')]);
	return runCommand({name: 'faces', stdout, stderr, json: Boolean(options.json)}, async ({signal, progress, defer}) => {
		// The lock first, so a busy library is said at once rather than after seconds of loading the model; the model
		// is loaded before anything is written, so one that fails to load changes nothing.
		const {catalog, release} = openForWrite(library);
		defer(release);
		defer(() => {
			catalog.close();
		});
		const model = await loadFaceModel();
		const update = await progress({kind: 'files', label: 'Finding faces', problemLabel: 'errors'});
		const summary = await findFaces(library, new FaceStore(catalog), model, {batch, signal}, event => {
			update({done: event.done, total: event.total, problems: event.errors, current: event.current});
		});
		return {
			json: summary,
			text: () => summaryLines(summary),
			interrupted: summary.interrupted,
			interruptedNote: 'curate: faces interrupted; what was scanned is saved, run curate faces again to carry on',
		};
	});
}
