import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {FaceStore} from '../source/db/faces.js';
import {type FacesProgress, type FacesSummary, findFaces} from '../source/faces/find-faces.js';
import {loadFaceModel} from '../source/faces/model.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {formatDuration} from '../source/ui/format.js';

export {description, usage, examples, flags} from './faces.spec.js';

function printSummary(summary: FacesSummary, stdout: NodeJS.WriteStream): void {
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
	stdout.write(lines.join('\n') + '\n');
}

/** `curate faces`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const batch = Number(options.batch);
	if (!Number.isInteger(batch) || batch < 1 || batch > 1024) {
		throw new UserError('--batch must be a whole number from 1 to 1024');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	// Loaded before anything in the library is written, so a model that fails to load changes nothing.
	const model = await loadFaceModel();
	const {catalog, release} = openForWrite(library);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const json = Boolean(options.json);
	const started = performance.now();
	let lastLine = 0;
	const onProgress = (progress: FacesProgress) => {
		const now = performance.now();
		if (json || (now - lastLine < 2000 && progress.done !== progress.total)) {
			return;
		}

		lastLine = now;
		const rate = progress.done / Math.max(0.001, (now - started) / 1000);
		stderr.write(`faces: ${progress.done}/${progress.total} photos, ${rate.toFixed(1)} photos/s, ${progress.faces} faces, ${progress.errors} errors\n`);
	};

	let summary: FacesSummary;
	try {
		summary = await findFaces(library, new FaceStore(catalog), model, {batch, signal: controller.signal}, onProgress);
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		catalog.close();
		release();
	}

	if (json) {
		stdout.write(safeJson(summary) + '\n');
	} else {
		printSummary(summary, stdout);
	}

	return summary.interrupted ? 130 : 0;
}
