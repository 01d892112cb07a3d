/**
 * The gallery's only style sheet and script, inline and fixed (issue 20: no external assets), so the
 * Content-Security-Policy can allow exactly these two by hash and nothing else: no other script, no other style, no
 * images but the share's own, no frames, no form posting anywhere but back to the share.
 */
import {createHash} from 'node:crypto';

/** The style sheet of every page. */
export const css = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#121212;color:#eee}
body.open{overflow:hidden}
header{padding:16px 12px 8px}
h1{font-size:1.25rem;margin:0 0 4px;overflow-wrap:anywhere}
.meta{margin:0;color:#aaa;font-size:.875rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(104px,1fr));gap:4px;padding:4px}
@media (min-width:700px){.grid{grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:6px;padding:6px 12px}}
.cell{display:block;aspect-ratio:1;background:#222;overflow:hidden;border-radius:2px}
.cell:focus-visible{outline:3px solid #6af;outline-offset:-3px}
.cell img{width:100%;height:100%;object-fit:cover;display:block}
.viewer{position:fixed;inset:0;background:#000;display:flex;align-items:center;justify-content:center;touch-action:pan-y}
.viewer[hidden]{display:none}
.viewer img{width:100%;height:100%;object-fit:contain;user-select:none;-webkit-user-select:none}
.top,.bottom{position:absolute;left:0;right:0;display:flex;align-items:center;gap:8px;padding:8px;background:rgba(0,0,0,.55)}
.top{top:0}.bottom{bottom:0}
.caption{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:.875rem;color:#ccc}
button,.button{font:inherit;color:#fff;background:rgba(255,255,255,.14);border:0;border-radius:6px;padding:8px 14px;min-width:44px;min-height:44px;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;justify-content:center}
button:hover,.button:hover{background:rgba(255,255,255,.26)}
.nav{position:absolute;top:50%;transform:translateY(-50%);width:48px;height:48px;padding:0;border-radius:50%;font-size:2rem;line-height:1;background:rgba(50,50,50,.7)}
.prev{left:6px}.next{right:6px}
.plain{max-width:32rem;margin:18vh auto 0;padding:0 20px}
.plain h1{font-size:1.4rem}
form{display:flex;flex-direction:column;gap:10px;margin-top:16px}
input{font:inherit;padding:10px;border-radius:6px;border:1px solid #555;background:#1e1e1e;color:#eee;width:100%}
.error{color:#ff8a80}
`;

/** The viewer: a large view over the grid, ←/→/Esc and swipes. It loads only the photo shown, so the log says what was viewed. */
export const script = `(() => {
const cells = [...document.querySelectorAll('.cell')];
const viewer = document.getElementById('viewer');
if (!viewer || cells.length === 0) return;
const image = document.getElementById('viewer-image');
const caption = document.getElementById('caption');
const download = document.getElementById('download');
let current = -1;
function show(index) {
	current = (index + cells.length) % cells.length;
	const cell = cells[current];
	image.src = cell.getAttribute('href');
	image.alt = cell.dataset.name;
	caption.textContent = (current + 1) + ' / ' + cells.length + ' · ' + cell.dataset.name;
	if (download) download.href = cell.dataset.download;
	viewer.hidden = false;
	document.body.classList.add('open');
}
function close() {
	viewer.hidden = true;
	document.body.classList.remove('open');
	image.removeAttribute('src');
	cells[current].focus();
}
cells.forEach((cell, index) => cell.addEventListener('click', event => {
	if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
	event.preventDefault();
	show(index);
}));
document.getElementById('prev').addEventListener('click', () => show(current - 1));
document.getElementById('next').addEventListener('click', () => show(current + 1));
document.getElementById('close').addEventListener('click', close);
document.addEventListener('keydown', event => {
	if (viewer.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
	if (event.key === 'ArrowRight') show(current + 1);
	else if (event.key === 'ArrowLeft') show(current - 1);
	else if (event.key === 'Escape') close();
	else return;
	event.preventDefault();
});
let start;
viewer.addEventListener('touchstart', event => {
	start = event.touches.length === 1 ? {x: event.touches[0].clientX, y: event.touches[0].clientY} : undefined;
}, {passive: true});
viewer.addEventListener('touchend', event => {
	if (!start) return;
	const dx = event.changedTouches[0].clientX - start.x;
	const dy = event.changedTouches[0].clientY - start.y;
	start = undefined;
	if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
	else if (dy > 80 && dy > 1.5 * Math.abs(dx)) close();
}, {passive: true});
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The Content-Security-Policy of every response: only the inline style and script above, images from the share. */
export const contentSecurityPolicy = [
	"default-src 'none'",
	`style-src ${hash(css)}`,
	`script-src ${hash(script)}`,
	"img-src 'self'",
	"form-action 'self'",
	"base-uri 'none'",
	"frame-ancestors 'none'",
].join('; ');
