/**
 * Grouping faces and suggesting names (issue 19). Pure: descriptors in, decisions out. Descriptors are FaceRes
 * vectors normalised to length 1, so a dot product is their cosine similarity.
 */

/**
 * Cosine similarity at or above which two descriptors are taken for the same face. Measured on the corpus
 * (README, People): variants of one face (half size, JPEG quality 30, crop, brighter) scored 0.86–1.00, faces of
 * different people 0.21–0.53.
 */
export const sameFaceThreshold = 0.7;

/** Labelled faces a person needs before Curate suggests their name for other faces. */
export const minLabelledFaces = 10;

/** How many of a person's closest labelled faces a suggestion's confidence averages. */
const nearest = 3;

/** Cosine similarity of two normalised descriptors. */
export function similarity(a: Float32Array, b: Float32Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		sum += a[i]! * b[i]!;
	}

	return sum;
}

type Face = {readonly id: number; readonly cluster: number | null; readonly embedding: Float32Array};

/**
 * Incremental clustering: faces that already have a cluster keep it; each new face, in id order, joins the cluster
 * whose mean descriptor is most similar if that similarity reaches `threshold`, else starts a new cluster numbered
 * after `maxCluster`. The means include the faces added in this run. Returns the new faces' clusters.
 */
export function assignClusters(faces: readonly Face[], maxCluster: number, threshold = sameFaceThreshold): Map<number, number> {
	const sums = new Map<number, Float32Array>();
	const add = (cluster: number, embedding: Float32Array) => {
		let sum = sums.get(cluster);
		if (!sum) {
			sum = new Float32Array(embedding.length);
			sums.set(cluster, sum);
		}

		for (let i = 0; i < embedding.length; i++) {
			sum[i]! += embedding[i]!;
		}
	};

	for (const face of faces) {
		if (face.cluster !== null) {
			add(face.cluster, face.embedding);
		}
	}

	const assigned = new Map<number, number>();
	let next = maxCluster;
	for (const face of faces) {
		if (face.cluster !== null) {
			continue;
		}

		let best = -1;
		let bestScore = -Infinity;
		for (const [cluster, sum] of sums) {
			let norm = 0;
			let dot = 0;
			for (let i = 0; i < sum.length; i++) {
				norm += sum[i]! * sum[i]!;
				dot += sum[i]! * face.embedding[i]!;
			}

			const score = dot / (Math.sqrt(norm) || 1);
			if (score > bestScore) {
				bestScore = score;
				best = cluster;
			}
		}

		const cluster = bestScore >= threshold ? best : ++next;
		assigned.set(face.id, cluster);
		add(cluster, face.embedding);
	}

	return assigned;
}

/** A name Curate proposes for an unnamed face; never applied without a person confirming it. */
export type Suggestion = {
	readonly face: number;
	readonly person: string;
	/** Mean similarity to the person's closest labelled faces, 0–1. */
	readonly confidence: number;
	/** How far ahead of the next person this one is (1 when only one person is known). */
	readonly margin: number;
};

/**
 * Names for unnamed faces from labelled ones: a person with at least `minLabelledFaces` named faces is proposed for
 * an unnamed face when the mean similarity to that person's `nearest` closest labelled faces reaches `threshold`
 * and beats every other person's that did not reject the face. Sorted by confidence, highest first.
 */
export function suggestNames(
	faces: ReadonlyArray<{readonly id: number; readonly person: string | null; readonly embedding: Float32Array}>,
	threshold = sameFaceThreshold,
	/** `faceId person` keys of rejections: a face is never suggested for a person who rejected it (issue 19). */
	rejected: ReadonlySet<string> = new Set(),
): Suggestion[] {
	const labelled = new Map<string, Float32Array[]>();
	for (const face of faces) {
		if (face.person !== null) {
			labelled.set(face.person, [...(labelled.get(face.person) ?? []), face.embedding]);
		}
	}

	const people = [...labelled].filter(([, vectors]) => vectors.length >= minLabelledFaces);
	if (people.length === 0) {
		return [];
	}

	const suggestions: Suggestion[] = [];
	for (const face of faces) {
		if (face.person !== null) {
			continue;
		}

		const scores = people
			.filter(([person]) => !rejected.has(`${face.id} ${person}`))
			.map(([person, vectors]) => {
				const top = vectors
					.map(vector => similarity(vector, face.embedding))
					.sort((a, b) => b - a)
					.slice(0, nearest);
				return {person, score: top.reduce((sum, value) => sum + value, 0) / top.length};
			})
			.sort((a, b) => b.score - a.score);
		const [best, second] = scores;
		if (best && best.score >= threshold) {
			suggestions.push({face: face.id, person: best.person, confidence: best.score, margin: second ? best.score - second.score : 1});
		}
	}

	return suggestions.sort((a, b) => b.confidence - a.confidence || a.face - b.face);
}
