import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {renderTree} from '../source/core/tree.js';
import {applyOrganize, planOrganize} from '../source/import/organize.js';
import {placementSettings} from '../source/import/settings.js';
import {openJournal} from '../source/journal/journal.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './organize.spec.js';

/** Which rules of .curate/rules.txt placed files, and how many each (issue 17). */
function ruleLegend(moves: ReadonlyArray<{readonly rule?: {readonly line: number; readonly text: string}}>): string[] {
	const used = new Map<number, {text: string; count: number}>();
	for (const move of moves) {
		if (move.rule) {
			const entry = used.get(move.rule.line) ?? {text: move.rule.text, count: 0};
			entry.count++;
			used.set(move.rule.line, entry);
		}
	}

	return [...used].sort(([a], [b]) => a - b).map(([line, {text, count}]) => `rule ${line} of .curate/rules.txt (${sanitize(text)}): ${count} ${count === 1 ? 'file' : 'files'}`);
}

/** `curate organize`. */
export async function run({flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const placement = placementSettings(library, {pattern: options.pattern as string | undefined, gap: options.gap as string | undefined, undated: options.undated as string | undefined});
	const apply = Boolean(options.apply);
	const brokenFolder = options.brokenTo === undefined ? undefined : String(options.brokenTo).trim().replace(/\/+$/, '');
	if (brokenFolder !== undefined && (brokenFolder === '' || brokenFolder.startsWith('/') || brokenFolder.includes('\\') || brokenFolder.split('/').some(part => part === '' || part === '.' || part === '..' || part === '.curate'))) {
		throw new UserError(`--broken-to needs a folder inside the library, relative, with / between folders: "${String(options.brokenTo)}"`);
	}

	// Planning only reads; applying plans again under the writer lock, so the plan is the library as it is now.
	const opened = apply ? await openJournal(library) : {journal: undefined, catalog: openForRead(library), close: undefined};
	let batch: number | null = null;
	let plan;
	try {
		plan = await planOrganize(library, opened.catalog, {...placement, ...(brokenFolder === undefined ? {} : {brokenFolder})});
		if (opened.journal && plan.moves.length > 0) {
			batch = await applyOrganize(opened.journal, plan, `organize --pattern ${placement.pattern.source}`);
		}
	} finally {
		if (opened.close) {
			opened.close();
		} else {
			opened.catalog.close();
		}
	}

	if (options.json) {
		stdout.write(
			safeJson({
				pattern: placement.pattern.source,
				applied: apply,
				batch,
				moves: plan.moves.map(({from, to, role, event, rule}) => ({from, to, role, ...(event ? {event} : {}), ...(rule ? {rule} : {})})),
				unchanged: plan.unchanged,
				skipped: plan.skipped,
				events: plan.events.map(event => ({name: event.name, start: event.start, end: event.end, files: event.keys.length})),
			}) + '\n',
		);
		return 0;
	}

	const lines: string[] = [];
	const count = plan.moves.length;
	if (count === 0) {
		lines.push(`Nothing to move: all ${plan.unchanged} files already follow ${sanitize(placement.pattern.source)}.`);
	} else if (apply) {
		lines.push(`Moved ${count} ${count === 1 ? 'file' : 'files'} into ${sanitize(placement.pattern.source)} (batch ${batch}: \`curate undo ${batch}\` puts them back); ${plan.unchanged} already in place.`);
	} else {
		lines.push(`Would move ${count} ${count === 1 ? 'file' : 'files'} into ${sanitize(placement.pattern.source)}; ${plan.unchanged} already in place. Nothing moved: run with --apply.`);
	}

	if (!apply || count <= 50) {
		lines.push(...renderTree(plan.moves.map(move => ({from: move.from, to: move.to, ...(move.rule ? {note: `rule ${move.rule.line}`} : {})})), {columns: stdout.columns || 80}));
	}

	lines.push(...ruleLegend(plan.moves));

	const broken = plan.skipped.filter(skip => skip.reason.startsWith('broken')).length;
	if (broken > 0) {
		lines.push(`${broken} broken ${broken === 1 ? 'file stays' : 'files stay'} where ${broken === 1 ? 'it is' : 'they are'}, out of the dated folders (--broken-to FOLDER gathers them in one folder):`);
	}

	for (const skip of plan.skipped.slice(0, 10)) {
		lines.push(`left alone: ${sanitize(skip.path)}: ${sanitize(skip.reason)}`);
	}

	if (plan.skipped.length > 10) {
		lines.push(`… and ${plan.skipped.length - 10} more left alone (--json lists all)`);
	}

	stdout.write(lines.join('\n') + '\n');
	return 0;
}
