/** Anything else: describe it, say since when, and a technician takes it over. */
import type { FlowDef } from '../engine/flow.js';
import { sinceStep, summaryStep } from './checklist.js';

export const otherFlow: FlowDef = {
  id: 'other',
  version: 2, // 2: fewer messages over SMS (step variants `sms`)
  category: 'other',
  title: 'problem.other',
  start: 'description',
  summaryFields: ['description', 'since'],
  steps: {
    description: {
      kind: 'input',
      prompt: 'other.describe',
      field: 'description',
      minLength: 10,
      retry: 'collect.descriptionRetry',
      next: 'since',
    },
    since: sinceStep('summary'),
    summary: summaryStep('description'),
    openTicket: { kind: 'openTicket' },
  },
};
