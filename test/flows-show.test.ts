// `linka flows show`: a flow drawn for the operator, as text or as a Mermaid flowchart that the
// real Mermaid parser (the mermaid package, in a jsdom window) accepts, for every flow and
// language, also when a configured text holds the characters that end a Mermaid label.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flowMermaid, flowText } from '../src/engine/flow-drawing.js';
import { builtInFlows } from '../src/config/flows.js';

const flows = builtInFlows();
import { useTexts } from '../src/messages/index.js';
import type { Lang } from '../src/shared/lang.js';
import { runLinka } from './helpers/run-linka.js';

type Mermaid = { parse(text: string): Promise<unknown>; initialize(config: object): void };
let mermaid: Mermaid;

beforeAll(async () => {
  // Mermaid's parser runs in a browser; jsdom's window is enough for parsing (nothing is drawn).
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
  mermaid.initialize({ startOnLoad: false });
});
afterEach(() => useTexts({}));

const draw = (lang: Lang, waitMinutes = 3) => ({ lang, waitMinutes, params: { company: 'Linka ISP', phone: '+420 377 000 000' } });

describe('linka flows show', () => {
  it('draws every flow in every language as Mermaid the real parser accepts', async () => {
    for (const flow of Object.values(flows))
      for (const lang of ['cs', 'sk', 'en'] as const) {
        const text = flowMermaid(flow, draw(lang));
        await expect(mermaid.parse(text), `${flow.id} ${lang}`).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
      }
  });

  it('checks what it is given: the parser refuses a label that a quote ends early', async () => {
    // What the drawing would be without escaping: a question and an answer quoting the customer's word.
    await expect(mermaid.parse('flowchart TD\n  a{{"Napište "hotovo" teď"}} --> b\n')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('flowchart TD\n  a -->|"řekněte "ano" hned"| b\n')).rejects.toThrow(/Parse error/);
  });

  it('keeps a configured text with quotes, angle brackets and ampersands inside its label', async () => {
    useTexts({ cs: { 'checklist.unplug': 'Napište "hotovo", až odpojíte <vše> & počkáte: {devices}.', 'checklist.unplugDone': 'Řekněte "ano"' } });
    const text = flowMermaid(flows.internet as (typeof flows)[string], draw('cs'));
    expect(text).toContain('Napište #quot;hotovo#quot;, až odpojíte #lt;vše#gt; #amp; počkáte');
    expect(text).toContain('s_unplug -->|"Řekněte #quot;ano#quot;"| s_plugBack');
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });

  it('shows the steps, answers, the timer with the configured wait, and where the ticket opens', () => {
    const internet = flows.internet as (typeof flows)[string];
    const text = flowMermaid(internet, draw('en', 7));
    expect(text.split('\n')[0]).toBe('flowchart TD');
    expect(text).toContain('start(("No internet")) --> s_unplug');
    expect(text).toMatch(/s_plugBack\[\/"plugBack · wait 7 min<br\/>Great\. Now plug everything back in/);
    expect(text).toContain('s_plugBack -->|"after 7 min"| s_worksNow');
    expect(text).toContain('s_unplug -->|"Done, unplugged"| s_plugBack');
    expect(text).toContain('s_summary -->|"Yes, send it"| s_openTicket');
    expect(text).toContain('s_openTicket[["openTicket · opens a ticket"]]');
    // Every step is a node, and every answer leads to a step of the flow.
    for (const name of Object.keys(internet.steps)) expect(text).toMatch(new RegExp(`\\n {2}s_${name}[[({/]`));
  });

  it('lists the same as text, each answer with the step it leads to', () => {
    const wifi = flows.wifi as (typeof flows)[string];
    const text = flowText(wifi, draw('cs'));
    expect(text.split('\n')[0]).toBe(`wifi (version ${wifi.version}, kategorie wifi): Nefunguje domácí Wi-Fi`);
    expect(text).toContain('  plugBack [čekání 3 min]: Výborně. Teď vše znovu zapojte');
    expect(text).toContain('    "po 3 min" -> worksNow');
    expect(text).toContain('  cableWorks [otázka s možnostmi]: ');
    expect(text).toContain('    "Nemohu / nevím jak" -> cableWorks');
    expect(text).toContain('  openTicket [založí požadavek]');
  });

  it('is drawn in the README as the command draws it (the built-in internet checklist, in English)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- flow:[^>]*-->\n```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(flowMermaid(flows.internet as (typeof flows)[string], draw('en')));
  });

  it('is the command: text by default, --format mermaid, and an unknown flow named with the flows there are', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const [plain, chart, unknown] = await Promise.all([
      runLinka(['flows', 'show', 'internet', '--lang', 'en'], { env }),
      runLinka(['flows', 'show', 'internet', '--format', 'mermaid'], { env }),
      runLinka(['flows', 'show', 'internte'], { env }),
    ]);
    expect(plain).toEqual({ code: 0, stdout: flowText(flows.internet as (typeof flows)[string], draw('en')), stderr: '' });
    expect(chart).toEqual({ code: 0, stdout: flowMermaid(flows.internet as (typeof flows)[string], draw('cs')), stderr: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no flow "internte"; the flows are internet, main, other, voip, wifi (linka flows list)');
  }, 60_000);
});
