/**
 * Suggests which copy of a duplicate cluster to keep, and says why in words a person can check.
 *
 * Rules are compared in the configured order, like a sort with several keys: the first rule that separates the
 * remaining candidates decides, later rules only break ties. Every member is still described under every rule in
 * which it differs from the keeper, so "why not this one?" always has an answer. Pure: no I/O imports here.
 */
import type {Format, MediaKind} from './types.js';

/** What the keeper choice needs to know about one member of a cluster (a projection of `FileRecord`). */
export type KeeperMember = {
	readonly path: string;
	readonly format: Format;
	readonly kind: MediaKind;
	readonly width: number | null;
	readonly height: number | null;
	readonly bytes: number;
	readonly takenAt: string | null;
	readonly takenAtSource: 'original' | 'digitized' | 'other' | 'mtime' | null;
	readonly make: string | null;
	readonly model: string | null;
	readonly hasGps: boolean;
	readonly keywords: number;
	readonly rating: number | null;
	readonly software: string | null;
	readonly error: string | null;
	/** File modification time: with everything else equal, the older file is the likelier original. */
	readonly mtimeMs?: number;
	/** SHA-256 of the bytes: byte-identical copies share every fact about where they came from. */
	readonly sha256?: string | null;
	/** Hash of the coded image data without metadata: equal means the same pixels, only metadata differs. */
	readonly contentHash?: string | null;
	/** True when the picture has no colour, false when it has; null or absent when unknown (not analysed). */
	readonly grey?: boolean | null;
	/** EXIF orientation (1-8), null when the file has none. */
	readonly orientation?: number | null;
};

/** One comparison rule; see `chooseKeeper` for what each one prefers. */
export type KeeperRule = 'intact' | 'pixels' | 'original' | 'metadata' | 'earliest' | 'oldest' | 'path' | 'format';

/** Rule priority and format preference, usually read from the library config file with `parseKeeperConfig`. */
export type KeeperConfig = {readonly order: readonly KeeperRule[]; readonly preferFormats: readonly Format[]};

/** The result of `chooseKeeper`: the keeper's index, and for every member (same order as the input) its reasons. */
export type KeeperChoice = {keeper: number; reasons: string[][]};

// Every rule, in the order used to fill in rules a config leaves out. 'format' sits before 'path' so that a config
// giving only `preferFormats` still lets the preference break ties before the path tie-break always would.
const allRules: readonly KeeperRule[] = ['intact', 'pixels', 'original', 'metadata', 'earliest', 'format', 'oldest', 'path'];

/** Biggest, most original, best-described, earliest copy with the cleanest path; no format preference. */
export const defaultKeeperConfig: KeeperConfig = Object.freeze({
	order: Object.freeze(['intact', 'pixels', 'original', 'metadata', 'earliest', 'oldest', 'path'] as KeeperRule[]),
	preferFormats: Object.freeze([] as Format[]),
});

// A Record rather than a list so the compiler flags this table when a Format is added. Only media formats may be
// preferred: a sidecar or an unreadable file is never the copy worth keeping.
const preferableFormats: Record<Format, boolean> = {
	jpeg: true, png: true, gif: true, webp: true, tiff: true, bmp: true, avif: true, heic: true,
	dng: true, cr2: true, cr3: true, nef: true, arw: true, orf: true, rw2: true, raf: true, raw: true,
	mov: true, mp4: true,
	xmp: false, html: false, text: false, empty: false, unknown: false,
};

// Spellings people type for the same container; the rest must match a Format exactly (case-insensitive).
const formatAliases: Record<string, Format> = {jpg: 'jpeg', tif: 'tiff', heif: 'heic'};

const rawFormats: ReadonlySet<Format> = new Set<Format>(['dng', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf', 'raw']);
const losslessFormats: ReadonlySet<Format> = new Set<Format>(['png', 'tiff']);

/**
 * `Software` values that mean the file was re-saved by an editor or a messenger rather than written by the camera.
 * Kept deliberately short: cameras and phones also fill `Software` (firmware versions, "HDR+ 1.0", "iOS 17.1"),
 * so only names that are unambiguously not a camera belong here. Matched case-insensitively as substrings.
 */
const editingSoftware: readonly string[] = [
	'photoshop', 'lightroom', 'gimp', 'snapseed', 'pixelmator', 'affinity', 'picasa', 'imagemagick', 'whatsapp', 'instagram',
];

/**
 * Reads the keeper section of the library config. `undefined`/`null` gives the defaults. Rules missing from `order`
 * keep their default relative order after the listed ones, so `["format"]` just moves the format rule to the front;
 * 'intact' always comes first (a damaged copy never wins). Throws an Error naming the allowed values on anything
 * unknown, because a typo silently ignored would change which files get deleted.
 */
export function parseKeeperConfig(value: unknown): KeeperConfig {
	if (value === undefined || value === null) {
		return defaultKeeperConfig;
	}

	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new Error('keeper config must be an object like {"order": ["intact", "pixels"], "preferFormats": ["heic"]}');
	}

	const record = value as Record<string, unknown>;
	for (const key of Object.keys(record)) {
		if (key !== 'order' && key !== 'preferFormats') {
			throw new Error(`unknown keeper config key "${key}"; allowed keys: order, preferFormats`);
		}
	}

	const allowedRules = allRules.join(', ');
	let order: readonly KeeperRule[] = defaultKeeperConfig.order;
	if (record.order !== undefined) {
		if (!Array.isArray(record.order)) {
			throw new TypeError(`keeper order must be a list of rule names; allowed rules: ${allowedRules}`);
		}

		const listed: KeeperRule[] = [];
		for (const entry of record.order as unknown[]) {
			const rule = typeof entry === 'string' ? entry.trim().toLowerCase() : entry;
			if (typeof rule !== 'string' || !(allRules as readonly string[]).includes(rule)) {
				throw new Error(`unknown keeper rule ${JSON.stringify(entry)}; allowed rules: ${allowedRules}`);
			}

			if (listed.includes(rule as KeeperRule)) {
				throw new Error(`keeper rule "${rule}" is listed twice; each rule may appear once`);
			}

			listed.push(rule as KeeperRule);
		}

		order = listed;
	}

	let preferFormats: readonly Format[] = defaultKeeperConfig.preferFormats;
	if (record.preferFormats !== undefined) {
		const allowedFormats = (Object.keys(preferableFormats) as Format[]).filter(format => preferableFormats[format]).join(', ');
		if (!Array.isArray(record.preferFormats)) {
			throw new TypeError(`keeper preferFormats must be a list of formats; allowed formats: ${allowedFormats}`);
		}

		const formats: Format[] = [];
		for (const entry of record.preferFormats as unknown[]) {
			const name = typeof entry === 'string' ? entry.trim().toLowerCase().replace(/^\./, '') : '';
			const format = formatAliases[name] ?? name;
			if (!Object.hasOwn(preferableFormats, format) || !preferableFormats[format as Format]) {
				throw new Error(`unknown format ${JSON.stringify(entry)} in keeper preferFormats; allowed formats: ${allowedFormats}`);
			}

			// A repeat changes nothing (the first position counts), so it is dropped rather than refused.
			if (!formats.includes(format as Format)) {
				formats.push(format as Format);
			}
		}

		preferFormats = formats;
	}

	return {order: normaliseOrder(order), preferFormats};
}

/** 'intact' first, then the listed rules, then the missing ones in default order, each once. */
function normaliseOrder(order: readonly KeeperRule[]): KeeperRule[] {
	const result: KeeperRule[] = ['intact'];
	for (const rule of [...order, ...allRules]) {
		if (!result.includes(rule)) {
			result.push(rule);
		}
	}

	return result;
}

/** Everything the rules compare, worked out once per member. */
type Facts = {
	readonly index: number;
	readonly member: KeeperMember;
	readonly pixels: number | null;
	readonly size: string;
	/** Band of the original rule (see `bands`), and within the camera band how much the file name says "camera". */
	readonly tier: number;
	readonly nameScore: number;
	readonly origin: string;
	/** What the origin is without its detail ("camera original", "converted copy"), and the detail in brackets. */
	readonly originLabel: string;
	readonly originDetail: string;
	/** Why this file's name marks it as a copy of another member, when the original rule ranks it on its name. */
	readonly nameNote: string;
	readonly metadataItems: readonly string[];
	readonly date: DateFacts;
	readonly pathHints: readonly string[];
	readonly formatRank: number;
};

type DateFacts = {
	/** 0: a date from metadata; 1: only the file's mtime; 2: none. */
	readonly rank: number;
	/** `YYYY-MM-DDTHH:MM:SS` as written, ignoring any offset. */
	readonly wall: string;
	/** Epoch seconds, only when the date carries an offset (otherwise the instant is unknown). */
	readonly instant: number | null;
};

type Rule = {
	/** Negative when `a` is better. May treat near values as equal (pixels within 3%). */
	readonly compare: (a: Facts, b: Facts) => number;
	/**
	 * The part of `compare` worth mentioning when this rule did not decide; defaults to `compare`. The path rule's
	 * length and alphabetical tie-breaks are arbitrary, so they are only reported when they actually decided.
	 */
	readonly notable?: (a: Facts, b: Facts) => number;
	/** Exact order to find the best candidate where `compare` has a tolerance; defaults to `compare`. */
	readonly strict?: (a: Facts, b: Facts) => number;
	/** Why the keeper is better than `beaten` (all members it beats under this rule); `deciding` when the rule decided. */
	readonly win: (keeper: Facts, beaten: readonly Facts[], deciding: boolean) => string;
	/** Why `member` is worse than `reference`, which is named `name` ("the keeper" or a path). */
	readonly worse: (member: Facts, reference: Facts, name: string) => string;
	/** What `member` has over `reference` under this rule, even though it lost on an earlier one. */
	readonly better: (member: Facts, reference: Facts, name: string) => string;
};

/**
 * Picks the copy to keep. Rules, compared in `config.order` ('intact' always first):
 * - intact: a file with a read `error` loses to any file without one.
 * - pixels: more pixels wins; sizes within 3% count as equal: a re-encode at the same size can crop a few rows, and a
 *   frame is measured on the 320 px thumbnail, so the picture inside it is known to a few pixels.
 * - original: RAW > lossless (TIFF from a camera or scanner) > camera original > re-encoded or converted copy >
 *   greyscale copy of a colour picture. A camera original has a make or model, an 'original' capture date, no editor
 *   in `Software`, a format cameras write, colour when another member has it and no mirrored orientation; between
 *   camera originals a camera's file name (IMG_0005) beats a renamed one, and both beat a name made from another
 *   member's (DSC_1877_bright), since editors carry the EXIF along. A RAW and its JPEG are normally one unit; compared,
 *   the RAW wins here.
 * - metadata: one point each for a metadata capture date (not mtime), GPS, camera make/model, keywords, a rating.
 * - earliest: earliest capture wins; metadata dates before mtime-only dates before none. Dates are compared as instants
 *   when both carry an offset, else as wall-clock text.
 * - format: earlier in `preferFormats` wins; formats not listed come after those listed.
 * - path: fewer copy hints (Downloads/, WhatsApp, " (1)", "Copy of", ...) wins, then the shorter path, then the
 *   alphabetically first, so the choice never depends on input order.
 * `reasons[i]` lists why member i won or lost (the deciding rule first), then how it differs from the keeper under
 * the other rules. Throws a RangeError for an empty cluster.
 */
export function chooseKeeper(members: readonly KeeperMember[], config: KeeperConfig = defaultKeeperConfig): KeeperChoice {
	if (members.length === 0) {
		throw new RangeError('chooseKeeper needs at least one member');
	}

	const stems = members.map(member => splitPath(member.path).stem.toLowerCase());
	const context = clusterContext(members, stems);
	const facts = members.map((member, index) => factsOf(member, index, stems, config.preferFormats, context));
	if (members.length === 1) {
		return {keeper: 0, reasons: [['only copy']]};
	}

	const order = normaliseOrder(config.order);
	const rules = order.map(name => ruleImpls[name]);
	// Walk candidates in path order so ties in a tolerant rule resolve the same way whatever order members came in.
	let candidates = [...facts].sort(byPath);
	const decidedBy = new Map<number, {rule: number; reference: Facts}>();
	for (const [position, rule] of rules.entries()) {
		const strict = rule.strict ?? rule.compare;
		let best = candidates[0];
		for (const candidate of candidates) {
			if (strict(candidate, best) < 0) {
				best = candidate;
			}
		}

		const survivors: Facts[] = [];
		for (const candidate of candidates) {
			if (rule.compare(candidate, best) <= 0) {
				survivors.push(candidate);
			} else {
				decidedBy.set(candidate.index, {rule: position, reference: best});
			}
		}

		candidates = survivors;
	}

	const keeper = candidates[0];
	const reasons = facts.map(member => {
		if (member === keeper) {
			const deciding = new Set([...decidedBy.values()].map(decided => decided.rule));
			return keeperReasons(keeper, facts, rules, deciding);
		}

		const list: string[] = [];
		const decided = decidedBy.get(member.index);
		if (decided) {
			const rule = rules[decided.rule];
			// The keeper survived the deciding round, so it is normally the natural comparison; only when a tolerance
			// makes the member equal to the keeper is the copy that actually beat it named instead.
			list.push(rule.compare(member, keeper) > 0
				? rule.worse(member, keeper, 'the keeper')
				: rule.worse(member, decided.reference, decided.reference.member.path));
		} else {
			list.push('identical to the keeper under every rule (same path); the first listed is kept');
		}

		for (const [position, rule] of rules.entries()) {
			if (position === decided?.rule) {
				continue;
			}

			const comparison = (rule.notable ?? rule.compare)(member, keeper);
			if (comparison > 0) {
				list.push(rule.worse(member, keeper, 'the keeper'));
			} else if (comparison < 0) {
				list.push(rule.better(member, keeper, 'the keeper'));
			}
		}

		return list;
	});
	return {keeper: keeper.index, reasons};
}

/** Why the keeper won: every rule under which it beats another member, if that rule decided or is worth noting. */
function keeperReasons(keeper: Facts, facts: readonly Facts[], rules: readonly Rule[], deciding: ReadonlySet<number>): string[] {
	const list: string[] = [];
	for (const [position, rule] of rules.entries()) {
		const compare = deciding.has(position) ? rule.compare : (rule.notable ?? rule.compare);
		const beaten = facts.filter(other => other !== keeper && compare(keeper, other) < 0);
		if (beaten.length > 0) {
			list.push(rule.win(keeper, beaten, deciding.has(position)));
		}
	}

	// Only reachable when members share a path: nothing separates them, so say so rather than invent a merit.
	return list.length > 0 ? list : ['identical to the other copies under every rule; the first listed is kept'];
}

function byPath(a: Facts, b: Facts): number {
	return a.member.path.length - b.member.path.length || compareText(a.member.path, b.member.path) || a.index - b.index;
}

// Code-unit order rather than localeCompare: the tie-break must not change with the machine's locale.
function compareText(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}

function factsOf(member: KeeperMember, index: number, stems: readonly string[], preferFormats: readonly Format[], context: ClusterContext): Facts {
	const {width, height} = member;
	const known = width !== null && height !== null && width > 0 && height > 0;
	const rank = preferFormats.indexOf(member.format);
	const origin = originOf(member, context);
	// A file name only speaks for a camera original: among copies it proves nothing.
	const name = origin.tier === bands.camera ? context.names[index]! : {score: 0, note: ''};
	return {
		index,
		member,
		pixels: known ? width * height : null,
		size: known ? `${width}x${height}` : 'unknown size',
		...origin,
		origin: origin.originDetail === '' ? origin.originLabel : `${origin.originLabel} (${origin.originDetail})`,
		nameScore: name.score,
		nameNote: name.note,
		metadataItems: metadataItemsOf(member),
		date: dateOf(member),
		pathHints: pathHints(member.path, stems),
		formatRank: rank === -1 ? preferFormats.length : rank,
	};
}

function cameraOf(member: KeeperMember): string | null {
	const make = member.make?.trim() ?? '';
	const model = member.model?.trim() ?? '';
	// Many cameras repeat the make in the model ("Canon" + "Canon EOS R5"); say it once.
	const name = model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`.trim();
	return name === '' ? null : name;
}

function editorOf(member: KeeperMember): string | null {
	const software = member.software?.trim() ?? '';
	const lower = software.toLowerCase();
	return editingSoftware.some(name => lower.includes(name)) ? software : null;
}

/**
 * Bands of the original rule, best first. Cameras write JPEG, HEIC, AVIF, TIFF and RAW, in colour, with EXIF naming
 * the camera and an original capture date; anything else is a copy some program made. A greyscale copy of a colour
 * picture lost the colour, so it ranks below every other copy.
 */
const bands = {raw: 5, lossless: 4, camera: 3, copy: 1, grey: 0} as const;

/** Formats no camera writes: a file in one of these was converted from what the camera wrote. */
const convertedFormats: Partial<Record<Format, string>> = {webp: 'WebP', gif: 'GIF', bmp: 'BMP'};

/** EXIF orientations that mirror the picture: cameras only ever rotate (1, 3, 6, 8), editors and converters mirror. */
const mirroredOrientations: ReadonlySet<number> = new Set([2, 4, 5, 7]);

/** What the original rule needs to know about the whole cluster. */
type ClusterContext = {
	/** Whether any member is known to be in colour: then a greyscale member is a conversion of it. */
	readonly colour: boolean;
	/** Per member: how much its file name says "straight from the camera" (shared by byte-identical copies). */
	readonly names: ReadonlyArray<{readonly score: number; readonly note: string}>;
};

function clusterContext(members: readonly KeeperMember[], stems: readonly string[]): ClusterContext {
	const known = new Set(stems);
	const bases = stems.map(stem => undecorated(stem, known));
	const own = members.map((member, index) => nameEvidence(splitPath(member.path).stem, bases[index]!, bases, members));
	// Byte-identical copies are the same file whatever they are called: each gets the best name among them, so a
	// "(1)" or "_copy" name never makes one look re-encoded (the path rule tells them apart).
	const best = new Map<string, {score: number; note: string}>();
	for (const [index, member] of members.entries()) {
		const key = member.sha256 ?? `#${index}`;
		const current = best.get(key);
		if (!current || own[index]!.score > current.score) {
			best.set(key, own[index]!);
		}
	}

	return {
		colour: members.some(member => member.grey === false),
		names: members.map((member, index) => best.get(member.sha256 ?? `#${index}`)!),
	};
}

// Names cameras and phones give their files: DCF "IMG_0005", "DSC_0412", "DSCF1234", "P1010001", "_MG_1234", and
// the phones' "20220319_142210", "IMG_20220319_142210", "PXL_20230101_123456789". Edited copies get other names.
const cameraNames: readonly RegExp[] = [/^[a-z\d_]{4}\d{4}$/i, /^(?:img|vid|pxl|mvimg|pano)?_?\d{8}_\d{6,9}(?:_[a-z]{1,8})?$/i];

/** A stem with the decorations copying adds ("copy of ", " (1)", " copy", "-1" after another member's name) removed. */
function undecorated(stem: string, stems: ReadonlySet<string>): string {
	let base = stem;
	for (;;) {
		const next = base
			.replace(/^copy of /i, '')
			.replace(/\s?\(\d{1,3}\)$/, '')
			.replace(/[ _-]copy(?:[ _-]?\d{1,3})?$/i, '');
		const suffixed = /^(.+?)[-_]\d{1,2}$/.exec(next);
		const result = suffixed && stems.has(suffixed[1]!) ? suffixed[1]! : next;
		if (result === base) {
			return base;
		}

		base = result;
	}
}

/**
 * How much a file name says "this is the camera's own file": 2 for a camera's naming scheme, 0 for another member's
 * name with something added ("DSC_1877_bright" beside "DSC_1877": an editor's copy), 1 otherwise (renamed by hand).
 */
function nameEvidence(stem: string, base: string, bases: readonly string[], members: readonly KeeperMember[]): {score: number; note: string} {
	const parent = bases.findIndex(other => other !== base && other.length > 0 && base.startsWith(other) && /^[ ._-]./.test(base.slice(other.length)));
	if (parent !== -1) {
		return {score: 0, note: `named after ${splitPath(members[parent]!.path).stem}`};
	}

	return cameraNames.some(pattern => pattern.test(base)) ? {score: 2, note: ''} : {score: 1, note: `${stem} is not a camera file name`};
}

type Origin = {tier: number; originLabel: string; originDetail: string};

function originOf(member: KeeperMember, context: ClusterContext): Origin {
	const format = member.format.toUpperCase();
	const origin = (tier: number, originLabel: string, originDetail: string): Origin => ({tier, originLabel, originDetail});
	if (member.kind === 'raw' || rawFormats.has(member.format)) {
		return origin(bands.raw, 'camera original', member.format === 'raw' ? 'RAW' : `RAW, ${format}`);
	}

	const camera = cameraOf(member);
	if (member.grey === true && context.colour) {
		return origin(bands.grey, 'converted copy', `greyscale, while another copy is in colour${camera === null ? '' : `; ${camera} EXIF carried along`}`);
	}

	// Lossless only counts when the file came from a camera or scanner: a PNG saved from a JPEG is not better than it,
	// and no camera writes PNG, so a PNG with camera EXIF is a conversion that carried the EXIF along.
	if (losslessFormats.has(member.format)) {
		if (camera === null) {
			return origin(bands.copy, 're-encoded copy', `${format} without camera metadata`);
		}

		return member.format === 'png' ? origin(bands.copy, 'converted copy', `PNG with ${camera} EXIF; cameras do not write PNG`) : origin(bands.lossless, 'lossless', `${format} from ${camera}`);
	}

	const converted = convertedFormats[member.format];
	if (converted !== undefined) {
		return origin(bands.copy, 'converted copy', `${converted} ${camera === null ? 'without camera metadata' : `with ${camera} EXIF`}; cameras do not write ${converted}`);
	}

	const editor = editorOf(member);
	if (editor !== null) {
		return origin(bands.copy, 're-encoded copy', `saved by ${editor}`);
	}

	if (camera === null) {
		return origin(bands.copy, 're-encoded copy', 'no camera metadata');
	}

	if (member.takenAtSource !== 'original') {
		return origin(bands.copy, 're-encoded copy', `${camera} EXIF but no original capture date`);
	}

	if (member.orientation !== null && member.orientation !== undefined && mirroredOrientations.has(member.orientation)) {
		return origin(bands.copy, 're-encoded copy', `mirrored by EXIF orientation ${member.orientation}, which cameras do not write`);
	}

	return origin(bands.camera, 'camera original', `${format} with ${camera} EXIF`);
}

/** The original rule's order: band, then (between camera files) what the names say. */
function compareOrigin(a: Facts, b: Facts): number {
	return b.tier - a.tier || (a.tier === bands.camera && b.tier === bands.camera ? b.nameScore - a.nameScore : 0);
}

/** Same pixels as `reference` but other bytes: only the metadata differs, which is worth saying in those words. */
function samePixels(member: Facts, reference: Facts): boolean {
	const hash = member.member.contentHash;
	return Boolean(hash) && hash === reference.member.contentHash && member.member.sha256 !== reference.member.sha256;
}

/** How `member` stands under the original rule, as a loser to `reference`. */
function originAgainst(member: Facts, reference: Facts): string {
	if (samePixels(member, reference)) {
		return `same pixels, different metadata (${member.originDetail})`;
	}

	// A camera file beaten on its name alone: a copy that carried the camera's EXIF along.
	if (member.tier === bands.camera && reference.tier === bands.camera && member.nameScore < reference.nameScore) {
		return `re-encoded copy (${member.originDetail}, but ${member.nameNote})`;
	}

	return member.origin;
}

/** "a re-encoded copy", "3 converted copies", "2 re-encoded or converted copies": what a camera original beat. */
function copiesPhrase(keeper: Facts, beaten: readonly Facts[]): string {
	const counts = new Map<string, number>();
	for (const other of beaten) {
		const kind = samePixels(other, keeper) ? 'same-pixels' : other.tier === bands.grey || other.originLabel === 'converted copy' ? 'converted' : 're-encoded';
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
	}

	const parts = ['re-encoded', 'converted', 'same-pixels'].filter(kind => counts.has(kind)).map(kind => {
		const count = counts.get(kind)!;
		if (kind === 'same-pixels') {
			return count === 1 ? 'a copy with the same pixels and different metadata' : `${count} copies with the same pixels and different metadata`;
		}

		return count === 1 ? `a ${kind} copy` : `${count} ${kind} copies`;
	});
	return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : parts[0]!;
}

function hasMetadataDate(member: KeeperMember): boolean {
	return member.takenAt !== null && member.takenAtSource !== 'mtime';
}

function metadataItemsOf(member: KeeperMember): string[] {
	const items: string[] = [];
	if (hasMetadataDate(member)) {
		items.push('capture date');
	}

	if (member.hasGps) {
		items.push('GPS');
	}

	if (cameraOf(member) !== null) {
		items.push('camera make/model');
	}

	if (member.keywords > 0) {
		items.push(member.keywords === 1 ? '1 keyword' : `${member.keywords} keywords`);
	}

	// 0 is "unrated" in XMP, so only a real rating counts as someone having looked at the file.
	if (member.rating !== null && member.rating !== 0) {
		items.push('rating');
	}

	return items;
}

// Keywords carry their count in the text ("3 keywords"), so items are matched by what they are, not by their wording.
function itemKey(item: string): string {
	return /keywords?$/.test(item) ? 'keywords' : item;
}

function missingPhrase(item: string): string {
	const key = itemKey(item);
	return key === 'capture date' ? 'no capture date in metadata' : `no ${key}`;
}

function itemsMissingFrom(items: readonly string[], from: readonly string[]): string[] {
	const keys = new Set(from.map(item => itemKey(item)));
	return items.filter(item => !keys.has(itemKey(item)));
}

const datePattern = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function dateOf(member: KeeperMember): DateFacts {
	if (member.takenAt === null) {
		return {rank: 2, wall: '', instant: null};
	}

	const rank = member.takenAtSource === 'mtime' ? 1 : 0;
	const text = member.takenAt.trim();
	const match = datePattern.exec(text) ?? /^(\d{4}-\d{2}-\d{2})$/.exec(text);
	if (!match) {
		// Unparsed text still sorts sensibly when it starts with a year, and is at worst compared consistently.
		return {rank, wall: text, instant: null};
	}

	// Seconds precision: a re-encode often drops sub-seconds, which must not make the copy look earlier or later.
	const wall = `${match[1]}T${match[2] ?? '00:00'}${match[3] ?? ':00'}`;
	const offset = match[4];
	if (offset === undefined) {
		return {rank, wall, instant: null};
	}

	const iso = offset.toUpperCase() === 'Z' ? `${wall}Z` : `${wall}${offset.slice(0, 3)}:${offset.slice(-2)}`;
	const milliseconds = Date.parse(iso);
	return {rank, wall, instant: Number.isNaN(milliseconds) ? null : Math.floor(milliseconds / 1000)};
}

function compareDates(a: DateFacts, b: DateFacts): number {
	if (a.rank !== b.rank) {
		return a.rank - b.rank;
	}

	if (a.instant !== null && b.instant !== null) {
		return a.instant - b.instant;
	}

	return compareText(a.wall, b.wall);
}

/** The date as a person would say it: the day, or the full time when the day alone does not separate them. */
function showDate(date: DateFacts, other: DateFacts): string {
	const day = date.wall.slice(0, 10);
	return day === other.wall.slice(0, 10) ? date.wall.replace('T', ' ') : day;
}

// Words that mark a folder or file name as a copy. Letter boundaries (not \b) so "WhatsApp_Images" and "tmp2" match
// but "template" and "copyright" do not.
const copyWords: ReadonlyArray<[RegExp, string]> = [
	[/(?<![a-z])downloads?(?![a-z])/i, 'Downloads'],
	[/(?<![a-z])whatsapp(?![a-z])/i, 'WhatsApp'],
	[/(?<![a-z])telegram(?![a-z])/i, 'Telegram'],
	[/(?<![a-z])screen ?shots?(?![a-z])/i, 'Screenshots'],
	[/(?<![a-z])backups?(?![a-z])/i, 'backup'],
	[/(?<![a-z])cop(?:y|ies)(?![a-z])/i, 'copy'],
	[/(?<![a-z])(?:tmp|temp)(?![a-z])/i, 'tmp'],
	[/(?<![a-z])(?:trash|recycle)(?![a-z])/i, 'trash'],
];

function splitPath(path: string): {folders: string[]; stem: string} {
	const segments = path.split(/[\\/]/).filter(segment => segment !== '' && segment !== '.');
	const name = segments.pop() ?? '';
	const dot = name.lastIndexOf('.');
	return {folders: segments, stem: dot > 0 ? name.slice(0, dot) : name};
}

/**
 * Signs in a path that a file is a copy of another. `stems` are the cluster's lower-cased file stems: a `-1`/`_1`
 * suffix is only trusted when the name without it is another member's name, or follows a camera counter
 * (`IMG_0003-1`), because on its own it is just as often part of a name (`2021-05-13`, `IMG_0001`).
 */
function pathHints(path: string, stems: readonly string[]): string[] {
	const {folders, stem} = splitPath(path);
	const hints: string[] = [];
	for (const folder of folders) {
		if (copyWords.some(([pattern]) => pattern.test(folder))) {
			hints.push(`${folder}/`);
		}
	}

	for (const [pattern] of copyWords) {
		const match = pattern.exec(stem);
		if (match) {
			hints.push(`name has "${match[0]}"`);
		}
	}

	const numbered = /\s?\(\d{1,3}\)$/.exec(stem);
	if (numbered) {
		hints.push(`name ends in "${numbered[0]}"`);
	}

	const suffixed = /^(.+?)([-_][1-9]\d?)$/.exec(stem);
	if (suffixed && (stems.includes(suffixed[1].toLowerCase()) || (suffixed[2].length === 2 && /[a-z]{2,}[-_]?\d{3,}$/i.test(suffixed[1])))) {
		hints.push(`name ends in "${suffixed[2]}"`);
	}

	// WhatsApp renames what it saves to IMG-YYYYMMDD-WA0001 even outside a WhatsApp folder.
	const whatsapp = /-WA\d{4}$/i.exec(stem);
	if (whatsapp && !hints.some(hint => hint.includes('WhatsApp'))) {
		hints.push(`WhatsApp name (${whatsapp[0]})`);
	}

	return hints;
}

function listHints(hints: readonly string[]): string {
	return hints.join(', ');
}

function fileDay(ms: number | undefined): string {
	return ms === undefined || !Number.isFinite(ms) ? 'unknown' : new Date(ms).toISOString().slice(0, 10);
}

/** A file time to compare, unknown ones (none, or not a number) last: NaN compares unequal to everything, itself included. */
function knownTime(ms: number | undefined): number {
	return ms !== undefined && Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}

const ruleImpls: Record<KeeperRule, Rule> = {
	intact: {
		compare: (a, b) => Number(a.member.error !== null) - Number(b.member.error !== null),
		win: (_keeper, beaten) => `intact, unlike ${beaten.length === 1 ? '1 damaged copy' : `${beaten.length} damaged copies`}`,
		worse: member => `damaged: ${member.member.error ?? ''}`,
		better: (_member, _reference, name) => `intact, while ${name} is damaged`,
	},
	pixels: {
		compare(a, b) {
			if (a.pixels === null || b.pixels === null) {
				return Number(a.pixels === null) - Number(b.pixels === null);
			}

			return Math.abs(a.pixels - b.pixels) <= 0.03 * Math.max(a.pixels, b.pixels) ? 0 : b.pixels - a.pixels;
		},
		strict: (a, b) => (b.pixels ?? -1) - (a.pixels ?? -1),
		win: keeper => `most pixels (${keeper.size})`,
		worse: (member, reference, name) => `fewer pixels than ${name} (${member.size} vs ${reference.size})`,
		better: (member, reference, name) => `more pixels than ${name} (${member.size} vs ${reference.size})`,
	},
	original: {
		compare: compareOrigin,
		win(keeper, beaten, deciding) {
			// When the rule decided and what it beat are copies, say so: "camera original over a re-encoded copy".
			if (deciding && keeper.tier === bands.camera) {
				return `camera original over ${copiesPhrase(keeper, beaten)} (${keeper.originDetail})`;
			}

			return keeper.origin;
		},
		worse: (member, reference, name) => `${originAgainst(member, reference)}; ${name} is ${reference.origin}`,
		better: (member, reference, name) => `${member.origin}, while ${name} is ${samePixels(reference, member) ? `the same pixels with different metadata (${reference.originDetail})` : reference.origin}`,
	},
	metadata: {
		compare: (a, b) => b.metadataItems.length - a.metadataItems.length,
		win: keeper => `richest metadata (${keeper.metadataItems.join(', ')})`,
		worse(member, reference, name) {
			const missing = itemsMissingFrom(reference.metadataItems, member.metadataItems);
			return `less metadata than ${name} (${missing.map(item => missingPhrase(item)).join(', ') || `${member.metadataItems.length} vs ${reference.metadataItems.length} fields`})`;
		},
		better(member, reference, name) {
			const extra = itemsMissingFrom(member.metadataItems, reference.metadataItems);
			return `more metadata than ${name} (${extra.map(item => `has ${item}`).join(', ') || `${member.metadataItems.length} vs ${reference.metadataItems.length} fields`})`;
		},
	},
	earliest: {
		compare: (a, b) => compareDates(a.date, b.date),
		win(keeper, beaten) {
			if (keeper.date.rank === 0) {
				return `earliest capture (${showDate(keeper.date, beaten[0].date)})`;
			}

			return keeper.date.rank === 1 ? `earliest file date (${showDate(keeper.date, beaten[0].date)}, from mtime)` : 'no capture date';
		},
		worse(member, reference, name) {
			if (member.date.rank === 2) {
				return 'no capture date';
			}

			if (member.date.rank > reference.date.rank) {
				return 'capture date only from the file time (mtime)';
			}

			return `later ${member.date.rank === 1 ? 'file date' : 'capture'} than ${name} (${showDate(member.date, reference.date)} vs ${showDate(reference.date, member.date)})`;
		},
		better(member, reference, name) {
			if (member.date.rank < reference.date.rank) {
				return member.date.rank === 0 ? `has a capture date in metadata (${showDate(member.date, reference.date)}), unlike ${name}` : `has a file date, unlike ${name}`;
			}

			return `earlier ${member.date.rank === 1 ? 'file date' : 'capture'} than ${name} (${showDate(member.date, reference.date)} vs ${showDate(reference.date, member.date)})`;
		},
	},
	oldest: {
		// Edited and converted copies are written after the file they came from; copies that kept the mtime tie.
		compare(a, b) {
			const ta = knownTime(a.member.mtimeMs);
			const tb = knownTime(b.member.mtimeMs);
			return Math.abs(ta - tb) < 2000 || (ta === tb) ? 0 : ta < tb ? -1 : 1;
		},
		win: keeper => `oldest file (${fileDay(keeper.member.mtimeMs)}): copies are usually newer`,
		worse: (member, reference, name) => `newer file than ${name} (${fileDay(member.member.mtimeMs)} vs ${fileDay(reference.member.mtimeMs)})`,
		better: (member, reference, name) => `older file than ${name} (${fileDay(member.member.mtimeMs)} vs ${fileDay(reference.member.mtimeMs)})`,
	},
	format: {
		compare: (a, b) => a.formatRank - b.formatRank,
		win: keeper => `preferred format (${keeper.member.format.toUpperCase()})`,
		worse: (member, reference, name) => `less preferred format than ${name} (${member.member.format.toUpperCase()} vs ${reference.member.format.toUpperCase()})`,
		better: (member, reference, name) => `more preferred format than ${name} (${member.member.format.toUpperCase()} vs ${reference.member.format.toUpperCase()})`,
	},
	path: {
		compare: (a, b) => a.pathHints.length - b.pathHints.length || byPath(a, b),
		notable: (a, b) => a.pathHints.length - b.pathHints.length,
		win(keeper, beaten) {
			if (beaten.some(other => other.pathHints.length > keeper.pathHints.length)) {
				return keeper.pathHints.length === 0 ? 'path has no copy hints' : `fewer copy hints in path (${listHints(keeper.pathHints)})`;
			}

			return beaten.some(other => other.member.path.length > keeper.member.path.length)
				? 'shorter path (tie-break)'
				: 'first path alphabetically (tie-break)';
		},
		worse(member, reference, name) {
			if (member.pathHints.length > reference.pathHints.length) {
				return `path looks like a copy (${listHints(member.pathHints)})`;
			}

			return member.member.path.length > reference.member.path.length
				? `longer path than ${name} (tie-break)`
				: `path sorts after ${name} (tie-break)`;
		},
		better(member, reference, name) {
			if (member.pathHints.length < reference.pathHints.length) {
				return `cleaner path than ${name} (which has ${listHints(reference.pathHints)})`;
			}

			return member.member.path.length < reference.member.path.length ? `shorter path than ${name}` : `path sorts before ${name}`;
		},
	},
};
