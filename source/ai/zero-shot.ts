import {softmax} from '../core/vectors.js';
import {tagPrompts, type TaxonomyTag} from '../core/taxonomy.js';
import {clipLogitScale, type Embedder} from '../adapters/embedder.js';
import type {TagScore} from '../db/embeddings.js';

/** The taxonomy as unit vectors, one row per tag: the mean of its prompts' embeddings (prompt ensembling). */
export async function embedTaxonomy(embedder: Embedder, taxonomy: readonly TaxonomyTag[]): Promise<Float32Array> {
	const prompts = taxonomy.map(tag => tagPrompts(tag));
	const vectors = await embedder.embedTexts(prompts.flat());
	const dimensions = embedder.dimensions;
	const out = new Float32Array(taxonomy.length * dimensions);
	let index = 0;
	for (const [row, list] of prompts.entries()) {
		const target = out.subarray(row * dimensions, (row + 1) * dimensions);
		for (let p = 0; p < list.length; p++, index++) {
			for (let i = 0; i < dimensions; i++) {
				target[i] += vectors[index * dimensions + i]!;
			}
		}

		const norm = Math.hypot(...target) || 1;
		for (let i = 0; i < dimensions; i++) {
			target[i] /= norm;
		}
	}

	return out;
}

/**
 * Zero-shot tags of one image embedding: the softmax, at CLIP's logit scale, of its cosines with every tag of the
 * taxonomy, which is how CLIP was trained to compare captions. A confidence is the tag's share of the photo among
 * the taxonomy's tags, so a photo that fits none of them spreads thin and gets no tag; a tag is suggested when its
 * share reaches its threshold.
 */
export function scoreImage(sha256: string, image: Float32Array, tagVectors: Float32Array, taxonomy: readonly TaxonomyTag[]): TagScore[] {
	const dimensions = image.length;
	const cosines = taxonomy.map((_, row) => {
		let sum = 0;
		for (let i = 0; i < dimensions; i++) {
			sum += image[i]! * tagVectors[row * dimensions + i]!;
		}

		return sum;
	});
	const shares = softmax(cosines, clipLogitScale);
	const tags: TagScore[] = [];
	for (const [row, tag] of taxonomy.entries()) {
		if (shares[row]! >= tag.threshold) {
			tags.push({sha256, tag: tag.name, confidence: Math.round(shares[row]! * 1000) / 1000});
		}
	}

	return tags;
}
