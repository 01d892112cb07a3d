import {render} from 'ink';
import React, {useEffect, useState} from 'react';
import {loadEmbedder} from '../source/adapters/embedder.js';
import {chooseModel, downloadReporter} from '../source/ai/model-choice.js';
import {type TagProgress as Progress, tagLibrary, type TagSummary} from '../source/ai/tag.js';
import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {Catalog} from '../source/db/catalog.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {withLearnedThresholds} from '../source/tags/learning.js';
import {formatDuration} from '../source/core/format.js';
import {TagProgress} from '../source/ui/tag-progress.js';

export {description, usage, examples, flags} from './tag.spec.js';

function LiveProgress({subscribe, model, started, columns}: {readonly subscribe: (listener: (progress: Progress) => void) => () => void; readonly model: string; readonly started: number; readonly columns: number}) {
	const [progress, setProgress] = useState<Progress>({phase: 'embedding', total: 0, done: 0, errors: 0});
	const [now, setNow] = useState(performance.now());
	useEffect(() => {
		const unsubscribe = subscribe(setProgress);
		const timer = setInterval(() => {
			setNow(performance.now());
		}, 250);
		return () => {
			unsubscribe();
			clearInterval(timer);
		};
	}, [subscribe]);
	return <TagProgress {...progress} model={model} elapsed={(now - started) / 1000} columns={columns} />;
}

function printSummary(summary: TagSummary, stdout: NodeJS.WriteStream): void {
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

	stdout.write(lines.join('\n') + '\n');
}

/** `curate tag`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const batch = Number(options.batch);
	if (!Number.isInteger(batch) || batch < 1 || batch > 1024) {
		throw new UserError('--batch must be a whole number from 1 to 1024');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	// Read-only: not even a schema migration happens before the model is known to load.
	const reader = Catalog.open(library.catalogPath, {readonly: true});
	let spec;
	try {
		spec = chooseModel(options.model as string | undefined, reader);
	} finally {
		reader.close();
	}

	// The model is loaded before anything in the library is written, so a missing model changes nothing.
	const embedder = await loadEmbedder(spec, {cwd, onDownload: downloadReporter(stderr)});
	const {catalog, release} = openForWrite(library);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const json = Boolean(options.json);
	const live = !json && stdout.isTTY;
	const started = performance.now();
	const listeners = new Set<(progress: Progress) => void>();
	const subscribe = (listener: (progress: Progress) => void) => {
		listeners.add(listener);
		return () => listeners.delete(listener);
	};

	const ink = live ? render(<LiveProgress subscribe={subscribe} model={embedder.key} started={started} columns={stdout.columns || 80} />, {stdout, exitOnCtrlC: false, patchConsole: false}) : undefined;
	let lastLine = 0;
	const onProgress = (progress: Progress) => {
		for (const listener of listeners) {
			listener(progress);
		}

		const now = performance.now();
		if (!live && (now - lastLine > 2000 || progress.done === progress.total)) {
			lastLine = now;
			const rate = progress.done / Math.max(0.001, (now - started) / 1000);
			stderr.write(`tag: ${progress.phase} ${progress.done}/${progress.total} photos, ${rate.toFixed(1)} photos/s, ${progress.errors} errors\n`);
		}
	};

	let summary: TagSummary;
	try {
		// Thresholds moved by reviewed photos (issue 7): corrections make the next suggestions better.
		const taxonomy = withLearnedThresholds(catalog, loadTaxonomy(library, {override: options.taxonomy as string | undefined, cwd, create: true}));
		summary = await tagLibrary(library, new EmbeddingStore(catalog), embedder, taxonomy, {batch, signal: controller.signal}, onProgress);
	} finally {
		if (ink) {
			const exited = ink.waitUntilExit();
			await new Promise(resolve => setTimeout(resolve, 50));
			ink.unmount();
			await exited;
		}

		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		catalog.close();
		release();
		await embedder.dispose();
	}

	if (json) {
		stdout.write(safeJson(summary) + '\n');
	} else {
		printSummary(summary, stdout);
	}

	return summary.interrupted ? 130 : 0;
}
