// The home screen (`curate` on a terminal) counted kinds, cameras and folders by reading every row of `files`, about
// 2.2 KB each with the fingerprints stored inline: at a million photos two of those reads alone took 2.7 and 4.6 s
// before the first screen. They read the covering index of migration 23 now; this pins that they do, and that they
// count the same as from the table.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {HomeStore} from '../../source/db/home.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {preparedBy, queryPlan} from '../helpers/sql.js';
import {tempDir} from '../helpers/temp.js';

test('the home screen counts kinds, cameras and folders from a covering index, never a photo\'s row, and counts the same as from the table', () => {
	const file = path.join(tempDir('curate-home-plans-'), 'catalog.db');
	buildSyntheticCatalog(file, 600, {seed: 3});
	const catalog = Catalog.open(file);
	try {
		const sql = connectionOf(catalog);
		// Cameras with padding and without a make, missing files (not counted), and a folder name with a newline.
		sql.exec(`
			UPDATE files SET make = '  Canon ', model = 'EOS R6  ' WHERE id % 7 = 0;
			UPDATE files SET make = NULL, model = 'Pixel 8' WHERE id % 11 = 0;
			UPDATE files SET status = 'missing' WHERE id % 13 = 0;
			UPDATE files SET path = 'odd' || char(10) || 'folder/' || id || '.jpg' WHERE id % 17 = 0;
		`);
		const statements = preparedBy(() => new HomeStore(catalog)).filter(statement => /FROM files\s+WHERE status = 'present'[^]*GROUP BY/.test(statement));
		assert.equal(statements.length, 3, 'kinds, cameras and folders');
		for (const statement of statements) {
			const plan = queryPlan(sql, statement);
			assert.ok(plan.some(detail => /^SEARCH files USING COVERING INDEX files_summary \(status=\?\)$/.test(detail)), `${statement}\n${plan.join('\n')}`);
			assert.ok(!plan.some(detail => /^SCAN files\b/.test(detail)), plan.join('\n'));
		}

		const counted = () => {
			const store = new HomeStore(catalog);
			return {kinds: store.kinds(), cameras: store.cameras(), folders: [...store.folderCounts()].sort()};
		};

		const fromIndex = counted();
		assert.ok(fromIndex.cameras.some(camera => camera.make === 'Canon' && camera.model === 'EOS R6'));
		assert.ok(fromIndex.folders.some(([folder]) => folder === 'odd\nfolder'));
		sql.exec('DROP INDEX files_summary');
		assert.deepEqual(counted(), fromIndex);
	} finally {
		catalog.close();
	}
});
