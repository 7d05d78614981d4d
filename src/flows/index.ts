/** The registry of flows. Adding a checklist means adding a file and one line here. */
import type { FlowDef } from '../engine/flow.js';
import { internetFlow } from './internet.js';
import { mainFlow } from './main.js';
import { otherFlow } from './other.js';
import { voipFlow } from './voip.js';
import { wifiFlow } from './wifi.js';

export const flows: Readonly<Record<string, FlowDef>> = {
  main: mainFlow,
  internet: internetFlow,
  voip: voipFlow,
  wifi: wifiFlow,
  other: otherFlow,
};
