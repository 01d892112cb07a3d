import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {Journal} from '../source/journal/journal.js';
import {withJournal} from '../source/journal/session.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {type DecisionPlan, planTagDecisions} from '../source/tags/decisions.js';
import {type ImportPlan, planTagsImport} from '../source/tags/exchange.js';
import {usage} from './tags-import.spec.js';

export {description, usage, examples, flags} from './tags-import.spec.js';

function report(file: string, plan: ImportPlan, decided: DecisionPlan, batch: number | undefined, dryRun: boolean, json: boolean, stdout: NodeJS.WritableStream): void {
	if (json) {
		stdout.write(safeJson({file, dryRun, batch: batch ?? null, lines: plan.lines, changed: decided.changed, writes: decided.writes, unknownPaths: plan.unknownPaths, invalid: plan.invalid}) + '\n');
		return;
	}

	const {confirmed, rejected, suggested} = decided.changed;
	const total = confirmed + rejected + suggested;
	const verb = dryRun ? 'Would change' : 'Changed';
	stdout.write(
		total === 0
			? `Nothing to change: the ${plan.lines} lines of ${sanitize(file)} match the catalog.\n`
			: `${verb} ${total} tags (${confirmed} confirmed, ${rejected} rejected, ${suggested} back to suggested), ${decided.writes} keyword write${decided.writes === 1 ? '' : 's'}${batch === undefined ? '' : ` · batch ${batch} (curate undo ${batch} takes it back)`}.\n`,
	);
	for (const [label, problems] of [['unknown path', plan.unknownPaths], ['line not used', plan.invalid]] as const) {
		if (problems.length === 0) {
			continue;
		}

		stdout.write(`${problems.length} ${label.replace(/(path|line)/, word => (problems.length === 1 ? word : `${word}s`))}:\n`);
		for (const problem of problems.slice(0, 20)) {
			stdout.write(`  line ${problem.line}: ${problem.path ? `${sanitize(problem.path)}: ` : ''}${sanitize(problem.reason)}\n`);
		}

		if (problems.length > 20) {
			stdout.write(`  … and ${problems.length - 20} more (--json lists all)\n`);
		}
	}
}

/** `curate tags import`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length !== 1) {
		throw new UserError(`give the CSV file to import (usage: ${usage})`);
	}

	const file = path.resolve(cwd, input[0]!);
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}

	const dryRun = Boolean(options.dryRun);
	const json = Boolean(options.json);
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const target = {embedded: Boolean(options.embed), naming: loadJournalSettings(library).sidecar};
	// Preparing sidecars runs exiftool per photo: a large import reports where it is (on stderr, so --json stays clean).
	let lastLine = 0;
	const progress = (done: number, total: number) => {
		const now = performance.now();
		if (total >= 50 && (now - lastLine > 2000 || done === total)) {
			lastLine = now;
			stderr.write(`tags import: prepared keywords for ${done}/${total} photos\n`);
		}
	};

	const parse = (journal: Journal) => {
		try {
			return planTagsImport(journal.catalog, library.root, text);
		} catch (error) {
			throw new UserError(`${file}: ${(error as Error).message}`);
		}
	};

	if (dryRun) {
		const catalog = openForRead(library);
		try {
			const journal = Journal.read(library, catalog);
			const plan = parse(journal);
			report(file, plan, await planTagDecisions(journal, plan.decisions, target, progress), undefined, true, json, stdout);
			return 0;
		} finally {
			catalog.close();
		}
	}

	return withJournal({library: library.root, cwd, stderr}, async journal => {
		const plan = parse(journal);
		const decided = await planTagDecisions(journal, plan.decisions, target, progress);
		let batch: number | undefined;
		if (decided.operations.length > 0) {
			if (decided.operations.length >= 50) {
				stderr.write(`tags import: applying ${decided.operations.length} operations as one journal batch…\n`);
			}

			const {confirmed, rejected, suggested} = decided.changed;
			batch = (
				await journal.apply({
					command: `tags import ${path.basename(file)}`,
					label: `tags from ${path.basename(file)}: ${confirmed} confirmed, ${rejected} rejected, ${suggested} suggested`,
					operations: decided.operations,
				})
			).batch;
		}

		report(file, plan, decided, batch, false, json, stdout);
		return 0;
	});
}
