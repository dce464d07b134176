// What a PromQL expression refers to, without a parser: its metric names, the labels its selectors
// match on and the labels it groups or matches by. promtool checks the syntax (it refuses what this
// reads wrong); this tells which names the expression needs a metric to have.

export interface PromqlNames {
  /** Metric names of its selectors, in order of appearance (repeats removed). */
  readonly metrics: string[];
  /** For each selector: its metric and the label names its matchers use. */
  readonly selectors: { readonly metric: string; readonly labels: string[] }[];
  /** Label names of by/without/on/ignoring/group_left/group_right lists. */
  readonly grouping: string[];
  /** Selectors it could not name a metric for (`{__name__=~"..."}`, `{job="x"}`). */
  readonly problems: string[];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'start',
  'end',
]);
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

export function promqlNames(expression: string): PromqlNames {
  // Strings first (a matcher's value may hold any character), then comments.
  let text = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/#[^\n]*/g, ' ');
  const grouping: string[] = [];
  text = text.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)/g,
    (_, list: string) => {
      grouping.push(
        ...list
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );
  const selectors: { metric: string; labels: string[] }[] = [];
  const problems: string[] = [];
  const metrics: string[] = [];
  text = text.replace(
    /([a-zA-Z_:][a-zA-Z0-9_:]*)?(\s*)\{([^{}]*)\}/g,
    (_, name: string | undefined, __, body: string) => {
      const labels = [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
      if (name === undefined || KEYWORDS.has(name)) {
        problems.push(`a selector without a metric name: {${body.trim()}}`);
        return ` ${name ?? ''} `;
      }
      selectors.push({ metric: name, labels });
      metrics.push(name);
      return ' ';
    },
  );
  // Ranges, subqueries and @ modifiers hold durations and numbers only.
  text = text.replace(/\[[^\]]*\]/g, ' ');
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (/[0-9.]/.test(c)) {
      // A number or duration (1e3, 0x1f, 5m, 1h30m): skip the whole token.
      const end = /[0-9a-zA-Z_.]*/y;
      end.lastIndex = i;
      end.exec(text);
      i = end.lastIndex;
      continue;
    }
    IDENTIFIER.lastIndex = i;
    const match = IDENTIFIER.exec(text);
    if (!match) {
      i += 1;
      continue;
    }
    i = IDENTIFIER.lastIndex;
    const name = match[0];
    const next = /\s*(.)/y;
    next.lastIndex = i;
    const following = next.exec(text)?.[1];
    if (following === '(' || KEYWORDS.has(name.toLowerCase())) continue; // a function or an aggregation
    selectors.push({ metric: name, labels: [] });
    metrics.push(name);
  }
  return { metrics: [...new Set(metrics)], selectors, grouping: [...new Set(grouping)], problems };
}
