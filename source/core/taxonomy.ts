/**
 * The tag taxonomy (issue 6): a plain text file, one tag per line, that `curate tag` scores every photo against.
 * Pure: parsing and the default file's text.
 *
 *     name | aliases, comma-separated | prompt | threshold
 *
 * Only the name is needed. Names may be hierarchical with `/` (`places/beach`); `tag:beach` and `tag:places` both
 * find it. Without a prompt the tag is scored with "a photo of NAME". The threshold (0–1, default
 * `defaultThreshold`) is the confidence a photo needs to get the tag. `#` starts a comment.
 */

/** One tag of the taxonomy. */
export type TaxonomyTag = {
	/** Full name, e.g. `places/beach`. */
	readonly name: string;
	/** Other words for it (search filters accept them; each also adds a prompt). */
	readonly aliases: readonly string[];
	/** What CLIP compares the photo with. */
	readonly prompt: string;
	/** Minimum confidence for the tag to be suggested. */
	readonly threshold: number;
};

/** Confidence a tag needs when its line gives no threshold. */
export const defaultThreshold = 0.2;

/** The last part of a hierarchical name: `places/beach` → `beach`. */
export const leafName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

const validName = /^[\p{L}\p{N}_-]+(?:[ ][\p{L}\p{N}_-]+)*(?:\/[\p{L}\p{N}_-]+(?:[ ][\p{L}\p{N}_-]+)*)*$/u;

/** Parses a taxonomy file; throws an Error naming the line for anything malformed. */
export function parseTaxonomy(text: string): TaxonomyTag[] {
	const tags: TaxonomyTag[] = [];
	const seen = new Set<string>();
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.replace(/(^|\s)#.*$/, '').trim();
		if (!line) {
			continue;
		}

		const where = `line ${index + 1}`;
		const fields = line.split('|').map(field => field.trim());
		if (fields.length > 4) {
			throw new Error(`${where}: too many "|" fields (name | aliases | prompt | threshold)`);
		}

		const [name = '', aliases = '', prompt = '', threshold = ''] = fields;
		const lowerName = name.toLowerCase();
		if (!validName.test(lowerName)) {
			throw new Error(`${where}: "${name}" is not a tag name (letters, digits, - and _, with / between levels)`);
		}

		if (seen.has(lowerName)) {
			throw new Error(`${where}: tag "${lowerName}" is listed twice`);
		}

		let minimum = defaultThreshold;
		if (threshold) {
			minimum = Number(threshold);
			if (!Number.isFinite(minimum) || minimum < 0 || minimum > 1) {
				throw new Error(`${where}: threshold "${threshold}" must be a number from 0 to 1`);
			}
		}

		seen.add(lowerName);
		tags.push({
			name: lowerName,
			aliases: aliases
				.split(',')
				.map(alias => alias.trim().toLowerCase())
				.filter(Boolean),
			prompt: prompt || `a photo of ${leafName(lowerName).replaceAll('_', ' ')}`,
			threshold: minimum,
		});
	}

	if (tags.length === 0) {
		throw new Error('the taxonomy has no tags');
	}

	return tags;
}

/** The prompts one tag is scored with: its prompt and "a photo of ALIAS" per alias, averaged (prompt ensembling). */
export function tagPrompts(tag: TaxonomyTag): string[] {
	return [tag.prompt, ...tag.aliases.map(alias => `a photo of ${alias}`)];
}

/** Whether `query` (as in `tag:QUERY`) names `tag`: its full name, a parent level, its last part, or an alias. */
export function tagMatches(tagName: string, query: string, taxonomy: readonly TaxonomyTag[] = []): boolean {
	const wanted = query.toLowerCase();
	if (tagName === wanted || tagName.startsWith(`${wanted}/`) || leafName(tagName) === wanted) {
		return true;
	}

	const known = taxonomy.find(tag => tag.name === tagName);
	return known ? known.aliases.includes(wanted) : false;
}

/** The taxonomy written to `.curate/tags.txt` on first use. */
export const defaultTaxonomyText = `# Curate tag taxonomy: one tag per line, scored against every photo by \`curate tag\`.
#
#   name | aliases, comma-separated | prompt | threshold
#
# Only the name is needed. Use / for levels (places/beach): tag:beach and tag:places both find it.
# The prompt is what the photo is compared with (default: "a photo of NAME"); aliases add prompts and
# are accepted by search filters. The threshold (0-1, default ${defaultThreshold}) is the confidence needed.
# Edit freely: the next \`curate tag\` re-scores every photo from its stored embedding, without reading photos.

people/portrait   | selfie, headshot             | a close-up portrait photo of a person's face
people/group      | group photo, friends, family | a group photo of several people together
people/baby       | infant, toddler, newborn     | a photo of a baby
animals/pet       | dog, cat, puppy, kitten      | a photo of a pet dog or cat
animals/wildlife  | bird, animals, zoo           | a photo of a wild animal
places/beach      | seaside, coast, sea          | a photo of a sandy beach by the sea
places/mountain   | mountains, hiking, alps      | a photo of mountains
places/snow       | winter, skiing               | a photo of a snowy landscape in winter
places/city       | street, buildings, urban     | a photo of a city street with buildings
places/forest     | woods, trees                 | a photo of a forest
places/indoors    | home, room, living room      | a photo taken indoors in a room
events/party      | celebration                  | a photo of people at a party
events/birthday   | bday, birthday party, cake   | a photo of a birthday party with a cake and candles
events/wedding    | bride, groom                 | a photo of a wedding
events/concert    | gig, stage                   | a photo of a concert on a stage
events/sport      | sports, game, match          | a photo of people playing sport
objects/food      | meal, dinner, restaurant     | a photo of food on a plate
objects/flower    | flowers, garden, bloom       | a close-up photo of flowers
objects/car       | cars, vehicle                | a photo of a car
objects/document  | receipt, paper, scan         | a photo of a paper document with text
objects/screenshot| screen capture               | a screenshot of a phone or computer screen
scenes/sunset     | sunrise, dusk                | a photo of a sunset sky
scenes/night      | night sky, evening           | a photo taken at night
scenes/landscape  | nature, scenery              | a landscape photo of nature
scenes/water      | lake, river                  | a photo of a lake or a river
quality/blurry    | out of focus, blur           | a blurry, out of focus photo | 0.3
quality/dark      | underexposed                 | an underexposed, very dark photo | 0.3
`;
