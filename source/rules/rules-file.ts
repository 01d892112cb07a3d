/**
 * The library's rules file, `.curate/rules.txt` (issue 17): read for organize, import and watch. A missing file means
 * no rules; a bad one is refused in one line naming the line, before anything moves.
 */
import fs from 'node:fs';
import path from 'node:path';
import {type FolderRule, parseRules} from '../core/rules.js';
import type {TaxonomyTag} from '../core/taxonomy.js';
import {loadTaxonomy} from '../ai/taxonomy-file.js';
import {type Library, UserError} from '../library.js';

/** The rules file's name inside `.curate`. */
export const rulesFileName = 'rules.txt';

/** Largest rules file read. */
const maxBytes = 256 * 1024;

/** The rules of a library, in file order; none when there is no rules file. */
export function loadRules(library: Library): FolderRule[] {
	const file = path.join(library.dir, rulesFileName);
	let stat;
	try {
		stat = fs.statSync(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return [];
		}

		throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
	}

	if (!stat.isFile()) {
		throw new UserError(`${file} is not a file`);
	}

	if (stat.size > maxBytes) {
		throw new UserError(`${file} is larger than ${maxBytes / 1024} KB: a rules file is a few lines`);
	}

	const bytes = fs.readFileSync(file);
	const text = new TextDecoder('utf-8', {fatal: false}).decode(bytes);
	if (text.includes('\uFFFD')) {
		throw new UserError(`${file} is not UTF-8 text`);
	}

	try {
		return parseRules(text);
	} catch (error) {
		throw new UserError(`${file} ${(error as Error).message}`);
	}
}

/**
 * The rules and, when there are rules, the taxonomy whose aliases they may use: what organize, import and watch place
 * by. `watch` reads them again each round, so an edited rules file applies to the next photo that arrives.
 */
export function loadPlacementRules(library: Library): {rules: FolderRule[]; taxonomy: TaxonomyTag[]} {
	const rules = loadRules(library);
	return {rules, taxonomy: rules.length > 0 ? loadTaxonomy(library, {cwd: library.root, create: false}).tags : []};
}
