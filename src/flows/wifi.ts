/**
 * Home Wi-Fi does not work. After the checklist, one extra question: does a computer
 * on a cable work? If it does, the fault is most likely the customer's own Wi-Fi
 * router (a paid call-out: docs/domain.md, "Free help and paid call-outs"), and the ticket says so.
 */
import { checklistFlow } from './checklist.js';

export const wifiFlow = checklistFlow({
  id: 'wifi',
  version: 2, // 2: fewer messages over SMS (step variants `sms`)
  category: 'wifi',
  title: 'problem.wifi',
  devices: 'devices.wifi',
  worksNow: 'wifi.worksNow',
  extraStart: 'cableWorks',
  extraSummary: ['cableWorks'],
  extraSteps: {
    cableWorks: {
      kind: 'choice',
      prompt: 'wifi.cableWorks',
      field: 'cableWorks',
      choices: [
        { id: 'yes', label: 'wifi.cableYes', match: ['yes', 'works'], next: 'since', set: { customerSide: 'yes' } },
        { id: 'no', label: 'wifi.cableNo', match: ['no', 'notWorks'], next: 'since' },
        { id: 'noCable', label: 'wifi.noCable', match: ['dontKnow'], next: 'since' },
      ],
    },
  },
});
