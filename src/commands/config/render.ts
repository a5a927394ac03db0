import type { Column } from '../../io/output.js';

export interface SettingRow {
  key: string;
  value: string;
  description: string;
}

export const settingColumns: Column<SettingRow>[] = [
  { header: 'KEY', cell: (r) => r.key },
  { header: 'VALUE', cell: (r) => r.value },
  { header: 'MEANING', cell: (r) => r.description },
];

/** The --json shape of `config get` and `config set`. */
export const settingJson = (key: string, value: string) => ({ key, value });
