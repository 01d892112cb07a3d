import fs from 'node:fs';
import path from 'node:path';
import type {StoredFile} from '../db/catalog.js';
import {UserError} from '../library.js';

/**
 * Lookups that other features provide: the AI engine (issue 6) answers `tag` and `search` once the library has been
 * tagged (source/ai/selection-queries.ts); a hook left out makes such selections a clear error instead of an empty
 * result that would look like "no such photos".
 */
export type SelectionQueries = {
	/** Library-relative paths of files with this tag. */
	readonly tag?: (value: string) => ReadonlySet<string>;
	/** Library-relative paths of files taken at a place (`place:FR`, `place:paris`; issue 17). */
	readonly place?: (value: string) => ReadonlySet<string>;
	/** Library-relative paths of files with a face named this person (`person:Anna`; issue 19). */
	readonly person?: (value: string) => ReadonlySet<string>;
	/** Library-relative paths of files matching a free-text query. */
	readonly search?: (text: string) => ReadonlySet<string>;
};

/** What a selection is resolved against. */
export type SelectionContext = {
	readonly root: string;
	readonly cwd: string;
	/** Present catalogued files. */
	readonly files: readonly StoredFile[];
	readonly queries?: SelectionQueries;
};

type Filter = (file: StoredFile) => boolean;

const globRegex = (pattern: string) =>
	new RegExp(
		`^${pattern
			.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`)
			.replaceAll('**', '\u0000')
			.replaceAll('*', '[^/]*')
			.replaceAll('?', '[^/]')
			.replaceAll('\u0000', '.*')}$`,
		'i',
	);

/** Filters of `key:value` terms. Each returns a predicate, or throws a UserError for a value it cannot use. */
const filters: Record<string, (value: string, context: SelectionContext) => Filter> = {
	year(value) {
		const match = /^(\d{4})(?:-(\d{4}))?$/.exec(value);
		if (!match) {
			throw new UserError(`year: takes a year or a range, e.g. year:2019 or year:2019-2021 (got "${value}")`);
		}

		const from = Number(match[1]);
		const to = Number(match[2] ?? match[1]);
		return file => {
			const year = file.takenAt ? Number(file.takenAt.slice(0, 4)) : Number.NaN;
			return year >= from && year <= to;
		};
	},
	camera(value) {
		const needle = value.toLowerCase();
		return file => `${file.make ?? ''} ${file.model ?? ''}`.toLowerCase().includes(needle);
	},
	path(value) {
		if (/[*?]/.test(value)) {
			const regex = globRegex(value);
			return file => regex.test(file.path);
		}

		const needle = value.toLowerCase();
		return file => file.path.toLowerCase().includes(needle);
	},
	format(value) {
		const wanted = value.toLowerCase().replace(/^jpg$/, 'jpeg');
		return file => file.format === wanted;
	},
	place(value, context) {
		const placed = context.queries?.place?.(value);
		if (!placed) {
			throw new UserError('place: selections need the catalog\'s places (run `curate places` first)');
		}

		return file => placed.has(file.path);
	},
	person(value, context) {
		const named = context.queries?.person?.(value);
		if (!named) {
			throw new UserError('person: selections need named faces (run `curate faces`, then `curate people name`)');
		}

		return file => named.has(file.path);
	},
	tag(value, context) {
		const tagged = context.queries?.tag?.(value);
		if (!tagged) {
			throw new UserError('tag: selections need AI tags, which this library does not have yet (run `curate tag` first)');
		}

		return file => tagged.has(file.path);
	},
};

/** The selection keys `key:value` understands. */
export const selectionKeys = Object.keys(filters);

function pathTerm(term: string, context: SelectionContext): Filter | undefined {
	const candidates = [path.resolve(context.cwd, term), path.resolve(context.root, term)];
	for (const absolute of candidates) {
		let stat;
		try {
			stat = fs.statSync(absolute);
		} catch {
			continue;
		}

		const relative = path.relative(context.root, absolute).split(path.sep).join('/');
		if (relative.startsWith('..') || path.isAbsolute(relative)) {
			throw new UserError(`${term} is outside the library ${context.root}`);
		}

		if (stat.isDirectory()) {
			return relative === '' ? () => true : file => file.path.startsWith(`${relative}/`);
		}

		if (!context.files.some(file => file.path === relative)) {
			throw new UserError(`not in the catalog: ${relative} (run curate scan first?)`);
		}

		return file => file.path === relative;
	}

	return undefined;
}

/** The terms `selectFiles` would hand to `queries.search`: neither a path here nor a known `key:value` filter. */
export function freeTextTerms(terms: readonly string[], context: SelectionContext): string[] {
	return terms.filter(term => {
		if (pathTerm(term, context)) {
			return false;
		}

		const match = /^([a-z]+):(.+)$/i.exec(term);
		return !(match && match[1]!.toLowerCase() in filters);
	});
}

/**
 * Resolves SELECTION terms to catalogued files, in path order. Paths (files or folders, absolute, relative to the
 * current folder or to the library root) add files; `key:value` terms filter them: terms with the same key match any
 * of their values, different keys must all match. Anything else is a free-text query, answered by `queries.search`.
 */
export function selectFiles(terms: readonly string[], context: SelectionContext): StoredFile[] {
	if (terms.length === 0) {
		throw new UserError('nothing selected: give paths, year:YYYY, camera:NAME, path:PATTERN, format:NAME or tag:NAME');
	}

	const paths: Filter[] = [];
	const byKey = new Map<string, Filter[]>();
	for (const term of terms) {
		const asPath = pathTerm(term, context);
		if (asPath) {
			paths.push(asPath);
			continue;
		}

		const match = /^([a-z]+):(.+)$/i.exec(term);
		const key = match?.[1]!.toLowerCase();
		if (match && key && key in filters) {
			byKey.set(key, [...(byKey.get(key) ?? []), filters[key]!(match[2]!, context)]);
			continue;
		}

		const found = context.queries?.search?.(term);
		if (!found) {
			throw new UserError(`"${term}" is not a file or folder here, nor a ${selectionKeys.map(name => `${name}:`).join(' ')} term; free-text search needs AI tags (run \`curate tag\` first)`);
		}

		paths.push(file => found.has(file.path));
	}

	const keyed = [...byKey.values()];
	return context.files.filter(file => (paths.length === 0 || paths.some(filter => filter(file))) && keyed.every(group => group.some(filter => filter(file))));
}
