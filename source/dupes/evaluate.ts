/**
 * Pairwise precision and recall of duplicate clusters against labels: two files are a true pair when they share a
 * label group. Used by the accuracy test and `npm run bench:dupes`. Pure.
 */

/**
 * A labelled file: its group (same group = duplicates), the transformation that made it, and the half of the set its
 * source belongs to (thresholds are tuned on 'tune' and reported on 'test'; score one half by passing its labels).
 */
export type Label = {readonly path: string; readonly group: string; readonly kind: string; readonly half?: 'tune' | 'test'};

/** Precision, recall and F1 with the counts behind them. */
export type Score = {truePairs: number; predictedPairs: number; correct: number; precision: number; recall: number; f1: number};

function score(correct: number, predicted: number, truth: number, found = correct): Score {
	const precision = predicted === 0 ? 1 : correct / predicted;
	const recall = truth === 0 ? 1 : found / truth;
	return {truePairs: truth, predictedPairs: predicted, correct, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)};
}

const key = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * Scores predicted clusters (lists of paths) against labels, overall and per transformation kind. A pair counts
 * towards a kind when either file has it (the original-vs-variant pair counts for the variant's kind).
 */
export function evaluateClusters(clusters: ReadonlyArray<readonly string[]>, labels: readonly Label[]): {overall: Score; byKind: Map<string, Score>} {
	const labelOf = new Map(labels.map(label => [label.path, label]));
	const predicted = new Set<string>();
	for (const cluster of clusters) {
		const members = cluster.filter(path => labelOf.has(path));
		for (let i = 0; i < members.length; i++) {
			for (let j = i + 1; j < members.length; j++) {
				predicted.add(key(members[i]!, members[j]!));
			}
		}
	}

	const byGroup = new Map<string, string[]>();
	for (const label of labels) {
		byGroup.set(label.group, [...(byGroup.get(label.group) ?? []), label.path]);
	}

	const truth = new Set<string>();
	for (const members of byGroup.values()) {
		for (let i = 0; i < members.length; i++) {
			for (let j = i + 1; j < members.length; j++) {
				truth.add(key(members[i]!, members[j]!));
			}
		}
	}

	// A pair belongs to the kind of its variant: (original, crop10) is a crop10 pair. Pairs of two variants belong to
	// both kinds for precision, and to neither for recall (they follow from the original-variant pairs).
	const kindsOf = (pair: string, forRecall: boolean) => {
		const [a, b] = pair.split('\n') as [string, string];
		const ka = labelOf.get(a)!.kind;
		const kb = labelOf.get(b)!.kind;
		if (ka === 'original' || kb === 'original') {
			return new Set([ka === 'original' ? kb : ka]);
		}

		return forRecall ? new Set<string>() : new Set([ka, kb]);
	};

	const counts = new Map<string, {correct: number; predicted: number; truth: number; found: number}>();
	const bump = (pair: string, field: 'correct' | 'predicted' | 'truth' | 'found', forRecall = false) => {
		for (const kind of kindsOf(pair, forRecall)) {
			const entry = counts.get(kind) ?? {correct: 0, predicted: 0, truth: 0, found: 0};
			entry[field]++;
			counts.set(kind, entry);
		}
	};

	let correct = 0;
	for (const pair of predicted) {
		bump(pair, 'predicted');
		if (truth.has(pair)) {
			correct++;
			bump(pair, 'correct');
		}
	}

	for (const pair of truth) {
		bump(pair, 'truth', true);
		if (predicted.has(pair)) {
			bump(pair, 'found', true);
		}
	}

	for (const label of labels) {
		if (!counts.has(label.kind)) {
			counts.set(label.kind, {correct: 0, predicted: 0, truth: 0, found: 0});
		}
	}

	return {
		overall: score(correct, predicted.size, truth.size),
		byKind: new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, entry]) => [kind, score(entry.correct, entry.predicted, entry.truth, entry.found)])),
	};
}
