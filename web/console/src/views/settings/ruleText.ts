import type { Condition, ConditionField, UrlOp } from '../../api/types';

export const URL_OPS: { value: UrlOp; label: string }[] = [
  { value: 'equals', label: 'equals' },
  { value: 'contains', label: 'contains' },
  { value: 'starts_with', label: 'starts with' },
  { value: 'wildcard', label: 'wildcard' },
];

export const FIELDS: { value: ConditionField; label: string }[] = [
  { value: 'url', label: 'Page URL' },
  { value: 'title', label: 'Page title' },
  { value: 'referrer', label: 'Referrer' },
];

export function opLabel(op: UrlOp): string {
  return URL_OPS.find((o) => o.value === op)?.label ?? op;
}

export function conditionText(c: Condition): string {
  const field = FIELDS.find((f) => f.value === c.field)?.label ?? c.field;
  return `${field} ${opLabel(c.op)} “${c.value}”`;
}
