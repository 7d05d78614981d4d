/** Internet does not work: the restart checklist for the connection. */
import { checklistFlow } from './checklist.js';

export const internetFlow = checklistFlow({
  id: 'internet',
  version: 2, // 2: fewer messages over SMS (step variants `sms`)
  category: 'internet',
  title: 'problem.internet',
  devices: 'devices.internet',
  worksNow: 'internet.worksNow',
});
