/**
 * The console's page frame: head (stylesheet and script from /console/assets, nothing inline),
 * the navigation by role, who is signed in, and the sign-out forms. Everything interpolated is
 * escaped by hono's `html` template.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Lang } from '../shared/lang.js';
import { assetUrl } from './assets.js';
import { ct, type ConsoleTextKey } from './texts.js';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Who is signed in, as the frame shows them. */
export interface Viewer {
  displayName: string;
  role: string;
  csrfToken: string;
}

const NAV: Array<{ href: string; key: ConsoleTextKey; admin?: boolean }> = [
  { href: '/console/dashboard', key: 'nav.dashboard' },
  { href: '/console/tickets', key: 'nav.tickets' },
  { href: '/console/customers', key: 'nav.customers' },
  { href: '/console/outages', key: 'nav.outages' },
  { href: '/console/statements', key: 'nav.statements' },
  { href: '/console/users', key: 'nav.users', admin: true },
];

/** A choice of a <select>, chosen when its value is `selected`. */
export function option(value: string, label: string, selected: string | undefined): Markup {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

/** A hidden field with the CSRF token: every form that POSTs carries one. */
export function csrfField(token: string): Markup {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function page(opts: { lang: Lang; title: string; body: Markup; viewer?: Viewer; current?: string; charts?: boolean }): Markup {
  const { lang, viewer } = opts;
  const nav = viewer
    ? html`<nav class="main" aria-label="${ct(lang, 'nav.label')}"><ul>${NAV.filter((n) => !n.admin || viewer.role === 'admin').map(
        (n) => html`<li><a href="${n.href}"${opts.current === n.href ? html` aria-current="page"` : ''}>${ct(lang, n.key)}</a></li>`,
      )}</ul></nav>
      <div class="who"><a href="/console/me" title="${ct(lang, 'me.title')}">${viewer.displayName} (${ct(lang, `role.${viewer.role}` as ConsoleTextKey)})</a>
        <form method="post" action="/console/logout">${csrfField(viewer.csrfToken)}<button type="submit" class="link">${ct(lang, 'auth.signOut')}</button></form>
        <form method="post" action="/console/logout-everywhere">${csrfField(viewer.csrfToken)}<button type="submit" class="link">${ct(lang, 'auth.signOutEverywhere')}</button></form>
      </div>`
    : '';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} – ${ct(lang, 'app.title')}</title>
<link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl('console.css')}">
${
  opts.charts
    ? html`<script src="${assetUrl('chart.js')}" defer></script>
`
    : ''
}<script src="${assetUrl('console.js')}" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/console">${ct(lang, 'app.title')}</a>${nav}</header>
<main>
<h1>${opts.title}</h1>
${opts.body}
</main>
</body>
</html>`;
}

/** A page that only says something (an error, a refusal). */
export function messagePage(lang: Lang, title: string, text: string, viewer?: Viewer): Markup {
  return page({ lang, title, viewer, body: html`<p class="notice error" role="alert">${text}</p><p><a href="/console">${ct(lang, 'nav.tickets')}</a></p>` });
}
