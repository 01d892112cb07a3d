/** The HTML of the share pages (issue 20): the gallery, the password form and the plain refusals. */
import {css, script} from './assets.js';
import type {ShareItem} from './types.js';

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
	return text.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`);
}

function page(title: string, body: string, withScript = false): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
${withScript ? `<script>${script}</script>\n` : ''}</body>
</html>
`;
}

/** What the gallery shows. */
export type GalleryPage = {
	readonly title: string;
	readonly items: readonly ShareItem[];
	readonly expiresAt: string;
	readonly allowDownload: boolean;
	/** What makes a link relative to the request's URL reach the share (`TOKEN/` from `/s/TOKEN`, `` from `/s/TOKEN/`). */
	readonly prefix: string;
};

/** When a share ends, as a visitor reads it. */
function shownTime(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The gallery: a grid of thumbnails, each a link to its large view, and the viewer the script opens. */
export function galleryPage({title, items, expiresAt, allowDownload, prefix}: GalleryPage): string {
	const cells = items
		.map((item, index) => {
			const name = encodeURIComponent(item.name);
			const download = allowDownload ? ` data-download="${escapeHtml(`${prefix}download/${name}`)}"` : '';
			// The first screens load at once (a phone shows about 24); the rest as they scroll into view.
			const lazy = index >= 24 ? ' loading="lazy"' : '';
			return `<a class="cell" href="${escapeHtml(`${prefix}large/${name}`)}" data-name="${escapeHtml(item.name)}"${download}><img src="${escapeHtml(`${prefix}thumb/${name}`)}" alt="${escapeHtml(item.name)}" decoding="async"${lazy}></a>`;
		})
		.join('\n');
	const count = `${items.length} ${items.length === 1 ? 'photo' : 'photos'}`;
	const downloadButton = allowDownload ? '<a class="button" id="download" download>Download</a>' : '';
	return page(
		title,
		`<header><h1>${escapeHtml(title)}</h1><p class="meta">${count} · link valid until ${escapeHtml(shownTime(expiresAt))}</p></header>
<main class="grid">
${cells}
</main>
<div class="viewer" id="viewer" hidden role="dialog" aria-modal="true" aria-label="Photo">
<img id="viewer-image" alt="">
<div class="top"><span class="caption" id="caption"></span>${downloadButton}<button type="button" id="close" aria-label="Close">✕</button></div>
<button type="button" class="nav prev" id="prev" aria-label="Previous photo">‹</button>
<button type="button" class="nav next" id="next" aria-label="Next photo">›</button>
</div>`,
		true,
	);
}

/** The password form of a protected share, with a line saying why it is shown again. */
export function passwordPage(options: {readonly title: string; readonly prefix: string; readonly message?: string}): string {
	const message = options.message ? `<p class="error" role="alert">${escapeHtml(options.message)}</p>` : '';
	return page(
		options.title,
		`<main class="plain"><h1>${escapeHtml(options.title)}</h1><p>These photos are protected by a password.</p>${message}
<form method="post" action="${escapeHtml(`${options.prefix}login`)}">
<input type="password" name="password" aria-label="Password" placeholder="Password" autocomplete="current-password" required autofocus>
<button type="submit">Show the photos</button>
</form></main>`,
	);
}

/** A plain page with one heading and one line: 404, 410, 429. */
export function plainPage(heading: string, line: string): string {
	return page(heading, `<main class="plain"><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(line)}</p></main>`);
}
