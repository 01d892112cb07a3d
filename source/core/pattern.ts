/**
 * Folder patterns for import and organize (issue #8): `{year}/{year}-{month}-{day}` → `2022/2022-08-20`. Pure.
 *
 * A pattern names a folder and the file keeps its name, unless its last segment uses `{name}` or `{ext}`: then that
 * segment is the file name (and the original extension is appended when `{ext}` is absent). Every token value is made
 * safe for file systems (NAS shares over SMB included): no `/` or `\`, no control characters, none of `:*?"<>|`, no
 * leading or trailing dots or spaces (so never `..`), at most 64 characters (cut between words), and `unknown` when
 * nothing is left.
 */
import {fitFileName, fitFolderName} from './file-name.js';

/** Tokens a pattern may use. */
export const patternTokens = [
	'year', 'month', 'day', 'hour', 'minute', 'second', 'date', 'event', 'camera', 'make', 'model', 'name', 'ext', 'kind',
	// Issue 17: where the photo was taken, and `{tag:GROUP}`, the photo's confirmed tag in a taxonomy group.
	'country', 'region', 'city', 'place', 'tag',
] as const;

/** One token name. */
export type PatternToken = (typeof patternTokens)[number];

/** One token of a pattern; `group` only for `{tag:GROUP}`. */
export type PatternPart = {readonly token: PatternToken; readonly group?: string};

/** A validated pattern: segments of literal text and tokens. */
export type Pattern = {
	readonly source: string;
	readonly segments: ReadonlyArray<ReadonlyArray<string | PatternPart>>;
	/** True when the last segment names the file itself. */
	readonly namesFile: boolean;
};

/** What a pattern is filled from. `takenAt` is ISO 8601 local wall-clock time (an offset, if any, is ignored). */
export type PatternFields = {
	readonly takenAt: string | null;
	/** True when the date is a fallback (file time), so `undated: 'unknown'` can refuse it. */
	readonly dateIsFallback: boolean;
	readonly event?: string | undefined;
	readonly make: string | null;
	readonly model: string | null;
	/** The file's own name, with its extension. */
	readonly fileName: string;
	readonly kind?: string | undefined;
	/** Where it was taken (issue 17): null names for what the GPS did not give; undefined without GPS. */
	readonly place?: {readonly country: string | null; readonly region: string | null; readonly city: string | null} | undefined;
	/** Confirmed tag names (`people/alice`), for `{tag:GROUP}`. */
	readonly tags?: readonly string[] | undefined;
};

/** How files without a capture date in their metadata are placed. */
export type UndatedPolicy = 'mtime' | 'unknown';

/** The default import pattern (issue #8). */
export const defaultPattern = '{year}/{year}-{month}-{day}';

const maxToken = 64;
const unsafeCharacters = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Cuts `text` to at most `maxLength` characters at a word boundary (a space, or after `,;-_`), never inside a word
 * (issue 13: an event named `Autumn, tree, le`). Trailing separators go. A first word longer than the limit is the
 * only thing cut mid-word, when `wholeWords` is false; with it true the result is then empty.
 */
export function cutAtWord(text: string, maxLength: number, wholeWords = false): string {
	const characters = [...text];
	if (characters.length <= maxLength) {
		return text;
	}

	const kept = characters.slice(0, maxLength + 1);
	let end = -1;
	for (let index = maxLength; index > 0; index--) {
		const next = kept[index];
		const previous = kept[index - 1]!;
		if (next === undefined || /\s/.test(next) || /[,;\-_]/.test(previous)) {
			end = index;
			break;
		}
	}

	const cut = end > 0 ? kept.slice(0, end).join('') : wholeWords ? '' : characters.slice(0, maxLength).join('');
	return cut.replace(/[\s.,;\-_–—]+$/, '');
}

/** Makes one path component safe: see the module comment. `fallback` replaces an empty result. */
export function cleanSegment(value: string, maxLength = maxToken, fallback = 'unknown'): string {
	let text = value.normalize('NFC').replaceAll(unsafeCharacters, '').replaceAll(/[/\\:*?"<>|]/g, '_').replaceAll(/\s+/g, ' ');
	text = text.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
	text = cutAtWord(text, maxLength).replace(/[\s.]+$/, '');
	return text === '' ? fallback : text;
}

/** Splits a file name into stem and extension (without the dot); `.hidden` has no extension. */
export function splitName(fileName: string): {stem: string; ext: string} {
	const dot = fileName.lastIndexOf('.');
	return dot <= 0 ? {stem: fileName, ext: ''} : {stem: fileName.slice(0, dot), ext: fileName.slice(dot + 1)};
}

/** Parses and validates a pattern; throws a one-line reason for unknown tokens, absolute paths or `..`. */
export function parsePattern(source: string): Pattern {
	const trimmed = source.trim().replace(/\/+$/, '');
	if (trimmed === '') {
		throw new Error('empty pattern');
	}

	if (trimmed.startsWith('/') || trimmed.includes('\\') || /^[a-z]:/i.test(trimmed)) {
		throw new Error(`pattern must be relative to the library, with / between folders: "${source}"`);
	}

	const segments = trimmed.split('/').map(segment => {
		if (segment === '' || segment === '.' || segment === '..') {
			throw new Error(`pattern has an empty, "." or ".." folder: "${source}"`);
		}

		const parts: Array<string | PatternPart> = [];
		let rest = segment;
		while (rest !== '') {
			const open = rest.indexOf('{');
			if (open === -1) {
				parts.push(rest);
				break;
			}

			if (open > 0) {
				parts.push(rest.slice(0, open));
			}

			const close = rest.indexOf('}', open);
			if (close === -1) {
				throw new Error(`pattern has an unclosed "{": "${source}"`);
			}

			const inner = rest.slice(open + 1, close).trim();
			const colon = inner.indexOf(':');
			const name = (colon === -1 ? inner : inner.slice(0, colon)).trim().toLowerCase();
			if (!(patternTokens as readonly string[]).includes(name) || (name === 'tag') !== (colon !== -1)) {
				throw new Error(`unknown pattern token {${inner}}; known: ${patternTokens.map(token => (token === 'tag' ? '{tag:GROUP}' : `{${token}}`)).join(' ')}`);
			}

			if (name === 'tag') {
				const group = inner.slice(colon + 1).trim().toLowerCase();
				// One level: a `/` would end the folder (`{tag:people}` takes `alice` of `people/alice`).
				if (!/^[\p{L}\p{N}_ -]+$/u.test(group)) {
					throw new Error(`{tag:GROUP} needs a tag group, e.g. {tag:people}: "${inner}"`);
				}

				parts.push({token: 'tag', group});
			} else {
				parts.push({token: name as PatternToken});
			}
			rest = rest.slice(close + 1);
		}

		for (const part of parts) {
			if (typeof part === 'string' && /[\u0000-\u001F:*?"<>|]/.test(part)) {
				throw new Error(`pattern text has a character file systems refuse: "${source}"`);
			}
		}

		return parts;
	});
	const last = segments.at(-1)!;
	const namesFile = last.some(part => typeof part !== 'string' && (part.token === 'name' || part.token === 'ext'));
	return {source: trimmed, segments, namesFile};
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall-clock fields of an ISO 8601 date as written (a photo's local time, not converted to this machine's zone). */
export function wallClock(iso: string | null): {year: number; month: number; day: number; hour: number; minute: number; second: number} | undefined {
	const match = iso ? /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso) : null;
	if (!match) {
		return undefined;
	}

	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(value => Number(value ?? 0)) as [number, number, number, number, number, number];
	return {year, month, day, hour, minute, second};
}

/** `Canon EOS 7D` from make `Canon` and model `Canon EOS 7D`; `Apple iPhone 12` from `Apple` + `iPhone 12`. */
export function cameraName(make: string | null, model: string | null): string | undefined {
	const cleanMake = make?.replace(/\b(corporation|corp\.?|co\.?,?\s*ltd\.?|company|computer|imaging|camera ag)\b/gi, '').replaceAll(/[\s,.]+$/g, '').trim();
	if (!model) {
		return cleanMake || undefined;
	}

	if (!cleanMake) {
		return model;
	}

	const firstWord = cleanMake.split(/\s+/)[0]!.toLowerCase();
	return model.toLowerCase().startsWith(firstWord) ? model : `${cleanMake} ${model}`;
}

/** The photo's confirmed tag under `group` (`people` → `alice` of `people/alice`), alphabetically first, or undefined. */
function tagInGroup(tags: readonly string[] | undefined, group: string): string | undefined {
	const found = (tags ?? []).filter(tag => tag.toLowerCase().startsWith(`${group}/`)).sort()[0];
	return found?.slice(found.lastIndexOf('/') + 1);
}

function tokenValue(token: PatternToken, fields: PatternFields, undated: UndatedPolicy, group = ''): string {
	const date = undated === 'unknown' && fields.dateIsFallback ? undefined : wallClock(fields.takenAt);
	const {stem, ext} = splitName(fields.fileName);
	switch (token) {
		case 'year': {
			return date ? String(date.year) : 'unknown';
		}

		case 'month': {
			return date ? pad(date.month) : 'unknown';
		}

		case 'day': {
			return date ? pad(date.day) : 'unknown';
		}

		case 'hour': {
			return date ? pad(date.hour) : 'unknown';
		}

		case 'minute': {
			return date ? pad(date.minute) : 'unknown';
		}

		case 'second': {
			return date ? pad(date.second) : 'unknown';
		}

		case 'date': {
			return date ? `${date.year}-${pad(date.month)}-${pad(date.day)}` : 'unknown';
		}

		case 'event': {
			return fields.event ?? (date ? `${date.year}-${pad(date.month)}-${pad(date.day)}` : 'unknown');
		}

		case 'camera': {
			return cameraName(fields.make, fields.model) ?? 'unknown';
		}

		case 'make': {
			return fields.make ?? 'unknown';
		}

		case 'model': {
			return fields.model ?? 'unknown';
		}

		case 'name': {
			return stem;
		}

		case 'ext': {
			return ext;
		}

		case 'kind': {
			return fields.kind ?? 'unknown';
		}

		case 'country': {
			return fields.place ? fields.place.country ?? 'at sea' : 'unknown';
		}

		case 'region': {
			return fields.place?.region ?? 'unknown';
		}

		case 'city': {
			return fields.place?.city ?? 'unknown';
		}

		case 'place': {
			return fields.place ? fields.place.city ?? fields.place.country ?? 'at sea' : 'unknown';
		}

		case 'tag': {
			return tagInGroup(fields.tags, group) ?? 'unknown';
		}
	}
}

/**
 * Fills a pattern: the target path relative to the library, `/`-separated. `dateFields` give year, month, day,
 * event and camera; `nameFields` the name and extension (a companion keeps its own name but travels with its photo).
 */
export function renderPattern(pattern: Pattern, dateFields: PatternFields, undated: UndatedPolicy = 'mtime', nameFields: PatternFields = dateFields): string {
	const rendered = pattern.segments.map((segment, index) => {
		const isName = pattern.namesFile && index === pattern.segments.length - 1;
		const text = segment
			.map(part => {
				if (typeof part === 'string') {
					return part;
				}

				const fields = part.token === 'name' || part.token === 'ext' ? nameFields : dateFields;
				// An empty extension stays empty rather than becoming "unknown".
				return part.token === 'ext' ? cleanSegment(tokenValue('ext', fields, undated), 16, '') : cleanSegment(tokenValue(part.token, fields, undated, part.group), part.token === 'name' ? 180 : maxToken);
			})
			.join('');
		// Characters are counted above, bytes here: 200 characters of Chinese or emoji pass the 255 bytes a name may take.
		return isName ? cleanSegment(text, 200) : fitFolderName(cleanSegment(text, 200));
	});
	if (pattern.namesFile) {
		const hasExt = pattern.segments.at(-1)!.some(part => typeof part !== 'string' && part.token === 'ext');
		const {ext} = splitName(nameFields.fileName);
		if (!hasExt && ext) {
			rendered[rendered.length - 1] += `.${cleanSegment(ext, 16, '')}`;
		}

		rendered[rendered.length - 1] = fitFileName(rendered.at(-1)!);
	} else {
		// The file keeps its own name, made safe; a name as long as a file system allows is cut only in its stem.
		rendered.push(fitFileName(cleanSegment(nameFields.fileName, Number.POSITIVE_INFINITY)));
	}

	return rendered.join('/');
}
