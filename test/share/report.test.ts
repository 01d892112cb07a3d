import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ShareAccess} from '../../source/db/shares.js';
import {logLines} from '../../source/share/report.js';

const entry = (fields: Partial<ShareAccess>): ShareAccess => ({
	id: 1,
	at: '2026-12-06T17:00:00.000Z',
	shareId: 3,
	recipientId: null,
	recipientName: null,
	clientAddress: '127.0.0.1',
	forwardedAddress: null,
	userAgent: 'curl/8',
	method: 'GET',
	path: '/s/TOKEN',
	action: 'gallery',
	itemName: null,
	status: 200,
	...fields,
});

test('curate share log says what a refused request asked for even when its name does not decode (%FF), escaped', () => {
	const [, undecodable, controls, gallery] = logLines([
		entry({path: '/s/TaxPrkDQcJSCBIaIoKSFDeSp6QRRVevl/large/%FF%FE.jpg?x=1', action: 'not-found', status: 404}),
		entry({path: '/s/TaxPrkDQcJSCBIaIoKSFDeSp6QRRVevl/large/%0A.jpg', action: 'not-found', itemName: '\n\u001B[2J.jpg', status: 404}),
		entry({}),
	]);
	assert.match(undecodable!, /404 not-found +large\/%FF%FE\.jpg$/);
	assert.match(controls!, /404 not-found +\\n\\e\[2J\.jpg$/);
	assert.match(gallery!, /200 gallery$/, 'a gallery view names no photo');
});
