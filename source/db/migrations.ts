/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction, and bumps `PRAGMA user_version`.
 * Never edit a migration that has shipped: add a new one.
 */
export const migrations: ReadonlyArray<{readonly version: number; readonly name: string; readonly sql: string}> = [
	{
		version: 1,
		name: 'files and scans',
		sql: `
CREATE TABLE files (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	size INTEGER NOT NULL,
	mtime_ms INTEGER NOT NULL,
	sha256 TEXT,
	content_hash TEXT,
	format TEXT NOT NULL,
	kind TEXT NOT NULL,
	width INTEGER,
	height INTEGER,
	orientation INTEGER,
	taken_at TEXT,
	taken_at_source TEXT,
	make TEXT,
	model TEXT,
	lens TEXT,
	gps_lat REAL,
	gps_lon REAL,
	gps_alt REAL,
	keywords TEXT NOT NULL DEFAULT '[]',
	rating INTEGER,
	title TEXT,
	description TEXT,
	software TEXT,
	live_photo_id TEXT,
	burst_id TEXT,
	phash TEXT,
	dhash TEXT,
	thumb TEXT,
	error TEXT,
	status TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present', 'missing')),
	first_seen_at TEXT NOT NULL,
	scanned_at TEXT NOT NULL,
	scan_id INTEGER
);
CREATE INDEX files_sha256 ON files(sha256);
CREATE INDEX files_content_hash ON files(content_hash);
CREATE INDEX files_status ON files(status);

CREATE TABLE scans (
	id INTEGER PRIMARY KEY,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'interrupted')),
	stats TEXT
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`,
	},
	{
		version: 2,
		name: 'duplicate detection: rotated pHashes, pixel signature, not-duplicate decisions',
		sql: `
ALTER TABLE files ADD COLUMN phash_rot TEXT;
ALTER TABLE files ADD COLUMN signature BLOB;
-- pHashes and signatures of the centre 95% and 90% of the picture: a cropped copy matches these exactly.
ALTER TABLE files ADD COLUMN phash_crop TEXT;
ALTER TABLE files ADD COLUMN signature_crop BLOB;
-- Size of the picture without a uniform frame someone added: a framed copy has more pixels but no more picture.
ALTER TABLE files ADD COLUMN content_width INTEGER;
ALTER TABLE files ADD COLUMN content_height INTEGER;
CREATE INDEX files_phash ON files(phash);

-- "Not duplicates" decisions, keyed by content (SHA-256 pairs, smaller first), so they survive rescans, moves and renames.
CREATE TABLE distinct_pairs (
	sha_a TEXT NOT NULL,
	sha_b TEXT NOT NULL,
	decided_at TEXT NOT NULL,
	PRIMARY KEY (sha_a, sha_b),
	-- sha_a = sha_b marks exact copies the user keeps on purpose.
	CHECK (sha_a <= sha_b)
) WITHOUT ROWID;
`,
	},
	{
		version: 3,
		name: 'operation journal: batches, operations, trashed files',
		sql: `
-- One batch per command or keystroke. id is short for \`curate undo 12\`; uid stays unique across libraries for replay.
CREATE TABLE journal_batches (
	id INTEGER PRIMARY KEY,
	uid TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	command TEXT NOT NULL,
	label TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('running', 'applied', 'undoing', 'undone', 'redoing', 'failed', 'rolled-back')),
	reason TEXT,
	-- What recovery found and did after a crash, kept so the journal tells the whole story.
	recovery TEXT,
	replayed_from TEXT
);

CREATE TABLE journal_ops (
	id INTEGER PRIMARY KEY,
	batch_id INTEGER NOT NULL REFERENCES journal_batches(id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	payload TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('intent', 'applied', 'undoing', 'undone', 'failed', 'rolled-back')),
	reason TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (batch_id, seq)
);
CREATE INDEX journal_ops_state ON journal_ops(state);

-- A trashed file keeps its row (and id, so its history stays): the path points into the trash, status is missing,
-- and trashed_batch says which batch put it there. Undo restores the same row.
ALTER TABLE files ADD COLUMN trashed_batch INTEGER;
`,
	},
	{
		version: 4,
		name: 'AI: CLIP embeddings per content and model, tags with confidence, source and state',
		sql: `
-- One embedding per (content, model), keyed by SHA-256 so moves and renames keep it. int8 values with one scale per
-- vector (value = byte x scale): 512 bytes for CLIP ViT-B/32 instead of 2 KB of float32.
CREATE TABLE embeddings (
	sha256 TEXT NOT NULL,
	model TEXT NOT NULL,
	dimensions INTEGER NOT NULL,
	scale REAL NOT NULL,
	vector BLOB NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (model, sha256)
) WITHOUT ROWID;

-- Tags per content. source: clip (zero-shot on the embedding) or rule (metadata). state: suggested by Curate;
-- confirmed and rejected are the user's (review), which re-tagging never overwrites.
CREATE TABLE tags (
	sha256 TEXT NOT NULL,
	tag TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('clip', 'rule')),
	state TEXT NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'confirmed', 'rejected')),
	confidence REAL NOT NULL,
	model TEXT,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (sha256, tag, source)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag);
`,
	},
	{
		version: 5,
		name: 'library health: export derivatives, verify runs, per-file verification times',
		sql: `
-- Shareable copies written by curate export, keyed by their master's content so a later export can reuse them.
CREATE TABLE derivatives (
	id INTEGER PRIMARY KEY,
	master_sha256 TEXT NOT NULL,
	master_path TEXT NOT NULL,
	-- Canonical JSON of the settings (size, format, quality, strip): equal text means an equal export.
	settings TEXT NOT NULL,
	output_dir TEXT NOT NULL,
	output_path TEXT NOT NULL,
	output_sha256 TEXT NOT NULL,
	output_size INTEGER NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX derivatives_master ON derivatives(master_sha256, settings, output_dir);

-- One row per curate verify run (of the library or of a backup), for curate status.
CREATE TABLE verify_runs (
	id INTEGER PRIMARY KEY,
	target TEXT NOT NULL CHECK (target IN ('library', 'backup')),
	target_path TEXT NOT NULL,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'interrupted')),
	stats TEXT
);

-- When each file's bytes were last re-read and compared: verify --sample reads the longest-unverified first, so
-- repeated sampled runs rotate through the whole library. Kept apart from files so scans never reset it.
CREATE TABLE file_checks (
	file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
	verified_at TEXT NOT NULL,
	outcome TEXT NOT NULL
);
`,
	},
	{
		version: 7,
		name: 'watch queue: files seen in an inbox, until imported',
		sql: `
-- One row per file seen in a watched inbox (issue 8). A file is imported once its size and mtime have not changed
-- for the settle interval (changed_at); rows survive restarts, so nothing that arrived is lost or imported twice.
CREATE TABLE watch_queue (
	inbox TEXT NOT NULL,
	path TEXT NOT NULL,
	size INTEGER NOT NULL,
	mtime_ms INTEGER NOT NULL,
	changed_at INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('waiting', 'importing', 'imported', 'skipped', 'failed')),
	sha256 TEXT,
	target TEXT,
	batch INTEGER,
	error TEXT,
	first_seen_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (inbox, path)
) WITHOUT ROWID;
CREATE INDEX watch_queue_state ON watch_queue(inbox, state);
`,
	},
	{
		version: 8,
		name: 'tag review: tags a person adds, decided tags remembered per content',
		sql: `
-- Tags a person adds (review's t, CSV import) get source 'user'. SQLite cannot change a CHECK constraint in place,
-- so the table is rebuilt with the same rows.
CREATE TABLE tags_v8 (
	sha256 TEXT NOT NULL,
	tag TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('clip', 'rule', 'user')),
	state TEXT NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'confirmed', 'rejected')),
	confidence REAL NOT NULL,
	model TEXT,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (sha256, tag, source)
) WITHOUT ROWID;
INSERT INTO tags_v8 (sha256, tag, source, state, confidence, model, updated_at)
	SELECT sha256, tag, source, state, confidence, model, updated_at FROM tags;
DROP TABLE tags;
ALTER TABLE tags_v8 RENAME TO tags;
CREATE INDEX tags_tag ON tags(tag);
-- The review queue: one tag's suggestions, lowest confidence first.
CREATE INDEX tags_review ON tags(tag, state, confidence);
`,
	},
	{
		version: 9,
		name: 'capture-time index for year: filters',
		sql: `
-- \`curate search year:2019\` and export selections read one year's rows through this instead of scanning every file.
CREATE INDEX files_taken_at ON files(taken_at);
`,
	},
	{
		version: 10,
		name: 'frame count and greyscale, for duplicates and keepers',
		sql: `
-- An animated GIF or a multi-page TIFF is never a duplicate of a still, and a greyscale copy of a colour photo is a
-- conversion, never its original (issue 13). NULL until the file is analysed again.
ALTER TABLE files ADD COLUMN frames INTEGER;
ALTER TABLE files ADD COLUMN grey INTEGER;
`,
	},
	{
		version: 11,
		name: 'watch queue: files held back because they do not decode completely yet',
		sql: `
-- \`curate watch\` holds a file that does not decode completely ('incomplete': an upload still in progress) until a
-- later version decodes or the settle limit passes. SQLite cannot change a CHECK constraint in place: the table is
-- rebuilt with the same rows.
CREATE TABLE watch_queue_v13 (
	inbox TEXT NOT NULL,
	path TEXT NOT NULL,
	size INTEGER NOT NULL,
	mtime_ms INTEGER NOT NULL,
	changed_at INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('waiting', 'incomplete', 'importing', 'imported', 'skipped', 'failed')),
	sha256 TEXT,
	target TEXT,
	batch INTEGER,
	error TEXT,
	first_seen_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (inbox, path)
) WITHOUT ROWID;
INSERT INTO watch_queue_v13 SELECT inbox, path, size, mtime_ms, changed_at, state, sha256, target, batch, error, first_seen_at, updated_at FROM watch_queue;
DROP TABLE watch_queue;
ALTER TABLE watch_queue_v13 RENAME TO watch_queue;
CREATE INDEX watch_queue_state ON watch_queue(inbox, state);
`,
	},
	{
		version: 12,
		name: 'backup records: targets and what each holds of each file',
		sql: `
-- Every backup target (a mirror folder or a restic repository) and, per file, the content it last backed up there and
-- when (issue 18): the catalog answers "is this photo in two backups?" without opening any of them.
CREATE TABLE backup_targets (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('mirror', 'restic')),
	location TEXT NOT NULL UNIQUE,
	last_success_at TEXT,
	last_snapshot TEXT,
	last_files INTEGER,
	retention_shown_at TEXT,
	check_next INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE backup_copies (
	file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES backup_targets(id) ON DELETE CASCADE,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	mtime_ms INTEGER NOT NULL,
	snapshot TEXT,
	backed_up_at TEXT NOT NULL,
	PRIMARY KEY (file_id, target_id)
) WITHOUT ROWID;
CREATE INDEX backup_copies_target ON backup_copies(target_id);
`,
	},
	{
		version: 13,
		name: 'which HEICs were decoded in full',
		sql: `
-- A scan takes a HEIC's fingerprints from its thumbnail item when that agrees with the picture (issue 16): 0 marks a
-- file whose full decode \`curate verify --deep\` still has to do, 1 one decoded in full, NULL any other format.
ALTER TABLE files ADD COLUMN decoded_fully INTEGER;
`,
	},
	{
		version: 14,
		name: 'places and local time from GPS',
		sql: `
-- Where each photo with GPS was taken and the UTC offset of its capture time there (issue 17), derived offline by
-- curate places (and scan, import). lat/lon are the position it was derived from: a file whose GPS changed since is
-- located again. country_code is NULL at sea, city NULL far from any town; utc_offset is set only for a capture time
-- without its own offset, and is derived (time_zone says from where), never read from the file.
CREATE TABLE places (
	file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	country_code TEXT,
	country TEXT,
	region TEXT,
	region_code TEXT,
	city TEXT,
	city_id INTEGER,
	distance_km REAL,
	time_zone TEXT,
	utc_offset TEXT,
	located_at TEXT NOT NULL
);
CREATE INDEX places_country ON places(country_code);
CREATE INDEX places_city ON places(city COLLATE NOCASE);
`,
	},
	{
		version: 15,
		name: 'faces: boxes, scores and descriptors per photo content, clusters and names',
		sql: `
-- \`curate faces\` (issue 19). Keyed by content SHA-256 like embeddings, so moves and renames keep them. A content is
-- done for a model when it has a face_scans row, even with no face, so a run resumes where the last one stopped.
CREATE TABLE face_scans (
	sha256 TEXT NOT NULL,
	model TEXT NOT NULL,
	faces INTEGER NOT NULL,
	scanned_at TEXT NOT NULL,
	PRIMARY KEY (sha256, model)
) WITHOUT ROWID;
-- Box normalised to the oriented picture (0-1, top-left origin); embedding: float32 little-endian, L2-normalised.
-- cluster: unnamed group from incremental clustering; person: a name a person gave (never a suggestion).
-- AUTOINCREMENT: an id is never given again, so a face the journal took out and puts back keeps its own.
CREATE TABLE faces (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	sha256 TEXT NOT NULL,
	model TEXT NOT NULL,
	x REAL NOT NULL,
	y REAL NOT NULL,
	w REAL NOT NULL,
	h REAL NOT NULL,
	score REAL NOT NULL,
	embedding BLOB NOT NULL,
	cluster INTEGER,
	person TEXT,
	named_at TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX faces_content ON faces(sha256, model);
CREATE INDEX faces_cluster ON faces(cluster);
CREATE INDEX faces_person ON faces(person);
-- A person's "not this face" (issue 19): a rejected face is never suggested for that person again. No foreign key, so
-- the journal can take faces out (curate faces --forget) and put them back with their rejections.
CREATE TABLE face_rejections (
	face_id INTEGER NOT NULL,
	person TEXT NOT NULL,
	PRIMARY KEY (face_id, person)
) WITHOUT ROWID;
`,
	},
	{
		version: 16,
		name: 'share links, their recipients and the log of every access',
		sql: `
-- Time-limited share links (issue 20). A share is a folder of copies made through the export path under
-- .curate/shares/<id> (dir, relative to the library root), reached by a random URL-safe token; password_hash is
-- 'scrypt$N$r$p$salt$hash'. Recipients are second tokens for named people, so the log can say who. share_access
-- keeps no foreign keys: a request for an unknown token is logged too, and entries outlive their share until they age
-- out. AUTOINCREMENT: a removed share's number (and folder) is never given to another, so old entries never name it.
CREATE TABLE shares (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	token TEXT NOT NULL UNIQUE,
	title TEXT,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT,
	password_hash TEXT,
	allow_download INTEGER NOT NULL DEFAULT 0,
	keep_gps INTEGER NOT NULL DEFAULT 0,
	max_size INTEGER NOT NULL,
	dir TEXT NOT NULL
);
CREATE TABLE share_items (
	share_id INTEGER NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	file_id INTEGER,
	width INTEGER,
	height INTEGER,
	bytes INTEGER,
	sha256 TEXT,
	PRIMARY KEY (share_id, position),
	UNIQUE (share_id, name)
);
CREATE TABLE share_recipients (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	share_id INTEGER NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
CREATE INDEX share_recipients_share ON share_recipients(share_id);
CREATE TABLE share_access (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	share_id INTEGER,
	recipient_id INTEGER,
	client_address TEXT,
	forwarded_address TEXT,
	user_agent TEXT,
	method TEXT,
	path TEXT,
	action TEXT,
	item_name TEXT,
	status INTEGER NOT NULL
);
CREATE INDEX share_access_share_at ON share_access(share_id, at);
CREATE INDEX share_access_at ON share_access(at);
`,
	},
	{
		version: 18,
		name: 'duplicate clusters kept between searches',
		sql: `
-- Duplicate clusters as the last search found them (issue 15): at a million photos a search takes a minute, so
-- \`dupes\`, \`review\` and \`status\` show the kept clusters at once while nothing that can change them has changed.
-- dupe_state.generation counts such changes: triggers bump it when a file row is added or removed, when any of its
-- columns except the scan bookkeeping (first_seen_at, scanned_at, scan_id, decoded_fully) changes, and when a "not
-- duplicates" decision is made or taken back. A kept search counts only at the generation it was found at.
CREATE TABLE dupe_state (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
INSERT INTO dupe_state (id, generation) VALUES (1, 0);
-- One row per kept search; key holds its options (kind, sensitivity, radius, keeper rules, format).
CREATE TABLE dupe_searches (
	key TEXT PRIMARY KEY,
	generation INTEGER NOT NULL,
	clusters INTEGER NOT NULL,
	found_at TEXT NOT NULL
) WITHOUT ROWID;
-- Its clusters in the order the search gave them: what review sorts by beside the cluster as \`dupes --json\` prints it.
CREATE TABLE dupe_clusters (
	search TEXT NOT NULL REFERENCES dupe_searches(key) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	reclaimable INTEGER NOT NULL,
	members INTEGER NOT NULL,
	earliest TEXT,
	first_path TEXT NOT NULL,
	cluster TEXT NOT NULL,
	PRIMARY KEY (search, position)
) WITHOUT ROWID;
CREATE INDEX dupe_clusters_id ON dupe_clusters(search, id);
CREATE TRIGGER dupe_files_added AFTER INSERT ON files BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
CREATE TRIGGER dupe_files_removed AFTER DELETE ON files BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
CREATE TRIGGER dupe_files_changed AFTER UPDATE ON files WHEN
		OLD.path IS NOT NEW.path OR OLD.size IS NOT NEW.size OR OLD.mtime_ms IS NOT NEW.mtime_ms OR OLD.sha256 IS NOT NEW.sha256 OR OLD.content_hash IS NOT NEW.content_hash
		OR OLD.format IS NOT NEW.format OR OLD.kind IS NOT NEW.kind OR OLD.width IS NOT NEW.width OR OLD.height IS NOT NEW.height OR OLD.orientation IS NOT NEW.orientation
		OR OLD.taken_at IS NOT NEW.taken_at OR OLD.taken_at_source IS NOT NEW.taken_at_source OR OLD.make IS NOT NEW.make OR OLD.model IS NOT NEW.model OR OLD.lens IS NOT NEW.lens
		OR OLD.gps_lat IS NOT NEW.gps_lat OR OLD.gps_lon IS NOT NEW.gps_lon OR OLD.gps_alt IS NOT NEW.gps_alt OR OLD.keywords IS NOT NEW.keywords OR OLD.rating IS NOT NEW.rating
		OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.software IS NOT NEW.software OR OLD.live_photo_id IS NOT NEW.live_photo_id OR OLD.burst_id IS NOT NEW.burst_id
		OR OLD.phash IS NOT NEW.phash OR OLD.dhash IS NOT NEW.dhash OR OLD.thumb IS NOT NEW.thumb OR OLD.error IS NOT NEW.error OR OLD.status IS NOT NEW.status
		OR OLD.phash_rot IS NOT NEW.phash_rot OR OLD.signature IS NOT NEW.signature OR OLD.phash_crop IS NOT NEW.phash_crop OR OLD.signature_crop IS NOT NEW.signature_crop OR OLD.content_width IS NOT NEW.content_width
		OR OLD.content_height IS NOT NEW.content_height OR OLD.trashed_batch IS NOT NEW.trashed_batch OR OLD.frames IS NOT NEW.frames OR OLD.grey IS NOT NEW.grey
BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
CREATE TRIGGER dupe_decided AFTER INSERT ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
CREATE TRIGGER dupe_decision_changed AFTER UPDATE ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
CREATE TRIGGER dupe_decision_undone AFTER DELETE ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
`,
	},
	{
		version: 19,
		name: 'detail grids and window hashes for cropped copies',
		sql: `
-- A 32x32 grey grid of each picture (1,024 bytes), written by scan (issue 15): duplicate verification aligns a cropped
-- copy on it and compares what overlaps, which the 16x16 signature is too coarse for. NULL for files scanned before;
-- verification then falls back to the signatures, and \`curate scan --force\` fills it.
ALTER TABLE files ADD COLUMN detail BLOB;
-- The hashes of the signature's crop windows (72 bytes), so that finding uneven crops need not read every signature.
ALTER TABLE files ADD COLUMN window_hashes BLOB;
-- A changed grid or window hash can change what verification finds: the kept clusters (migration 18) must count it.
DROP TRIGGER dupe_files_changed;
CREATE TRIGGER dupe_files_changed AFTER UPDATE ON files WHEN
		OLD.path IS NOT NEW.path OR OLD.size IS NOT NEW.size OR OLD.mtime_ms IS NOT NEW.mtime_ms OR OLD.sha256 IS NOT NEW.sha256 OR OLD.content_hash IS NOT NEW.content_hash
		OR OLD.format IS NOT NEW.format OR OLD.kind IS NOT NEW.kind OR OLD.width IS NOT NEW.width OR OLD.height IS NOT NEW.height OR OLD.orientation IS NOT NEW.orientation
		OR OLD.taken_at IS NOT NEW.taken_at OR OLD.taken_at_source IS NOT NEW.taken_at_source OR OLD.make IS NOT NEW.make OR OLD.model IS NOT NEW.model OR OLD.lens IS NOT NEW.lens
		OR OLD.gps_lat IS NOT NEW.gps_lat OR OLD.gps_lon IS NOT NEW.gps_lon OR OLD.gps_alt IS NOT NEW.gps_alt OR OLD.keywords IS NOT NEW.keywords OR OLD.rating IS NOT NEW.rating
		OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.software IS NOT NEW.software OR OLD.live_photo_id IS NOT NEW.live_photo_id OR OLD.burst_id IS NOT NEW.burst_id
		OR OLD.phash IS NOT NEW.phash OR OLD.dhash IS NOT NEW.dhash OR OLD.thumb IS NOT NEW.thumb OR OLD.error IS NOT NEW.error OR OLD.status IS NOT NEW.status
		OR OLD.phash_rot IS NOT NEW.phash_rot OR OLD.signature IS NOT NEW.signature OR OLD.phash_crop IS NOT NEW.phash_crop OR OLD.signature_crop IS NOT NEW.signature_crop OR OLD.content_width IS NOT NEW.content_width
		OR OLD.content_height IS NOT NEW.content_height OR OLD.trashed_batch IS NOT NEW.trashed_batch OR OLD.frames IS NOT NEW.frames OR OLD.grey IS NOT NEW.grey
		OR OLD.detail IS NOT NEW.detail OR OLD.window_hashes IS NOT NEW.window_hashes
BEGIN
	UPDATE dupe_state SET generation = generation + 1;
END;
`,
	},
	{
		version: 20,
		name: 'review orders of kept duplicate clusters',
		sql: `
-- Where each kept cluster stands in each of review's orders (issue 15): review's first screen at a million photos read
-- every kept cluster's row (most of it the cluster's JSON) and sorted 154,131 clusters before showing one. Each order
-- has an index that holds what review counts by, so review reads its clusters in order from the index alone. Searches
-- kept before this have no orders: they are dropped, and the next search keeps its clusters again.
DELETE FROM dupe_clusters;
DELETE FROM dupe_searches;
ALTER TABLE dupe_clusters ADD COLUMN by_reclaim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dupe_clusters ADD COLUMN by_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dupe_clusters ADD COLUMN by_path INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dupe_clusters_by_reclaim ON dupe_clusters(search, by_reclaim, id, kind, reclaimable, members);
CREATE INDEX dupe_clusters_by_date ON dupe_clusters(search, by_date, id, kind, reclaimable, members);
CREATE INDEX dupe_clusters_by_path ON dupe_clusters(search, by_path, id, kind, reclaimable, members);
`,
	},
	{
		version: 21,
		name: 'drop the tags_tag index',
		sql: `
-- tags_review (tag, state, confidence) serves every lookup by tag that tags_tag (tag) served, and lookups by content
-- and tag go through the primary key (sha256, tag, source); EXPLAIN QUERY PLAN of every statement in source/db that
-- reads tags finds none that needs tags_tag. It cost every tag write an index entry for nothing.
DROP INDEX IF EXISTS tags_tag;
`,
	},
	{
		version: 22,
		name: 'kept duplicate clusters in a rowid table, by search id',
		sql: `
-- Kept clusters as a rowid table, the same columns (issue 15). WITHOUT ROWID, a row is stored in an index b-tree, which
-- keeps at most 1,002 bytes of it on a 4 KB page: most clusters' JSON is longer, so nearly every row took an overflow
-- page of its own, mostly empty. Keeping a search of 100,000 photos wrote 92 MB to the WAL for 18 MB of JSON (15,008
-- overflow pages, 48 MB of them unused); a table row holds up to 4,061 bytes in place. Kept searches are dropped, not
-- copied (at a million photos a copy is 150 MB more on a disk that may be nearly full): the next search keeps its
-- clusters again. The clusters' table goes first: deleting the searches first would delete every kept cluster row by row.
-- A search is also known by a small integer id now, not by its key: the key is its options as JSON (about 180 bytes),
-- and it was repeated in every cluster row and in every entry of the primary key and the four indexes, 190 MB at a
-- million photos (more than the clusters' JSON), all of it written at random places; keeping 176,828 clusters spent
-- 13.6 s of CPU in its insert. dupe_searches is recreated with the id (its rows were to be dropped anyway).
DROP TABLE dupe_clusters;
DROP TABLE dupe_searches;
CREATE TABLE dupe_searches (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	generation INTEGER NOT NULL,
	clusters INTEGER NOT NULL,
	found_at TEXT NOT NULL
);
CREATE TABLE dupe_clusters (
	search INTEGER NOT NULL REFERENCES dupe_searches(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	reclaimable INTEGER NOT NULL,
	members INTEGER NOT NULL,
	earliest TEXT,
	first_path TEXT NOT NULL,
	cluster TEXT NOT NULL,
	by_reclaim INTEGER NOT NULL DEFAULT 0,
	by_date INTEGER NOT NULL DEFAULT 0,
	by_path INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (search, position)
);
CREATE INDEX dupe_clusters_id ON dupe_clusters(search, id);
CREATE INDEX dupe_clusters_by_reclaim ON dupe_clusters(search, by_reclaim, id, kind, reclaimable, members);
CREATE INDEX dupe_clusters_by_date ON dupe_clusters(search, by_date, id, kind, reclaimable, members);
CREATE INDEX dupe_clusters_by_path ON dupe_clusters(search, by_path, id, kind, reclaimable, members);
`,
	},
	{
		version: 23,
		name: 'covering indexes for curate status and the home screen',
		sql: `
-- curate status read the whole files table seven times (issue 15): its tallies, totals, never-verified count, backup
-- coverage and places counts each scanned every row, and a row is about 2.2 KB (signatures, detail grid and window
-- hashes are stored inline), so each scan read about a page per photo: 4 GB at a million photos, 44 s of CPU in all.
-- The home screen read every row three more times for its kinds, cameras and folders.
-- files_summary holds every column those statements read, so each reads the index alone (about 180 bytes a photo);
-- error, trashed_batch and the GPS columns are NULL in nearly every row and cost a byte each there.
-- files_read_errors lists only the present files with a read error, by path: the first 20 without reading the rest.
-- test/db/status-plans.test.ts and test/db/home-plans.test.ts pin the plans.
CREATE INDEX files_summary ON files(status, format, taken_at, size, trashed_batch, error, gps_lat, gps_lon, sha256, kind, make, model, path);
CREATE INDEX files_read_errors ON files(path) WHERE status = 'present' AND error IS NOT NULL;
`,
	},
{
		version: 24,
		name: 'what changed since a kept duplicate search',
		sql: `
-- What changed since a kept duplicate search, so that it can be brought up to date without searching every photo
-- again (issue 15; source/dupes/refresh.ts): at a million photos a whole search takes a minute and a half, and any
-- change made the next one whole. A "not duplicates" decision, made or taken back, changes only whether photos of its
-- two contents may be linked; a photo that leaves the library (its row deleted, trashed, found missing) takes only its
-- own links with it; a photo added (or back, or changed, which is its old self leaving and its new self added) links
-- only to the photos its hashes find. dupe_decisions_changed lists the contents of each decision made, changed or taken
-- back, dupe_files_left each photo that left (where it was, its size and Live Photo id) and dupe_files_added each photo
-- added, at the generation the change made, while a search is kept (none is listed when there is none to bring up to
-- date). A change to a row that is not present, before and after, is not listed: dupe_state.rebuild_generation is the
-- generation of the last one, and a search kept before it is searched whole again, as is one kept before this
-- migration.
ALTER TABLE dupe_state ADD COLUMN rebuild_generation INTEGER NOT NULL DEFAULT 0;
UPDATE dupe_state SET rebuild_generation = generation;
CREATE TABLE dupe_decisions_changed (
	generation INTEGER NOT NULL,
	sha_a TEXT NOT NULL,
	sha_b TEXT NOT NULL
);
CREATE INDEX dupe_decisions_changed_generation ON dupe_decisions_changed(generation);
CREATE TABLE dupe_files_left (
	generation INTEGER NOT NULL,
	path TEXT NOT NULL,
	width INTEGER,
	height INTEGER,
	live_photo_id TEXT
);
CREATE INDEX dupe_files_left_generation ON dupe_files_left(generation);
CREATE TABLE dupe_files_added (
	generation INTEGER NOT NULL,
	file_id INTEGER NOT NULL
);
CREATE INDEX dupe_files_added_generation ON dupe_files_added(generation);
-- The photos a refresh searches must come with every file that may be their companion (source/dupes/units.ts): the
-- ones beside them with the same name, found through the path index, and a Live Photo's other half, found here.
CREATE INDEX files_live_photo_id ON files(live_photo_id) WHERE live_photo_id IS NOT NULL;
DROP TRIGGER dupe_files_added;
DROP TRIGGER dupe_files_removed;
DROP TRIGGER dupe_files_changed;
DROP TRIGGER dupe_decided;
DROP TRIGGER dupe_decision_changed;
DROP TRIGGER dupe_decision_undone;
-- In an UPDATE, every right-hand side reads the row as it was: generation + 1 is the old generation + 1 throughout.
CREATE TRIGGER dupe_files_added AFTER INSERT ON files BEGIN
	UPDATE dupe_state SET generation = generation + 1,
		rebuild_generation = CASE WHEN NEW.status IS 'present' THEN rebuild_generation ELSE generation + 1 END;
	INSERT INTO dupe_files_added (generation, file_id) SELECT generation, NEW.id FROM dupe_state
		WHERE id = 1 AND NEW.status IS 'present' AND EXISTS (SELECT 1 FROM dupe_searches);
END;
CREATE TRIGGER dupe_files_removed AFTER DELETE ON files BEGIN
	UPDATE dupe_state SET generation = generation + 1,
		rebuild_generation = CASE WHEN OLD.status IS 'present' THEN rebuild_generation ELSE generation + 1 END;
	INSERT INTO dupe_files_left (generation, path, width, height, live_photo_id) SELECT generation, OLD.path, OLD.width, OLD.height, OLD.live_photo_id
		FROM dupe_state WHERE id = 1 AND OLD.status IS 'present' AND EXISTS (SELECT 1 FROM dupe_searches);
END;
-- A present photo that changes leaves as it was and comes back as it is; one trashed (its row moves to the trash path:
-- source/journal/kinds/trash.ts) or found missing only leaves; one back from the trash or found again is added.
CREATE TRIGGER dupe_files_changed AFTER UPDATE ON files WHEN
		OLD.path IS NOT NEW.path OR OLD.size IS NOT NEW.size OR OLD.mtime_ms IS NOT NEW.mtime_ms OR OLD.sha256 IS NOT NEW.sha256 OR OLD.content_hash IS NOT NEW.content_hash
		OR OLD.format IS NOT NEW.format OR OLD.kind IS NOT NEW.kind OR OLD.width IS NOT NEW.width OR OLD.height IS NOT NEW.height OR OLD.orientation IS NOT NEW.orientation
		OR OLD.taken_at IS NOT NEW.taken_at OR OLD.taken_at_source IS NOT NEW.taken_at_source OR OLD.make IS NOT NEW.make OR OLD.model IS NOT NEW.model OR OLD.lens IS NOT NEW.lens
		OR OLD.gps_lat IS NOT NEW.gps_lat OR OLD.gps_lon IS NOT NEW.gps_lon OR OLD.gps_alt IS NOT NEW.gps_alt OR OLD.keywords IS NOT NEW.keywords OR OLD.rating IS NOT NEW.rating
		OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.software IS NOT NEW.software OR OLD.live_photo_id IS NOT NEW.live_photo_id OR OLD.burst_id IS NOT NEW.burst_id
		OR OLD.phash IS NOT NEW.phash OR OLD.dhash IS NOT NEW.dhash OR OLD.thumb IS NOT NEW.thumb OR OLD.error IS NOT NEW.error OR OLD.status IS NOT NEW.status
		OR OLD.phash_rot IS NOT NEW.phash_rot OR OLD.signature IS NOT NEW.signature OR OLD.phash_crop IS NOT NEW.phash_crop OR OLD.signature_crop IS NOT NEW.signature_crop OR OLD.content_width IS NOT NEW.content_width
		OR OLD.content_height IS NOT NEW.content_height OR OLD.trashed_batch IS NOT NEW.trashed_batch OR OLD.frames IS NOT NEW.frames OR OLD.grey IS NOT NEW.grey
		OR OLD.detail IS NOT NEW.detail OR OLD.window_hashes IS NOT NEW.window_hashes
BEGIN
	UPDATE dupe_state SET generation = generation + 1,
		rebuild_generation = CASE WHEN OLD.status IS 'present' OR NEW.status IS 'present' THEN rebuild_generation ELSE generation + 1 END;
	INSERT INTO dupe_files_left (generation, path, width, height, live_photo_id) SELECT generation, OLD.path, OLD.width, OLD.height, OLD.live_photo_id
		FROM dupe_state WHERE id = 1 AND OLD.status IS 'present' AND EXISTS (SELECT 1 FROM dupe_searches);
	INSERT INTO dupe_files_added (generation, file_id) SELECT generation, NEW.id FROM dupe_state
		WHERE id = 1 AND NEW.status IS 'present' AND EXISTS (SELECT 1 FROM dupe_searches);
END;
CREATE TRIGGER dupe_decided AFTER INSERT ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
	INSERT INTO dupe_decisions_changed (generation, sha_a, sha_b) SELECT generation, NEW.sha_a, NEW.sha_b FROM dupe_state WHERE id = 1 AND EXISTS (SELECT 1 FROM dupe_searches);
END;
CREATE TRIGGER dupe_decision_changed AFTER UPDATE ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
	INSERT INTO dupe_decisions_changed (generation, sha_a, sha_b) SELECT generation, OLD.sha_a, OLD.sha_b FROM dupe_state WHERE id = 1 AND EXISTS (SELECT 1 FROM dupe_searches);
	INSERT INTO dupe_decisions_changed (generation, sha_a, sha_b) SELECT generation, NEW.sha_a, NEW.sha_b FROM dupe_state WHERE id = 1 AND EXISTS (SELECT 1 FROM dupe_searches);
END;
CREATE TRIGGER dupe_decision_undone AFTER DELETE ON distinct_pairs BEGIN
	UPDATE dupe_state SET generation = generation + 1;
	INSERT INTO dupe_decisions_changed (generation, sha_a, sha_b) SELECT generation, OLD.sha_a, OLD.sha_b FROM dupe_state WHERE id = 1 AND EXISTS (SELECT 1 FROM dupe_searches);
END;
`,
	},
];
