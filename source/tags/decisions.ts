/**
 * Tag decisions as journal operations (issue 7): the tag rows' new states (`set-tags`, undone by restoring the rows
 * exactly) and the keyword writes they imply: a tag that becomes confirmed is written as a keyword to every present
 * file holding the content; one that stops being confirmed is taken out again.
 */
import type {Operation, TagRowChange} from '../core/journal.js';
import {keywordsOf} from '../core/tag-keywords.js';
import {type TagRow, tagRowsOf, type TagState} from '../db/tag-review.js';
import type {BatchResult, Journal} from '../journal/journal.js';
import {type KeywordChange, planKeywordWrites, type WriteTarget} from './keyword-writes.js';

/** What a person decided about one content and one tag. */
export type TagDecision = {
	readonly sha256: string;
	readonly tag: string;
	readonly state: TagState;
	/** Confidence of a tag added by hand (default 1); existing rows keep theirs. */
	readonly confidence?: number;
};

/** What a content's rows of one tag amount to: a rejection anywhere wins, then a confirmation. */
export function effectiveState(rows: readonly TagRow[]): TagState | undefined {
	if (rows.length === 0) {
		return undefined;
	}

	return rows.some(row => row.state === 'rejected') ? 'rejected' : rows.some(row => row.state === 'confirmed') ? 'confirmed' : 'suggested';
}

/** The planned operations and how many decisions change anything. */
export type DecisionPlan = {
	readonly operations: Operation[];
	/** Decisions that change a tag state, by new state. */
	readonly changed: Readonly<Record<TagState, number>>;
	/** Keyword writes among the operations. */
	readonly writes: number;
};

/** Plans decisions (the last one wins for the same content and tag); decisions that change nothing are left out. */
export async function planTagDecisions(
	journal: Journal,
	decisions: readonly TagDecision[],
	target: WriteTarget = {},
	onProgress?: (done: number, total: number) => void,
): Promise<DecisionPlan> {
	const store = tagRowsOf(journal.catalog);
	const unique = new Map<string, TagDecision>();
	for (const decision of decisions) {
		unique.set(`${decision.sha256}\n${decision.tag}`, decision);
	}

	const perContent = new Map<string, TagRowChange[]>();
	const keywordChanges: KeywordChange[] = [];
	const changed: Record<TagState, number> = {suggested: 0, confirmed: 0, rejected: 0};
	for (const decision of unique.values()) {
		const rows = store.rows(decision.sha256, decision.tag);
		const changes: TagRowChange[] =
			rows.length === 0
				? [{tag: decision.tag, source: 'user', before: null, after: {state: decision.state, confidence: decision.confidence ?? 1}}]
				: rows
						.filter(row => row.state !== decision.state)
						.map(row => ({tag: decision.tag, source: row.source, before: {state: row.state, confidence: row.confidence}, after: {state: decision.state, confidence: row.confidence}}));
		if (changes.length === 0) {
			continue;
		}

		changed[decision.state]++;
		perContent.set(decision.sha256, [...(perContent.get(decision.sha256) ?? []), ...changes]);
		const was = effectiveState(rows);
		if (was === decision.state || (was !== 'confirmed' && decision.state !== 'confirmed')) {
			continue;
		}

		const paths = store.presentPaths(decision.sha256);
		if (decision.state === 'confirmed') {
			keywordChanges.push(...paths.map(path => ({path, addTags: [decision.tag]})));
		} else {
			keywordChanges.push(...paths.map(path => ({path, removeTags: [decision.tag]})));
		}
	}

	// A keyword stays while another confirmed tag of the content is written as the same word (a/beach and b/beach).
	const keptSubjects = (sha256: string, without: string) =>
		new Set(
			store
				.rowsOfContent(sha256)
				.filter(row => row.tag !== without && row.state === 'confirmed' && !unique.has(`${sha256}\n${row.tag}`))
				.map(row => keywordsOf(row.tag).subject),
		);
	const writes = await planKeywordWrites(
		journal,
		keywordChanges.filter(change => {
			const tag = change.removeTags?.[0];
			if (!tag) {
				return true;
			}

			const file = journal.catalog.fileByPath(change.path);
			return !file?.sha256 || !keptSubjects(file.sha256, tag).has(keywordsOf(tag).subject);
		}),
		target,
		onProgress,
	);
	const operations: Operation[] = [...writes, ...[...perContent].map(([sha256, changes]) => ({kind: 'set-tags', sha256, changes}) as const)];
	return {operations, changed, writes: writes.length};
}

/** Applies decisions as one journal batch; undefined when nothing would change. */
export async function applyTagDecisions(
	journal: Journal,
	decisions: readonly TagDecision[],
	options: WriteTarget & {readonly command: string; readonly label: string},
): Promise<(BatchResult & {plan: DecisionPlan}) | undefined> {
	const plan = await planTagDecisions(journal, decisions, options);
	if (plan.operations.length === 0) {
		return undefined;
	}

	const result = await journal.apply({command: options.command, label: options.label, operations: plan.operations});
	return {...result, plan};
}
