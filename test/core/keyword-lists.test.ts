import assert from 'node:assert/strict';
import {test} from 'node:test';
import {metadataWriteTags} from '../../source/adapters/exif.js';
import {existingSidecar, sidecarCandidates} from '../../source/core/sidecar-names.js';
import {editKeywordLists, joinKeywords, splitKeywords} from '../../source/core/tag-keywords.js';

test('a hierarchical keyword is split into its lr:hierarchicalSubject path and its dc:subject leaf, never whole into dc:subject', () => {
	assert.deepEqual(splitKeywords(['beach', 'Places|France|Paris', 'Paris', ' Trips | Rome ']), {subject: ['beach', 'Paris', 'Rome'], hierarchicalSubject: ['Places|France|Paris', 'Trips|Rome']});
	assert.deepEqual(joinKeywords({subject: ['Paris', 'x'], hierarchicalSubject: ['Places|France|Paris']}), ['Paris', 'x', 'Places|France|Paris']);
	const tags = metadataWriteTags({keywords: ['beach', 'Places|France|Paris']}, false);
	assert.deepEqual(tags['XMP-dc:Subject'], ['beach', 'Paris']);
	assert.deepEqual(tags['IPTC:Keywords'], ['beach', 'Paris']);
	assert.deepEqual(tags['XMP-lr:HierarchicalSubject'], ['Places|France|Paris'], 'a list without its own hierarchical list gives it');
	assert.deepEqual(metadataWriteTags({keywords: ['a|b'], hierarchicalSubject: ['x|a|b']}, true)['XMP-lr:HierarchicalSubject'], ['x|a|b'], 'an explicit hierarchical list wins');
});

test('removing a hierarchical keyword keeps its leaf while another hierarchical keyword still ends in it', () => {
	const lists = {subject: ['Paris', 'beach'], hierarchicalSubject: ['Places|France|Paris', 'Old|Paris']};
	assert.deepEqual(editKeywordLists(lists, [], ['Places|France|Paris']), {subject: ['Paris', 'beach'], hierarchicalSubject: ['Old|Paris']});
	assert.deepEqual(editKeywordLists(lists, ['Trips|Rome'], ['Places|France|Paris', 'Old|Paris']), {subject: ['beach', 'Rome'], hierarchicalSubject: ['Trips|Rome']});
	assert.deepEqual(editKeywordLists(lists, ['beach'], []), lists, 'adding what is there changes nothing');
});

test('a photo\'s own sidecar name comes before Lightroom\'s, and only existing names count', () => {
	assert.deepEqual(sidecarCandidates('a/IMG_1.JPG'), ['a/IMG_1.JPG.xmp', 'a/IMG_1.JPG.XMP', 'a/IMG_1.xmp', 'a/IMG_1.XMP']);
	assert.deepEqual(sidecarCandidates('a.b/README'), ['a.b/README.xmp', 'a.b/README.XMP'], 'a dot in a folder name is not an extension');
	assert.equal(existingSidecar('a/IMG_1.JPG', name => name === 'a/IMG_1.xmp' || name === 'a/IMG_1.JPG.xmp'), 'a/IMG_1.JPG.xmp');
	assert.equal(existingSidecar('a/IMG_1.JPG', name => name === 'a/IMG_1.XMP'), 'a/IMG_1.XMP');
	assert.equal(existingSidecar('a/IMG_1.JPG', () => false), undefined);
});
