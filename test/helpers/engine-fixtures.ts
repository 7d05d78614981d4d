/**
 * What the pure engine's tests share: the built-in flows, the engine settings a test provider
 * runs with, and a known customer.
 */
import { builtInFlows } from '../../src/config/flows.js';
import type { CustomerView, EngineSettings } from '../../src/engine/types.js';

export const flows = builtInFlows();

export const SETTINGS: EngineSettings = {
  waitMinutes: 3,
  followUpMinutes: 30,
  maxFollowUps: 1,
  maxIdTries: 3,
  helpdeskPhone: '+420 377 000 000',
  companyName: 'Test ISP',
  teamLanguage: 'cs',
  shortSms: true,
};

/** Jan Novák, a PLUS customer in Bory. */
export const jan: CustomerView = { id: 'c1', name: 'Jan Novák', contractNumber: '2024-0153', language: 'cs', tier: 'PLUS', area: 'Bory' };
