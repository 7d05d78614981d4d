/**
 * The parts the outage and maintenance forms share: the areas (checkboxes built from the
 * customers' areas and access points, and a free field with suggestions for the rest and for
 * "Plzeň*" prefixes), the services, the custom texts per language, local date-times, and
 * reading them back from a posted form with an error per field in the operator's language.
 */
import { html } from 'hono/html';
import { localDateTime } from '../domain/billing-month.js';
import { parseLocalDateTime } from '../domain/business-time.js';
import { OUTAGE_SERVICES } from '../domain/outages.js';
import type { Lang } from '../shared/lang.js';
import type { KnownArea } from '../store/console-outages.js';
import type { OperatorUser } from '../store/operators.js';
import type { Ctx } from './auth.js';
import type { Markup } from './layout.js';
import { ct, type ConsoleTextKey } from './texts.js';

export const MAX_TITLE = 200;
export const MAX_TEXT = 1000;
const MAX_AREAS = 200;
const MAX_AREA = 100;
const TEXT_LANGS: readonly Lang[] = ['cs', 'sk', 'en'];
/**
 * The texts' keys in the order PostgreSQL's jsonb keeps them (and the CLI writes them): an
 * outage's texts read back compare equal to the same texts sent again, so a repeated form is
 * no change.
 */
const STORED_ORDER: readonly Lang[] = ['cs', 'en', 'sk'];

/** What the operator entered (kept as typed, so a form with a mistake comes back filled in). */
export interface NoticeValues {
  title: string;
  areas: string[];
  services: string[];
  texts: Partial<Record<Lang, string>>;
}

/** Who acts in the console, as outages and maintenance record it. */
export const actorOf = (user: Pick<OperatorUser, 'username'>) => `console:${user.username}`;

/**
 * The notice after an action (`?done=...`), when the address names one of `known`: a fixed
 * list of texts, so a link cannot make the console say anything else.
 */
export function doneNotice(c: Ctx, lang: Lang, known: readonly string[], prefix: 'outages' | 'maintenance'): Markup | string {
  const done = c.req.query('done');
  if (!done || !known.includes(done)) return '';
  return html`<p class="notice" role="status">${ct(lang, `${prefix}.done.${done}` as ConsoleTextKey)}</p>`;
}

export const serviceLabel = (lang: Lang, service: string) =>
  (OUTAGE_SERVICES as readonly string[]).includes(service) ? ct(lang, `outages.service.${service}` as ConsoleTextKey) : service;

export const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The areas of a posted form: the ticked boxes (`area-N`) and the free field (`areasText`, comma-separated), each once. */
export function areasOf(form: Record<string, string>): string[] {
  const ticked = Object.entries(form)
    .filter(([k]) => /^area-\d+$/.test(k))
    .sort(([a], [b]) => Number(a.slice(5)) - Number(b.slice(5)))
    .map(([, v]) => v);
  const typed = (form.areasText ?? '').split(',');
  return [...new Set([...ticked, ...typed].map((a) => a.trim()).filter(Boolean))];
}

/** The services of a posted form (`service-internet=1`...), in the catalogue's order. */
export const servicesOf = (form: Record<string, string>): string[] => OUTAGE_SERVICES.filter((s) => form[`service-${s}`] === '1');

/** The custom texts of a posted form (`text-cs`...), the empty ones left out. */
export function textsOf(form: Record<string, string>): Partial<Record<Lang, string>> {
  const texts: Partial<Record<Lang, string>> = {};
  for (const lang of STORED_ORDER) {
    // Browsers send a textarea's line breaks as CRLF; the notices (and the CLI's) use LF.
    const value = (form[`text-${lang}`] ?? '').replace(/\r\n?/g, '\n').trim();
    if (value) texts[lang] = value;
  }
  return texts;
}

/** The mistakes in areas, services, title and texts, in the operator's language (none: empty). */
export function noticeProblems(lang: Lang, v: NoticeValues, opts: { title?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (v.areas.length === 0) problems.push(ct(lang, 'outages.error.noArea'));
  if (v.areas.length > MAX_AREAS || v.areas.some((a) => a.length > MAX_AREA)) problems.push(ct(lang, 'outages.error.areaTooLong', { max: MAX_AREA }));
  if (v.services.length === 0) problems.push(ct(lang, 'outages.error.noService'));
  if (opts.title && v.title.length > MAX_TITLE) problems.push(ct(lang, 'outages.error.titleTooLong', { max: MAX_TITLE }));
  if (Object.values(v.texts).some((t) => (t ?? '').length > MAX_TEXT)) problems.push(ct(lang, 'outages.error.textTooLong', { max: MAX_TEXT }));
  return problems;
}

/** A local date and time as the form sends it ("2026-11-24T14:30", or "24. 11. 2026 14:30" typed by hand). */
export function parseWhen(text: string, timeZone: string): Date | null {
  return parseLocalDateTime(text.trim(), timeZone);
}

/** An instant as a datetime-local field's value, in the company's time zone. */
export function whenValue(at: Date | null | undefined, timeZone: string): string {
  if (!at) return '';
  const { date, time } = localDateTime(at, timeZone);
  return `${date}T${time}`;
}

/** The mistakes, as one alert. */
export function problemsAlert(problems: readonly string[]): Markup | string {
  if (problems.length === 0) return '';
  return html`<div class="notice error" role="alert"><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
}

/** The areas fieldset: a box per known area and access point (with its customers), then a free field with suggestions. */
export function areasFieldset(lang: Lang, known: readonly KnownArea[], selected: readonly string[], id: string): Markup {
  const chosen = new Set(selected);
  const knownNames = new Set(known.map((k) => k.name));
  const extra = selected.filter((a) => !knownNames.has(a));
  let index = 0;
  const group = (kind: KnownArea['kind'], legend: ConsoleTextKey) => {
    const items = known.filter((k) => k.kind === kind);
    if (items.length === 0) return '';
    return html`<fieldset class="picks"><legend>${ct(lang, legend)}</legend><div class="pick-list">${items.map((k) => {
      const n = index++;
      return html`<div class="check"><input type="checkbox" id="${id}-a${n}" name="area-${n}" value="${k.name}"${chosen.has(k.name) ? html` checked` : ''}> <label for="${id}-a${n}">${ct(lang, 'outages.areaCount', { name: k.name, count: k.customers })}</label></div>`;
    })}</div></fieldset>`;
  };
  return html`<fieldset class="group"><legend>${ct(lang, 'outages.areas')}</legend>
${known.length === 0 ? html`<p class="hint">${ct(lang, 'outages.noKnownAreas')}</p>` : ''}
${group('area', 'outages.knownAreas')}
${group('accessPoint', 'outages.knownAccessPoints')}
<label for="${id}-more">${ct(lang, 'outages.moreAreas')}</label>
<input type="text" id="${id}-more" name="areasText" list="${id}-known" maxlength="2000" value="${extra.join(', ')}" aria-describedby="${id}-more-hint">
<p class="hint" id="${id}-more-hint">${ct(lang, 'outages.moreAreasHint')}</p>
<datalist id="${id}-known">${[...knownNames].map((name) => html`<option value="${name}"></option>`)}</datalist>
</fieldset>`;
}

/** The services fieldset: a box per service. */
export function servicesFieldset(lang: Lang, selected: readonly string[], id: string): Markup {
  return html`<fieldset class="group"><legend>${ct(lang, 'outages.services')}</legend><div class="pick-list">${OUTAGE_SERVICES.map(
    (s) =>
      html`<div class="check"><input type="checkbox" id="${id}-s-${s}" name="service-${s}" value="1"${selected.includes(s) ? html` checked` : ''}> <label for="${id}-s-${s}">${serviceLabel(lang, s)}</label></div>`,
  )}</div></fieldset>`;
}

/** The optional custom texts, one per language. */
export function textsFields(lang: Lang, texts: Partial<Record<Lang, string>>, id: string, hint: ConsoleTextKey): Markup {
  return html`<fieldset class="group"><legend>${ct(lang, 'outages.texts')}</legend>
<p class="hint">${ct(lang, hint)}</p>
${TEXT_LANGS.map(
  (l) =>
    html`<label for="${id}-t-${l}">${ct(lang, `outages.text.${l}` as ConsoleTextKey)}</label><textarea id="${id}-t-${l}" name="text-${l}" maxlength="${MAX_TEXT}">${texts[l] ?? ''}</textarea>`,
)}
</fieldset>`;
}

/** The values as hidden fields, for the form that acts on what was previewed. */
export function hiddenNoticeFields(v: NoticeValues): Markup {
  return html`<input type="hidden" name="title" value="${v.title}">
${v.areas.map((a, i) => html`<input type="hidden" name="area-${i}" value="${a}">`)}
${v.services.map((s) => html`<input type="hidden" name="service-${s}" value="1">`)}
${TEXT_LANGS.map((l) => (v.texts[l] ? html`<input type="hidden" name="text-${l}" value="${v.texts[l]}">` : ''))}`;
}
