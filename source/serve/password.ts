/**
 * The password of a share (issue 20): checked against the catalog's `scrypt$N$r$p$salt$hash` in constant time, and
 * wrong guesses limited per client and share.
 */
import {verifyPassword} from '../share/secret.js';

/** Whether `password` matches the share's stored hash (scrypt, constant-time: `curate share`'s own check). */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
	return verifyPassword(stored, password);
}

/** Wrong passwords allowed per client and share within `attemptWindowMs`; the next one is refused with 429. */
export const maxAttempts = 5;
/** The window of `maxAttempts`: fifteen minutes. */
export const attemptWindowMs = 15 * 60 * 1000;

/**
 * Counts wrong passwords per client and share, in memory (a restart forgets them, as it forgets the sessions). Only
 * failures count: a visitor who types the password right is never held back by someone else's guesses.
 */
export class AttemptLimiter {
	readonly #failures = new Map<string, number[]>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly max = maxAttempts,
		private readonly windowMs = attemptWindowMs,
	) {}

	/** Milliseconds until `key` may try again, or 0 when it may try now. */
	wait(key: string): number {
		const recent = this.#recent(key);
		return recent.length < this.max ? 0 : recent[0]! + this.windowMs - this.now();
	}

	/** Records a wrong password for `key`. */
	fail(key: string): void {
		const recent = this.#recent(key);
		recent.push(this.now());
		this.#failures.set(key, recent);
		if (this.#failures.size > 10_000) {
			this.#prune();
		}
	}

	#recent(key: string): number[] {
		const since = this.now() - this.windowMs;
		return (this.#failures.get(key) ?? []).filter(at => at > since);
	}

	#prune(): void {
		for (const key of [...this.#failures.keys()]) {
			if (this.#recent(key).length === 0) {
				this.#failures.delete(key);
			}
		}
	}
}
