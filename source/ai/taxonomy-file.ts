import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {defaultTaxonomyText, parseTaxonomy, type TaxonomyTag} from '../core/taxonomy.js';
import {type Library, UserError} from '../library.js';

/** A library's taxonomy file: `.curate/tags.txt`. */
export const taxonomyPath = (library: Library) => path.join(library.dir, 'tags.txt');

/** A loaded taxonomy. */
export type Taxonomy = {
	readonly file: string;
	readonly tags: TaxonomyTag[];
	/** Hash of the parsed tags: when it changes, every stored embedding is scored again. */
	readonly digest: string;
	/** Whether the default file was written by this call. */
	readonly created: boolean;
};

/**
 * Reads the taxonomy: `override` when given (must exist), else `.curate/tags.txt`, written with the default tags
 * only when absent (`create`), so a user's edits are never overwritten. Errors name the file and line.
 */
export function loadTaxonomy(library: Library, options: {readonly override?: string | undefined; readonly cwd: string; readonly create: boolean}): Taxonomy {
	const file = options.override ? path.resolve(options.cwd, options.override) : taxonomyPath(library);
	let text: string;
	let created = false;
	if (fs.existsSync(file)) {
		text = fs.readFileSync(file, 'utf8');
	} else if (options.override) {
		throw new UserError(`no taxonomy file at ${file}`);
	} else if (options.create) {
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, defaultTaxonomyText, {flag: 'wx'});
		text = defaultTaxonomyText;
		created = true;
	} else {
		text = defaultTaxonomyText;
	}

	let tags;
	try {
		tags = parseTaxonomy(text);
	} catch (error) {
		throw new UserError(`${file}: ${(error as Error).message}`);
	}

	const digest = createHash('sha256').update(JSON.stringify(tags)).digest('hex').slice(0, 16);
	return {file, tags, digest, created};
}
