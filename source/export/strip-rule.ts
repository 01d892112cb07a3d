/**
 * What an export leaves out of a copy, defined once. The same selectors build exiftool's arguments (excluded from the
 * copy, or deleted from it afterwards) and judge the copy read back, so what is stripped and what is checked can never
 * drift apart (issue 13: the check once listed maker-note groups the stripping never removed, and missed
 * `MakerNoteUnknown`, which the stripping let through).
 */

/** What an export keeps of its master's metadata. */
export type StripMode = 'gps' | 'all' | 'none';

/**
 * A class of tags in exiftool's own syntax: `group:name`, where the group is any family-0 or family-1 group name
 * (`MakerNotes`, `GPS`, `XMP-iptcCore`) and the name may hold `*` wildcards; `all` as the name means every tag of the
 * group, a missing group means any group.
 */
export type TagSelector = {readonly group?: string; readonly name: string};

/** The strip mode with its options. */
export type StripRule = {
	readonly mode: StripMode;
	readonly keepMakerNotes: boolean;
	/** With `gps`: keep where the photo was taken, still removing serials, owner names and maker notes (`curate share --keep-gps`, issue 20). */
	readonly keepLocation?: boolean;
	readonly removed: readonly TagSelector[];
};

const any = (...names: string[]): TagSelector[] => names.map(name => ({name}));

/** Where the photo was taken: GPS in EXIF, XMP and composites, and place names. */
const location: readonly TagSelector[] = [
	{group: 'GPS', name: 'all'},
	...any('GPS*', 'City', 'Sub-location', 'Province-State', 'State', 'Country*', 'Location*'),
];

/** Which device took it: body, lens and internal serial numbers, and ids that embed them. */
const device: readonly TagSelector[] = any('*SerialNumber*', '*Serial', 'ImageUniqueID', 'CameraID');

/** Who owns it: owner, artist and creator names and contact details. */
const owner: readonly TagSelector[] = [...any('OwnerName', 'CameraOwnerName', 'Artist', 'Creator*', 'By-line*'), {group: 'XMP-iptcCore', name: 'all'}];

/** Edit history (XMP-xmpMM) names folders on the owner's disk. */
const history: readonly TagSelector[] = [{group: 'XMP-xmpMM', name: 'all'}];

/**
 * The maker-note block: undocumented per vendor, it holds serials, owner names, places and face data. `MakerNote*`
 * names the block itself (exiftool copies it whole as `MakerNotes`, so excluding the group's tags alone lets it
 * through) and the blocks exiftool cannot decode (`MakerNoteUnknown`, `MakerNoteCanon`…); the group names every tag
 * read out of a decoded block.
 */
const makerNotes: readonly TagSelector[] = [{group: 'MakerNotes', name: 'all'}, {name: 'MakerNote*'}];

/**
 * An undecodable maker-note block is removed even with `--keep-maker-notes`: nothing can check what it holds.
 */
const opaqueMakerNotes: readonly TagSelector[] = any('MakerNoteUnknown');

/** Everything: what `--strip all` promises. */
const everything: readonly TagSelector[] = [{name: '*'}];

/**
 * The rule for a strip mode. `keepMakerNotes` keeps the decodable maker notes, minus the serial and owner tags;
 * `keepLocation` keeps the location tags.
 */
export function stripRule(mode: StripMode, options: {readonly keepMakerNotes?: boolean; readonly keepLocation?: boolean} = {}): StripRule {
	const keepMakerNotes = mode === 'gps' && Boolean(options.keepMakerNotes);
	const keepLocation = mode === 'gps' && Boolean(options.keepLocation);
	const removed = mode === 'none' ? [] : mode === 'all' ? everything : [...(keepLocation ? [] : location), ...device, ...owner, ...history, ...(keepMakerNotes ? opaqueMakerNotes : makerNotes)];
	return {mode, keepMakerNotes, ...(keepLocation ? {keepLocation} : {}), removed};
}

const spell = (selector: TagSelector) => (selector.group ? `${selector.group}:${selector.name}` : selector.name);

/** exiftool arguments that leave the rule's tags out of a `-TagsFromFile` copy. */
export function exclusionArgs(rule: StripRule): string[] {
	return rule.removed.map(selector => `--${spell(selector)}`);
}

/**
 * exiftool arguments that delete the rule's tags from a written file. A copied maker-note block arrives whole, so
 * with `--keep-maker-notes` its serial and owner tags are deleted from the copy in a second write; exiftool blanks
 * those it cannot remove from a fixed-size structure, and cannot touch those of a block it does not decode.
 */
export function deletionArgs(rule: StripRule): string[] {
	return rule.removed.map(selector => `-${spell(selector)}=`);
}

/** Groups every file has (its name, size, type, the encoder's own header and colour profile): never metadata from the master. */
const structural = new Set(['ExifTool', 'File', 'System', 'Composite', 'JFIF', 'RIFF', 'ICC_Profile', 'ICC-header', 'ICC-meas', 'ICC-view']);

const globRegex = (glob: string) => new RegExp(`^${glob.split('*').map(part => part.replaceAll(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`, 'i');

/** Splits a read-back key (`-G0:1`: `EXIF:GPS:GPSLatitude`, `Composite:GPSPosition`) into its groups and name. */
function parseKey(key: string): {groups: string[]; name: string} | undefined {
	const parts = key.split(':');
	if (parts.length < 2) {
		return undefined;
	}

	return {groups: parts.slice(0, -1), name: parts.at(-1)!};
}

function selects(selector: TagSelector, groups: readonly string[], name: string): boolean {
	const groupMatches = !selector.group || groups.some(group => group.toLowerCase() === selector.group!.toLowerCase());
	return groupMatches && (selector.name === 'all' || globRegex(selector.name).test(name));
}

/** A value that says nothing: what exiftool leaves when it blanks a tag it cannot remove from a fixed structure. */
const blank = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && /^[\s\0]*$/.test(value));

/**
 * Judges a copy's tags as exiftool reads them back (`-a -G0:1`, so both group families show) against the rule that
 * built it. Returns the keys of tags the rule removes that still hold a value, empty when the copy is clean.
 */
export function leakedTags(tags: Readonly<Record<string, unknown>>, rule: StripRule): string[] {
	const leaked: string[] = [];
	for (const [key, value] of Object.entries(tags)) {
		const parsed = parseKey(key);
		if (!parsed || parsed.groups.some(group => structural.has(group)) || blank(value)) {
			continue;
		}

		if (rule.removed.some(selector => selects(selector, parsed.groups, parsed.name))) {
			leaked.push(key);
		}
	}

	return leaked;
}
