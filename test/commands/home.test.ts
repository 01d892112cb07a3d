// End to end (issue 14 acceptance): the real `curate` without a command in tmux at 80x24 shows the home screen inside a
// library; "review duplicates" opens the review screen, q comes back home, q again exits. Outside a library it says how
// to start; without a terminal it prints what `curate status` prints.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {cliEntry, runCli, tsxLoader} from '../helpers/cli.js';
import {tagRowsOf} from '../../source/db/tag-review.js';
import {scannedSampleLibrary, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

describe('curate without a command', () => {
	let root: string;
	before(async () => {
		({root} = await scannedSampleLibrary());
	});

	test('outside a library it says how to start, in one paragraph of 80 columns, and exits 1', async () => {
		const outside = tempDir();
		const result = await runCli([], {cwd: outside});
		assert.equal(result.code, 1);
		assert.equal(result.stderr, '');
		assert.match(result.stdout, /^Curate: not inside a Curate library/);
		assert.match(result.stdout, /`curate scan DIR`/);
		assert.match(result.stdout, /`curate --help`/);
		assert.ok(result.stdout.split('\n').every(line => line.length <= 80), result.stdout);
		assert.equal(fs.readdirSync(outside).length, 0, 'nothing was created');
	});

	test('without a terminal it prints what curate status prints', async () => {
		const home = await runCli([], {cwd: path.join(root, '2019')});
		const status = await runCli(['status'], {cwd: root});
		assert.equal(home.code, 0, home.stderr);
		assert.equal(status.code, 0, status.stderr);
		assert.match(home.stdout, /^Library .*\n\d+ files/);
		assert.equal(home.stdout, status.stdout);
	});

	describe('in tmux at 80x24', {skip: needsTmux}, () => {
		let session: ReturnType<typeof tmuxSession>;
		before(() => {
			session = tmuxSession('home');
			session.run(`cd '${root}' && printf 'BEFORE-HOME\\n'`);
		});

		after(() => {
			session?.kill();
		});

		test('the home screen; review duplicates opens the review screen, q comes back home, q again exits 0', async () => {
			session.run(`node --import '${tsxLoader}' '${cliEntry}'; echo "EXIT:$?"`);
			const home = await session.waitFor(/↑↓ move[^]*q quit|EXIT:\d/);
			assert.match(home, /Curate · /, home);
			assert.match(home, /\d+ photos, .* · [\d.]+ [KMG]?B/);
			assert.match(home, /Cameras: Apple iPhone 12 \(\d+\)/);
			assert.match(home, /• Duplicates +\d+ clusters to review/);
			assert.match(home, /• Verify +\d+ files never verified/);
			assert.match(home, /Scan +last just now, nothing new since/);
			assert.match(home, /❯ Review duplicates \(\d+ clusters\)/);
			assert.match(home, /Run curate verify --sample 100%: \d+ files never verified/);
			assert.doesNotMatch(home, /BEFORE-HOME/, 'the home screen is on the alternate screen');
			assert.ok(home.split('\n').every(line => [...line].length <= 80));

			session.keys('Enter');
			const review = await session.waitFor(/cluster 1 of \d+ · freed/);
			assert.match(review, /cluster 1 of \d+ · freed 0 B · \? help/, review);
			assert.doesNotMatch(review, /Review duplicates/);

			session.keys('q');
			const back = await session.waitFor(/❯ Review duplicates[^]*q quit|EXIT:\d/);
			assert.match(back, /❯ Review duplicates/, back);
			assert.doesNotMatch(back, /EXIT:/, 'q in the review comes back to the home screen, not out of curate');
			assert.doesNotMatch(back, /cluster 1 of/);

			session.keys('q');
			const out = await session.waitFor(/EXIT:\d+/);
			assert.match(out, /EXIT:0/);
			assert.match(out, /^BEFORE-HOME$/m, 'the screen from before is back');
			assert.doesNotMatch(out, /Review duplicates|cluster 1 of/);
		});

		test('the next suggested command runs on the normal screen; a key comes back home, where it is done', async () => {
			session.run('clear');
			session.run(`NO_COLOR=1 node --import '${tsxLoader}' '${cliEntry}'; echo "EXIT2:$?"`);
			const home = await session.waitFor(/Run curate verify[^]*q quit|EXIT2:\d/);
			assert.match(home, /Run curate verify --sample 100%/, home);
			// With its styles (-e): under NO_COLOR no colour reaches the terminal, the pointer alone shows the entry.
			const styled = spawnSync('tmux', ['-L', `curate-home-${process.pid}`, 'capture-pane', '-p', '-e', '-t', 'home'], {encoding: 'utf8'}).stdout;
			assert.doesNotMatch(styled, /\u001B\[[\d;]*(3[0-9]|9[0-7]|38;)/, 'no colour');
			assert.match(styled, /❯ Review duplicates/);
			// The entry's number runs it.
			session.keys('2');
			const ran = await session.waitFor(/Press a key to go back/);
			assert.match(ran, /\$ curate verify --sample 100%/, ran);
			assert.match(ran, /Checked \d+ files/);
			session.keys('x');
			const again = await session.waitFor(/finished with exit code[^]*q quit|EXIT2:\d/);
			assert.match(again, /curate verify --sample 100% finished with exit code 0\./, again);
			assert.match(again, /Verify +every file verified/);
			assert.doesNotMatch(again, /Run curate verify/);
			session.keys('Escape');
			assert.match(await session.waitFor(/EXIT2:\d+/), /EXIT2:0/);
		});

		test('review tags opens the tag review grid, and q there comes back home too', async () => {
			withCatalog(root, catalog => {
				const contents = [...new Set(catalog.allPresent().map(file => file.sha256).filter((sha256): sha256 is string => Boolean(sha256)))].slice(0, 3);
				for (const [index, sha256] of contents.entries()) {
					tagRowsOf(catalog).setRows(sha256, [{tag: 'beach', source: 'clip', value: {state: 'suggested', confidence: 0.2 + index / 10}}]);
				}
			});
			session.run('clear');
			session.run(`node --import '${tsxLoader}' '${cliEntry}'; echo "EXIT3:$?"`);
			const home = await session.waitFor(/Review tags[^]*q quit|EXIT3:\d/);
			assert.match(home, /• Tags +3 suggestions below 0\.60 to review \(1 tag\)/, home);
			assert.match(home, /❯ Review duplicates \(\d+ clusters\)\n  Review tags \(3 suggestions\)\n  Quit/, 'everything verified: no command to run');
			session.keys('2');
			const grid = await session.waitFor(/beach · 1–3 of 3 below 0\.60/);
			assert.match(grid, /beach · 1–3 of 3 below 0\.60/, grid);
			session.keys('q');
			const back = await session.waitFor(/❯ Review duplicates[^]*q quit|EXIT3:\d/);
			assert.match(back, /❯ Review duplicates/, back);
			assert.doesNotMatch(back, /EXIT3/);
			session.keys('q');
			assert.match(await session.waitFor(/EXIT3:\d+/), /EXIT3:0/);
		});
	});
});
