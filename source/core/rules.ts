/**
 * Rules from tags to folders (issue 17): `.curate/rules.txt`, one rule per line, the first that matches a photo
 * chooses its folder pattern; photos no rule matches follow the pattern. Pure: parsing and matching.
 *
 *     # comment
 *     tag:birthday -> {year}/Birthday
 *     tag:screenshot -> Screenshots/{year}
 *     place:Japan -> {year}/{year}-{month} Japan
 *     camera:"DJI" -> Drone/{year}
 *     tag:people/alice place:FR -> Alice/{year}      (several conditions: all must hold)
 *     person:"Anna Berg" -> People/Anna/{year}        (a face named Anna Berg, any case; issue 19)
 *
 * The file is input Curate did not write: every line is checked, and a bad one refuses the whole file with its line
 * number, so no photo is filed by half a rule set.
 */
import {type Pattern, parsePattern} from './pattern.js';
import {type Place, placeMatches} from './place.js';
import {type TaxonomyTag, tagMatches} from './taxonomy.js';

/** One condition of a rule. */
export type RuleCondition = {readonly key: 'tag' | 'place' | 'camera' | 'person'; readonly value: string};

/** One parsed rule. */
export type FolderRule = {
	/** 1-based line in the rules file. */
	readonly line: number;
	/** The line as written (trimmed), for the preview. */
	readonly text: string;
	readonly conditions: readonly RuleCondition[];
	readonly pattern: Pattern;
};

/** What a rule looks at in a photo. */
export type RuleFacts = {
	/** Confirmed tag names and the file's own keywords. */
	readonly tags: readonly string[];
	readonly place?: Place | undefined;
	readonly make: string | null;
	readonly model: string | null;
	/** People named on the photo's faces (issue 19). */
	readonly people?: readonly string[];
};

const ruleKeys = ['tag', 'place', 'camera', 'person'] as const;
/** Longest line read: a rule is a line, not a document. */
const maxLine = 1000;
/** Most rules a file may hold. */
const maxRules = 1000;

/** Splits `tag:a camera:"EOS R5"` into conditions; throws a reason. */
function parseConditions(text: string): RuleCondition[] {
	const conditions: RuleCondition[] = [];
	let rest = text.trim();
	while (rest !== '') {
		const match = /^([A-Za-z]+):(?:"([^"]*)"|([^\s"]+))(?=\s|$)/.exec(rest);
		if (!match) {
			const word = rest.split(/\s+/)[0]!;
			if (/^[A-Za-z]+:"/.test(word)) {
				throw new Error(`unclosed quote in "${word}"`);
			}

			throw new Error(`"${word}" is not a condition; conditions are ${ruleKeys.map(key => `${key}:VALUE`).join(', ')}`);
		}

		const key = match[1]!.toLowerCase();
		const value = (match[2] ?? match[3] ?? '').trim();
		if (!(ruleKeys as readonly string[]).includes(key)) {
			throw new Error(`${match[1]}: is not a condition; conditions are ${ruleKeys.map(name => `${name}:`).join(', ')}`);
		}

		if (value === '') {
			throw new Error(`${key}: needs a value, e.g. ${key}:${key === 'camera' ? '"DJI"' : key === 'place' ? 'Japan' : key === 'person' ? 'Anna' : 'birthday'}`);
		}

		conditions.push({key: key as RuleCondition['key'], value});
		rest = rest.slice(match[0].length).trim();
	}

	if (conditions.length === 0) {
		throw new Error('a rule needs a condition before "->", e.g. tag:birthday -> {year}/Birthday');
	}

	return conditions;
}

/** Parses a rules file; throws an Error `line N: reason` for the first bad line. */
export function parseRules(text: string): FolderRule[] {
	const rules: FolderRule[] = [];
	for (const [index, raw] of text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).entries()) {
		const where = `line ${index + 1}`;
		if (raw.length > maxLine) {
			throw new Error(`${where}: longer than ${maxLine} characters`);
		}

		// Control characters (a terminal escape, a NUL) never belong in a rule or a folder name.
		if (/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(raw)) {
			throw new Error(`${where}: holds a control character`);
		}

		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {
			continue;
		}

		// The arrow outside quotes: a camera name may hold "->".
		let arrow = -1;
		let quoted = false;
		for (let i = 0; i < line.length; i++) {
			if (line[i] === '"') {
				quoted = !quoted;
			} else if (!quoted && line.startsWith('->', i)) {
				arrow = i;
				break;
			}
		}

		if (arrow === -1) {
			throw new Error(`${where}: a rule is "CONDITION -> FOLDER PATTERN", e.g. tag:birthday -> {year}/Birthday`);
		}

		const patternText = line.slice(arrow + 2).trim();
		try {
			const conditions = parseConditions(line.slice(0, arrow));
			if (patternText === '') {
				throw new Error('no folder pattern after "->"');
			}

			const pattern = parsePattern(patternText);
			const first = pattern.segments[0]!;
			if (first.length === 1 && typeof first[0] === 'string' && first[0].toLowerCase() === '.curate') {
				throw new Error('a rule may not file photos into .curate');
			}

			rules.push({line: index + 1, text: line, conditions, pattern});
		} catch (error) {
			throw new Error(`${where}: ${(error as Error).message}`);
		}

		if (rules.length > maxRules) {
			throw new Error(`${where}: more than ${maxRules} rules`);
		}
	}

	return rules;
}

const fold = (text: string) => text.normalize('NFD').replaceAll(/\p{M}/gu, '').toLowerCase();

/** Whether one condition holds for a photo. */
function holds(condition: RuleCondition, facts: RuleFacts, taxonomy: readonly TaxonomyTag[], placeAliases: ReadonlyMap<string, string>): boolean {
	switch (condition.key) {
		case 'tag': {
			const wanted = condition.value.toLowerCase();
			// A keyword in the file (`Birthday`, `Family|Birthday`) counts like a tag.
			return facts.tags.some(tag => {
				const name = tag.toLowerCase().replaceAll('|', '/');
				return tagMatches(name, wanted, taxonomy);
			});
		}

		case 'place': {
			return facts.place !== undefined && placeMatches(facts.place, condition.value, placeAliases);
		}

		case 'camera': {
			return fold(`${facts.make ?? ''} ${facts.model ?? ''}`).includes(fold(condition.value));
		}

		case 'person': {
			return (facts.people ?? []).some(name => name.toLowerCase() === condition.value.toLowerCase());
		}
	}
}

/** The first rule whose every condition holds, or undefined. */
export function matchRule(rules: readonly FolderRule[], facts: RuleFacts, taxonomy: readonly TaxonomyTag[] = []): FolderRule | undefined {
	const placeAliases = new Map<string, string>();
	for (const tag of taxonomy) {
		if (tag.name.startsWith('places/')) {
			for (const alias of tag.aliases) {
				placeAliases.set(fold(alias), tag.name.slice(tag.name.lastIndexOf('/') + 1));
			}
		}
	}

	return rules.find(rule => rule.conditions.every(condition => holds(condition, facts, taxonomy, placeAliases)));
}
