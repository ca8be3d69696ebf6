"""The web chat's stylesheet and scripts.

Colours meet WCAG AA (4.5:1) on Gradio's light and dark backgrounds; `tests/test_ui.py` measures
them in both themes.
"""

from __future__ import annotations

CSS = """
#title h1 { margin: 0.2em 0 0; font-size: 1.6em; }
#intro p { margin: 0 0 0.4em; color: #374151; }
.dark #intro p { color: #e5e7eb; }
.cite-marker { font-size: 0.8em; vertical-align: super; padding: 0 0.2em; margin: 0 0.05em;
  border: 1px solid #1d4ed8; border-radius: 4px; background: #eff6ff; color: #1e3a8a;
  cursor: pointer; line-height: 1.2; }
.dark .cite-marker { background: #1e3a8a; color: #f8fafc; border-color: #93c5fd; }
.cite-marker.pending { cursor: default; opacity: 1; border-style: dashed; }
.ungrounded { font-weight: 600; }
.citation-card { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.5em;
  margin-bottom: 0.5em; }
.citation-card.selected { border-color: #1d4ed8; border-width: 2px; }
.citation-meta { font-size: 0.85em; color: #374151; }
.dark .citation-meta { color: #d1d5db; }
.article-text { white-space: pre-wrap; font-family: var(--font); line-height: 1.5; }
mark.quote { background: #ffe680; color: #000; padding: 0 0.1em; }
.problem { color: #b91c1c; }
.dark .problem { color: #fca5a5; }
.hint { color: #374151; }
.dark .hint { color: #e5e7eb; }
.copy-text { display: none; }
.copy-button, .back-to-chat { font-size: 0.8em; border: 1px solid #6b7280; border-radius: 4px;
  background: #f9fafb; color: #111827; padding: 0.1em 0.5em; margin: 0.3em 0.3em 0 0; cursor: pointer; }
.dark .copy-button, .dark .back-to-chat { background: #1f2937; color: #f9fafb; border-color: #9ca3af; }
.back-to-chat { display: none; }
/* Markers are buttons: at least 24 x 24 px (WCAG 2.5.8), 32 px where fingers tap. */
.cite-marker { display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px; box-sizing: border-box; vertical-align: baseline; }
@media (pointer: coarse) { .cite-marker { min-width: 32px; min-height: 32px; } }
#filter-note p { margin: 0.2em 0; font-size: 0.9em; }
/* A phone: the question box on the first screen, one scroll area (the page and the chat), the
   quote brought to the middle, and "Back to the answer" always at hand. */
@media (max-width: 900px) {
  #title h1 { font-size: 1.25em; }
  #intro p { font-size: 0.9em; }
  #chat { height: min(520px, 42vh) !important; }
  #citations .html-container, #article .html-container { max-height: none !important;
    overflow: visible !important; }
  .back-to-chat { display: inline-block; position: fixed; right: 12px; bottom: 12px; z-index: 50;
    min-height: 44px; padding: 0.4em 0.9em; font-size: 0.95em; box-shadow: 0 1px 4px #0004; }
}
table.sources { width: 100%; table-layout: fixed; }
table.sources td, table.sources th { padding: 0.2em 0.6em; text-align: left; overflow-wrap: anywhere; }
table.sources th:last-child, table.sources td:last-child { width: 4.5em; }
.citation-path { font-size: 0.85em; }
.citation-path summary { cursor: pointer; color: #374151; }
.dark .citation-path summary { color: #d1d5db; }
.citation-path code { overflow-wrap: anywhere; }
.agreement { font-size: 0.9em; border-left: 3px solid; padding: 0.2em 0.6em; margin-top: 0.4em; }
.agreement.agree { border-color: #16a34a; }
.agreement.conflict { border-color: #dc2626; }
.agreement.figures { border-color: #d97706; }
.speaker { font-weight: 600; }
"""

# Markers and copy buttons live inside the chat and the panels (other components), so one
# document-level listener handles them: a marker's click, with its turn and citation number,
# becomes this panel's click event; a copy button copies the clean text kept beside it.
CLICK_JS = r"""
if (window.__citeClick) document.removeEventListener('click', window.__citeClick, true);
window.__copyText = async (text) => {
  try { await navigator.clipboard.writeText(text); return; } catch (e) { /* below */ }
  const area = document.createElement('textarea');
  area.value = text; document.body.appendChild(area); area.select();
  document.execCommand('copy'); area.remove();
};
window.__citeClick = (event) => {
  const target = event.target.closest ? event.target : null;
  const copy = target && target.closest('.copy-button');
  if (copy) {
    event.preventDefault();
    const holder = copy.closest('.citation-card, .message, [data-testid="bot"]') || copy.parentElement;
    const kept = holder.querySelector('.copy-text');
    if (kept) window.__copyText(kept.textContent).then(() => {
      const label = copy.textContent; copy.textContent = 'Copied';
      setTimeout(() => { copy.textContent = label; }, 1500);
    });
    return;
  }
  if (target && target.closest('.back-to-chat')) {
    event.preventDefault();
    document.querySelector('#chat').scrollIntoView({block: 'start'});
    return;
  }
  const marker = target && target.closest('.cite-marker');
  const match = marker && /\bcite-(\d+)-(\d+)\b/.exec(marker.className);
  if (!match) return;
  event.preventDefault();
  trigger('click', {turn: Number(match[1]), cite: Number(match[2])});
};
document.addEventListener('click', window.__citeClick, true);
"""

# Scroll the article's own box to the quote, then the page only as far as needed to show it
# (a phone, where the article sits below the chat): the desktop page stays where it was.
SCROLL_TO_QUOTE_JS = """
watch('value', () => {
  const quote = element.querySelector('mark.quote');
  const box = quote && quote.closest('.html-container');
  if (!box) return;
  if (box.scrollHeight > box.clientHeight + 1) {  // the article's own box scrolls (desktop)
    const offset = quote.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - box.clientHeight / 3;
    requestAnimationFrame(() => quote.scrollIntoView({block: 'nearest'}));
  } else {  // a phone: the page scrolls, and the quote comes to the middle of the screen
    requestAnimationFrame(() => quote.scrollIntoView({block: 'center'}));
  }
});
"""

# The passages panel follows the chosen marker: its card is scrolled into the panel's own box
# (the page itself stays where it is).
FOLLOW_CARD_JS = """
watch('value', () => {
  const card = element.querySelector('.citation-card.selected');
  const box = card && card.closest('.html-container');
  if (!box || box.scrollHeight <= box.clientHeight + 1) return;
  const top = card.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.scrollTop += top - 8;
});
"""
