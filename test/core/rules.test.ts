import assert from 'node:assert/strict';
import test from 'node:test';
import {matchRule, parseRules} from '../../source/core/rules.js';

const facts = {tags: [] as string[], make: null, model: null};
const paris = {countryCode: 'FR', country: 'France', region: null, city: 'Paris', distanceKm: 1};

test('rules: one per line, comments and blank lines skipped, CRLF and a byte-order mark read, quoted values with spaces', () => {
	const rules = parseRules('\uFEFF# my rules\r\n\r\ntag:birthday -> {year}/Birthday\r\n  camera:"DJI Mavic" -> Drone/{year}  \r\nplace:Japan tag:people/alice -> {year}/{year}-{month} Japan\n');
	assert.deepEqual(rules.map(rule => [rule.line, rule.conditions, rule.pattern.source]), [
		[3, [{key: 'tag', value: 'birthday'}], '{year}/Birthday'],
		[4, [{key: 'camera', value: 'DJI Mavic'}], 'Drone/{year}'],
		[5, [{key: 'place', value: 'Japan'}, {key: 'tag', value: 'people/alice'}], '{year}/{year}-{month} Japan'],
	]);
	assert.equal(rules[1]!.text, 'camera:"DJI Mavic" -> Drone/{year}');
	assert.deepEqual(parseRules(''), []);
	assert.deepEqual(parseRules('camera:"A -> B" -> X')[0]!.conditions, [{key: 'camera', value: 'A -> B'}], 'an arrow inside quotes is part of the value');
});

test('a bad rules file is refused with the line number of the first bad line: the file is input Curate did not write', () => {
	const refused: Array<[string, RegExp]> = [
		['tag:birthday {year}/Birthday', /line 1: a rule is "CONDITION -> FOLDER PATTERN"/],
		['# ok\ntag:birthday -> /etc/cron.d', /line 2: pattern must be relative/],
		['tag:a -> ../outside', /line 1: pattern has an empty, "\." or "\.\." folder/],
		['tag:a -> 2019/../../etc', /line 1: pattern has an empty/],
		['tag:a -> C:/Photos', /line 1: pattern must be relative/],
		['tag:a -> a\\b', /line 1: pattern must be relative/],
		['tag:a -> .curate/x', /line 1: a rule may not file photos into \.curate/],
		['tag:a -> {year}/{nope}', /line 1: unknown pattern token \{nope\}/],
		['tag:a -> {tag:}', /line 1: \{tag:GROUP\} needs a tag group/],
		['tag:a -> {year', /line 1: pattern has an unclosed "\{"/],
		['tag:a -> x<y', /line 1: pattern text has a character file systems refuse/],
		['tag:a ->', /line 1: no folder pattern after "->"/],
		[' -> {year}', /line 1: a rule needs a condition/],
		['tags:a -> x', /line 1: tags: is not a condition/],
		['tag: -> x', /line 1: "tag:" is not a condition/],
		['tag:"" -> x', /line 1: tag: needs a value/],
		['camera:"DJI -> x', /line 1: a rule is "CONDITION -> FOLDER PATTERN"|line 1: unclosed quote/],
		['birthday -> x', /line 1: "birthday" is not a condition/],
		['tag:a -> x\n\ntag:b -> \u001B[31mred', /line 3: holds a control character/],
		['tag:a\u0000 -> x', /line 1: holds a control character/],
		['tag:a -> \u202Egpj.exe', /line 1: holds a control character/],
		[`tag:a -> ${'x'.repeat(2000)}`, /line 1: longer than 1000 characters/],
	];
	for (const [text, reason] of refused) {
		assert.throws(() => parseRules(text), reason, JSON.stringify(text));
	}
});

test('the first rule that matches wins; photos no rule matches get none', () => {
	const rules = parseRules('tag:birthday -> {year}/Birthday\ntag:family -> Family\nplace:FR -> France/{city}\ncamera:"dji" -> Drone/{year}\n');
	assert.equal(matchRule(rules, {...facts, tags: ['Birthday', 'family']})?.line, 1);
	assert.equal(matchRule(rules, {...facts, tags: ['people/family']})?.line, 2, 'a tag matches by its last level');
	assert.equal(matchRule(rules, {...facts, tags: ['Family|Birthday']})?.line, 1, 'a hierarchical keyword matches by its leaf');
	assert.equal(matchRule(rules, {...facts, place: paris})?.line, 3);
	assert.equal(matchRule(rules, {...facts, make: 'DJI', model: 'FC220'})?.line, 4);
	assert.equal(matchRule(rules, {...facts, tags: ['birthdays'], make: 'Canon', model: 'EOS'}), undefined, 'no partial tag matches');
	assert.equal(matchRule(rules, facts), undefined);
});

test('all conditions of a rule must hold, and tag aliases from the taxonomy count', () => {
	const rules = parseRules('place:paris tag:bday -> {year}/Paris birthdays\nplace:nyc -> NYC');
	const taxonomy = [
		{name: 'events/birthday', aliases: ['bday'], prompt: '', threshold: 0.2},
		{name: 'places/united states of america/new york', aliases: ['nyc'], prompt: '', threshold: 0.2},
	];
	assert.equal(matchRule(rules, {...facts, tags: ['events/birthday'], place: paris}, taxonomy)?.line, 1);
	assert.equal(matchRule(rules, {...facts, tags: ['events/birthday']}, taxonomy), undefined, 'without the place');
	assert.equal(matchRule(rules, {...facts, place: {...paris, country: 'United States of America', countryCode: 'US', city: 'New York'}}, taxonomy)?.line, 2);
});
