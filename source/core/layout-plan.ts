/**
 * Plans where files go under a pattern (issue #8), for import (copies into the library) and organize (moves inside
 * it). Pure: the caller says which targets are taken on disk. Companions share their leader's folder and a collision
 * suffix (`IMG_1 (1).JPG` with `IMG_1 (1).MOV`), bursts share their first frame's folder, events come from gaps.
 */
import {type CompanionItem, type CompanionRole, groupCompanions} from './companions.js';
import {groupEvents, type PhotoEvent} from './events.js';
import {fitName, utf8Bytes} from './file-name.js';
import {type Pattern, type PatternFields, renderPattern, splitName, type UndatedPolicy} from './pattern.js';
import {type Place, placeLabel} from './place.js';
import {type FolderRule, matchRule} from './rules.js';
import type {TaxonomyTag} from './taxonomy.js';
import type {TakenAtSource} from './types.js';

/** One file to place. */
export type LayoutFile = CompanionItem & {
	readonly takenAt: string | null;
	readonly takenAtSource: TakenAtSource | null;
	readonly mtimeMs: number;
	readonly make: string | null;
	readonly model: string | null;
	/** Keywords or tags that may name an event. */
	readonly labels?: readonly string[];
	/** Organize: the file's current library-relative path, which it may keep. */
	readonly current?: string;
	/** Where it was taken (issue 17), when it has GPS. */
	readonly place?: Place | undefined;
	/** The capture time's UTC offset derived from GPS, when the file records none. */
	readonly offset?: string | undefined;
	/** Confirmed tag names, for rules and `{tag:GROUP}`. */
	readonly tags?: readonly string[];
	/** People named on its faces, for `person:` rules (issue 19). */
	readonly people?: readonly string[];
};

/** Where the date of a placed file came from. */
export type DateSource = 'metadata' | 'mtime' | 'none';

/** One planned placement. */
export type PlannedFile = {
	readonly key: string;
	/** Library-relative target, `/`-separated. */
	readonly target: string;
	readonly role: CompanionRole;
	/** Key of the unit's leader (the file whose date and camera chose the folder). */
	readonly leader: string;
	readonly dateSource: DateSource;
	readonly event?: string;
	/** Organize: already where the pattern puts it. */
	readonly unchanged: boolean;
	/** The rule of `.curate/rules.txt` that chose the folder (issue 17), when one did. */
	readonly rule?: {readonly line: number; readonly text: string};
};

/** Planner options. */
export type LayoutOptions = {
	readonly pattern: Pattern;
	readonly undated?: UndatedPolicy;
	readonly gapMs?: number;
	/** True when a file already exists at this library-relative path. */
	readonly isTaken: (target: string) => boolean;
	/** Rules from tags to folders, first match wins (issue 17); unmatched files follow `pattern`. */
	readonly rules?: readonly FolderRule[];
	/** The taxonomy, for tag aliases in rules. */
	readonly taxonomy?: readonly TaxonomyTag[];
};

/** A plan: placements in order, and sidecars that had no photo to travel with. */
export type LayoutPlan = {
	readonly files: PlannedFile[];
	readonly orphans: string[];
	readonly events: PhotoEvent[];
};

function dateOf(file: LayoutFile): {takenAt: string | null; fallback: boolean} {
	if (file.takenAt && file.takenAtSource && file.takenAtSource !== 'mtime') {
		return {takenAt: file.takenAt, fallback: false};
	}

	return {takenAt: file.takenAt ?? new Date(file.mtimeMs).toISOString(), fallback: true};
}

/**
 * `target` with the collision suffix ` (N)` before its extension. A name may already take the 255 bytes a file system
 * allows, so the stem is cut (whole characters) to leave room for the suffix and for `reserved`: the longest a
 * companion's name runs past the shared stem (`.HEIC` beside `.MOV`, `.jpg.xmp`), so companions keep one stem.
 */
function withSuffix(target: string, suffix: number, reserved: number): string {
	if (suffix === 0) {
		return target;
	}

	const slash = target.lastIndexOf('/');
	const {stem, ext} = splitName(target.slice(slash + 1));
	const extension = ext ? `.${ext}` : '';
	return `${target.slice(0, slash + 1)}${fitName(stem, ` (${suffix})`, Math.max(reserved, utf8Bytes(extension)))}${extension}`;
}

/** How far the longest name of a unit runs past its stem: its media's extensions, and `.xmp` after a sidecar's. */
function reservedFor(targets: readonly string[], sidecarNames: readonly string[]): number {
	const extensions = targets.map(target => {
		const {ext} = splitName(target.slice(target.lastIndexOf('/') + 1));
		return ext ? utf8Bytes(ext) + 1 : 0;
	});
	const longest = Math.max(0, ...extensions);
	// `IMG_1.jpg.xmp` follows its photo's whole name; `IMG_1.xmp` only its stem.
	return Math.max(longest, ...sidecarNames.map(name => (/\.[^./]+\.xmp$/i.test(name) ? longest + 4 : 4)));
}

/**
 * The name a person gave an event's folder, when the event's photos (organize: where they are now) all sit in one
 * folder whose name starts with the event's date (`2019-05-03 Paris`): a user-chosen name wins over a generated one
 * (issue 13: organize renamed `2019-05-03 Paris` to `2019-05-03 friends`).
 */
function userNamedFolder(event: PhotoEvent, files: readonly LayoutFile[]): string | undefined {
	const media = files.filter(file => file.kind !== 'sidecar');
	if (media.length === 0 || media.some(file => file.current === undefined)) {
		return undefined;
	}

	const folders = new Set(media.map(file => {
		const slash = file.current!.lastIndexOf('/');
		return slash < 0 ? '' : file.current!.slice(0, slash);
	}));
	if (folders.size !== 1) {
		return undefined;
	}

	const folder = [...folders][0]!;
	const name = folder.slice(folder.lastIndexOf('/') + 1);
	return name.startsWith(event.start.slice(0, 10)) ? name : undefined;
}

/** Confirmed tags that may name an event: not places (an event has its own) or events, and only their last level. */
function eventTags(tags: readonly string[] | undefined): string[] {
	return (tags ?? []).filter(tag => !tag.startsWith('places/') && !tag.startsWith('event/')).map(tag => tag.slice(tag.lastIndexOf('/') + 1));
}

/** Plans every file's target. Units are placed in capture order (then by key), so plans are deterministic. */
export function planLayout(files: readonly LayoutFile[], options: LayoutOptions): LayoutPlan {
	const undated = options.undated ?? 'mtime';
	const byKey = new Map(files.map(file => [file.key, file]));
	const {units, orphans} = groupCompanions(files);

	const unitInfo = units.map(unit => {
		const members = unit.members.map(member => byKey.get(member.key)!);
		// A unit's date is its leader's, unless only a companion has one from metadata (a MOV dated, its still not).
		const dated = [byKey.get(unit.leader)!, ...members].find(file => file.kind !== 'sidecar' && !dateOf(file).fallback);
		const source = dated ?? byKey.get(unit.leader)!;
		const date = dateOf(source);
		const usable = !date.fallback || undated === 'mtime';
		return {unit, source, date, usable, labels: members.flatMap(file => [...(file.labels ?? []), ...eventTags(file.tags)])};
	});

	const byLeader = new Map(unitInfo.map(info => [info.unit.leader, info.unit]));
	const events = groupEvents(
		unitInfo
			.filter(info => info.usable)
			.map(info => ({key: info.unit.leader, takenAt: info.date.takenAt, labels: info.labels, place: info.source.place ? placeLabel(info.source.place) : undefined, offset: info.source.offset})),
		options.gapMs,
	).map(event => {
		const chosen = userNamedFolder(event, event.keys.flatMap(key => byLeader.get(key)!.members.map(member => byKey.get(member.key)!)));
		return chosen ? {...event, name: chosen} : event;
	});
	const eventOf = new Map<string, string>();
	for (const event of events) {
		for (const key of event.keys) {
			eventOf.set(key, event.name);
		}
	}

	const order = unitInfo
		.map((info, index) => ({info, index}))
		.sort((a, b) => {
			const ta = a.info.date.takenAt ?? '';
			const tb = b.info.date.takenAt ?? '';
			return ta < tb ? -1 : ta > tb ? 1 : a.info.unit.leader < b.info.unit.leader ? -1 : 1;
		});

	// A burst lands where its first frame lands.
	const burstFields = new Map<string, {fields: PatternFields; rule: FolderRule | undefined}>();
	const planned = new Set<string>();
	const result: PlannedFile[] = [];
	for (const {info} of order) {
		const {unit, source, date} = info;
		const event = eventOf.get(unit.leader);
		const tags = unit.members.flatMap(member => byKey.get(member.key)!.tags ?? []);
		let fields: PatternFields = {takenAt: date.takenAt, dateIsFallback: date.fallback, event, make: source.make, model: source.model, fileName: source.name, kind: source.kind, place: source.place, tags};
		let rule = options.rules && options.rules.length > 0
			? matchRule(options.rules, {tags: [...tags, ...info.labels], place: source.place, make: source.make, model: source.model, people: source.people}, options.taxonomy)
			: undefined;
		if (unit.burstId) {
			const first = burstFields.get(unit.burstId);
			fields = first?.fields ?? fields;
			rule = first ? first.rule : rule;
			burstFields.set(unit.burstId, {fields, rule});
		}

		const pattern = rule?.pattern ?? options.pattern;

		const media = unit.members.filter(member => member.role !== 'sidecar');
		const sidecars = unit.members.filter(member => member.role === 'sidecar');
		const base = new Map(media.map(member => [member.key, renderPattern(pattern, fields, undated, {...fields, fileName: byKey.get(member.key)!.name})]));
		const reserved = reservedFor([...base.values()], sidecars.map(member => byKey.get(member.key)!.name));
		const targetsFor = (suffix: number) => {
			const targets = new Map<string, string>();
			for (const member of media) {
				targets.set(member.key, withSuffix(base.get(member.key)!, suffix, reserved));
			}

			for (const member of sidecars) {
				const owner = targets.get(member.sidecarOf!)!;
				const ownerName = byKey.get(member.sidecarOf!)!.name;
				const exact = byKey.get(member.key)!.name.slice(0, -4).toLowerCase() === ownerName.toLowerCase();
				const extension = byKey.get(member.key)!.name.slice(-4);
				targets.set(member.key, exact ? `${owner}${extension}` : `${owner.slice(0, owner.length - (splitName(owner).ext.length ? splitName(owner).ext.length + 1 : 0))}${extension}`);
			}

			return targets;
		};

		let suffix = 0;
		let targets = targetsFor(0);
		const free = (key: string, target: string) => !planned.has(target.toLowerCase()) && (byKey.get(key)!.current === target || !options.isTaken(target));
		while (![...targets].every(([key, target]) => free(key, target))) {
			suffix++;
			targets = targetsFor(suffix);
		}

		for (const member of unit.members) {
			const target = targets.get(member.key)!;
			planned.add(target.toLowerCase());
			const file = byKey.get(member.key)!;
			result.push({
				key: member.key,
				target,
				role: member.role,
				leader: unit.leader,
				dateSource: info.usable ? (date.fallback ? 'mtime' : 'metadata') : 'none',
				...(event ? {event} : {}),
				...(rule ? {rule: {line: rule.line, text: rule.text}} : {}),
				unchanged: file.current === target,
			});
		}
	}

	return {files: result, orphans, events};
}
