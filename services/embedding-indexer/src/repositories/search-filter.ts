export interface SearchFilter {
  readonly userId?: number;
  readonly model?: string;
  /** Only this tenant's content (content indexed without a tenant never matches). */
  readonly tenant?: string;
}

/**
 * The VSIM FILTER expression for the given attributes, or undefined for none. Values are checked
 * rather than trusted: the filter language has no escapes, so a string is quoted with whichever
 * quote it does not contain, and one containing both cannot be expressed.
 */
export function filterExpression(filter: SearchFilter): string | undefined {
  const clauses: string[] = [];
  if (filter.userId !== undefined) {
    if (!Number.isSafeInteger(filter.userId))
      throw new RangeError(`userId must be an integer, not ${filter.userId}`);
    clauses.push(`.userId == ${filter.userId}`);
  }
  if (filter.model !== undefined) clauses.push(`.model == ${quoted(filter.model)}`);
  if (filter.tenant !== undefined) clauses.push(`.tenant == ${quoted(filter.tenant)}`);
  return clauses.length === 0 ? undefined : clauses.join(' and ');
}

function quoted(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new RangeError(`a filter value cannot contain both kinds of quote: ${value}`);
}
