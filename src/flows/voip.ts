/** The VoIP phone does not work: the same checklist, with the VoIP gateway named and a test call. */
import { checklistFlow } from './checklist.js';

export const voipFlow = checklistFlow({
  id: 'voip',
  version: 2, // 2: fewer messages over SMS (step variants `sms`)
  category: 'voip',
  title: 'problem.voip',
  devices: 'devices.voip',
  worksNow: 'voip.worksNow',
});
