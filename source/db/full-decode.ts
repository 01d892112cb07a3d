import {connectionOf} from './connection.js';
import type Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';

/**
 * Which HEICs a scan fingerprinted from their thumbnail item without decoding the full picture (issue 16), so
 * `curate verify --deep` knows what is left to decode, and records the ones it decoded.
 */
export class FullDecodeStore {
	private readonly statements: {
		pending: Database.Statement<[], {id: number}>;
		mark: Database.Statement<[number]>;
	};

	constructor(private readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.statements = {
			pending: db.prepare("SELECT id FROM files WHERE decoded_fully = 0 AND status = 'present'"),
			mark: db.prepare('UPDATE files SET decoded_fully = 1 WHERE id = ? AND decoded_fully = 0'),
		};
	}

	/** Ids of present files never decoded in full. */
	pending(): Set<number> {
		return new Set(this.statements.pending.all().map(row => row.id));
	}

	/** Records these files as decoded in full, in one transaction. */
	markDecoded(ids: readonly number[]): void {
		connectionOf(this.catalog).transaction(() => {
			for (const id of ids) {
				this.statements.mark.run(id);
			}
		})();
	}
}
