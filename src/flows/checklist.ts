/**
 * The restart checklist (docs/domain.md, "The restart checklist"), shared by the internet, VoIP and
 * Wi-Fi flows: unplug every device for 10 s, plug back and wait (checklist.waitMinutes), restart
 * the computers; still broken -> collect what a technician needs -> open a ticket.
 */
import type { ChoiceDef, FlowDef, StepDef } from '../engine/flow.js';

/** How one problem's checklist differs from the others. */
export interface ChecklistSpec {
  id: string;
  version: number;
  category: string;
  title: string;
  /** Message key listing the devices to unplug for this problem. */
  devices: string;
  /** Message key of the "does it work now?" question for this problem. */
  worksNow: string;
  /** Extra steps asked after the checklist failed, before the details (first one is entered). */
  extraSteps?: Record<string, StepDef>;
  extraStart?: string;
  /** Extra answer names listed in summaries, after the checklist ones. */
  extraSummary?: string[];
}

const yes = (next: string, set?: Record<string, string>): ChoiceDef => ({ id: 'yes', label: 'choice.yesWorks', match: ['yes', 'works'], next, set });
const no = (next: string): ChoiceDef => ({ id: 'no', label: 'choice.noStillBroken', match: ['no', 'notWorks'], next });
const giveUp = (next: string): ChoiceDef => ({ ...no(next), say: 'collect.intro' });

/** "Since when?": free text, or one of the quick answers. */
export function sinceStep(next: string): StepDef {
  return {
    kind: 'input',
    prompt: 'collect.since',
    field: 'since',
    minLength: 2,
    retry: 'collect.sinceRetry',
    next,
    quick: [
      { id: 'today', label: 'collect.since.today', next },
      { id: 'yesterday', label: 'collect.since.yesterday', next },
      { id: 'longer', label: 'collect.since.longer', next },
    ],
  };
}

/**
 * The recap before a ticket is opened: send it, or go back to `editFrom` to correct it.
 * Over SMS the ticket is opened at once (the recap and its answer cost two billed messages;
 * the customer can still add or correct anything by writing to the open ticket).
 */
export function summaryStep(editFrom: string): StepDef {
  return {
    kind: 'summary',
    prompt: 'collect.summary',
    sms: { kind: 'openTicket' },
    choices: [
      { id: 'send', label: 'collect.send', match: ['yes', 'done', 'odeslat', 'poslat', 'odoslat', 'send'], next: 'openTicket' },
      { id: 'edit', label: 'collect.edit', match: ['opravit', 'upravit', 'edit', 'zmenit'], next: editFrom },
    ],
  };
}

/** The details every checklist ticket needs: since when, lights, devices, description. */
export const collectSteps: Record<string, StepDef> = {
  since: sinceStep('lights'),
  lights: {
    kind: 'choice',
    prompt: 'collect.lights',
    field: 'lights',
    freeText: 'devices',
    choices: [
      { id: 'off', label: 'collect.lights.off', match: ['nesviti', 'zhasnute', 'nesvieti', 'dark'], next: 'devices' },
      { id: 'red', label: 'collect.lights.red', match: ['cervena', 'cervene', 'red'], next: 'devices' },
      { id: 'blinking', label: 'collect.lights.blinking', match: ['blika', 'blinking'], next: 'devices' },
      { id: 'normal', label: 'collect.lights.normal', match: ['zelene', 'zelena', 'green', 'normal'], next: 'devices' },
      { id: 'unknown', label: 'collect.lights.unknown', match: ['dontKnow'], next: 'devices' },
    ],
  },
  devices: {
    kind: 'choice',
    prompt: 'collect.devices',
    field: 'devices',
    freeText: 'description',
    choices: [
      { id: 'all', label: 'collect.devices.all', match: ['vsechna', 'vsetky', 'all'], next: 'description' },
      { id: 'some', label: 'collect.devices.some', match: ['nektera', 'niektore', 'some'], next: 'description' },
      // Only Wi-Fi devices fail while cabled ones work: most likely the customer's own router (docs/domain.md, "Free help and paid call-outs").
      { id: 'wifiOnly', label: 'collect.devices.wifiOnly', next: 'description', set: { customerSide: 'yes' } },
      { id: 'phoneOnly', label: 'collect.devices.phoneOnly', next: 'description' },
    ],
  },
  description: {
    kind: 'input',
    prompt: 'collect.description',
    field: 'description',
    minLength: 10,
    retry: 'collect.descriptionRetry',
    next: 'summary',
  },
  summary: summaryStep('since'),
  openTicket: { kind: 'openTicket' },
};

/** Builds a checklist flow for one problem. */
export function checklistFlow(spec: ChecklistSpec): FlowDef {
  const afterChecklist = spec.extraStart ?? 'since';
  return {
    id: spec.id,
    version: spec.version,
    category: spec.category,
    title: spec.title,
    start: 'unplug',
    params: { devices: spec.devices, worksNow: spec.worksNow },
    summaryFields: ['checklist', 'afterReplug', 'afterRestart', ...(spec.extraSummary ?? []), 'since', 'lights', 'devices', 'description'],
    steps: {
      unplug: {
        kind: 'choice',
        prompt: 'checklist.unplug',
        field: 'checklist',
        followUp: true,
        choices: [
          { id: 'done', label: 'checklist.unplugDone', match: ['done', 'yes'], next: 'plugBack' },
          { id: 'cannot', label: 'checklist.cannot', match: ['cannot', 'dontKnow'], next: afterChecklist, say: 'collect.intro' },
        ],
      },
      plugBack: {
        kind: 'wait',
        prompt: 'checklist.plugBack',
        minutes: 'waitMinutes',
        then: 'worksNow',
        // Over SMS the timed "does it work now?" would be a billed message of its own: ask it at once.
        sms: { kind: 'choice', prompt: 'checklist.plugBackAsk', field: 'afterReplug', followUp: true, choices: [yes('resolved'), no('restartPc')] },
        choices: [
          { id: 'works', label: 'choice.alreadyWorks', match: ['works'], next: 'resolved', set: { afterReplug: 'yes' } },
          { id: 'ready', label: 'checklist.devicesReady', match: ['ready', 'done'], next: 'worksNow' },
        ],
      },
      worksNow: {
        kind: 'choice',
        prompt: spec.worksNow,
        field: 'afterReplug',
        followUp: true,
        choices: [yes('resolved'), no('restartPc')],
      },
      restartPc: {
        kind: 'choice',
        prompt: 'checklist.restartPc',
        followUp: true,
        // Over SMS "does it work now?" goes with the request to restart (one billed message, not two).
        sms: { kind: 'choice', prompt: 'checklist.restartAsk', field: 'afterRestart', followUp: true, choices: [yes('resolved'), giveUp(afterChecklist)] },
        choices: [
          { id: 'done', label: 'checklist.restartDone', match: ['done', 'yes'], next: 'worksAfterRestart' },
          { id: 'noComputer', label: 'checklist.noComputer', next: 'worksAfterRestart' },
        ],
      },
      worksAfterRestart: {
        kind: 'choice',
        prompt: spec.worksNow,
        field: 'afterRestart',
        followUp: true,
        choices: [yes('resolved'), giveUp(afterChecklist)],
      },
      ...spec.extraSteps,
      ...collectSteps,
      resolved: { kind: 'end', prompt: 'checklist.resolved', outcome: 'resolved_by_customer' },
    },
  };
}
