/** The console's dashboard texts (Czech master, Slovak, English); texts.ts joins them with the rest. */
export const cs = {} as const;

export const sk: Record<keyof typeof cs, string> = {};

export const en: Record<keyof typeof cs, string> = {};
