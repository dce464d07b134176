import { describe, expect, it } from 'vitest';
import { promqlNames } from './promql-names.js';

describe('promqlNames', () => {
  it('finds metrics, matcher labels and grouping labels', () => {
    const names = promqlNames(
      'histogram_quantile(0.95, sum by (group, le) (rate(genstream_kafka_consumer_batch_duration_seconds_bucket{job=~"a|b", instance!="x{y}"}[5m])))',
    );
    expect(names.metrics).toEqual(['genstream_kafka_consumer_batch_duration_seconds_bucket']);
    expect(names.selectors).toEqual([
      { metric: 'genstream_kafka_consumer_batch_duration_seconds_bucket', labels: ['job', 'instance'] },
    ]);
    expect(names.grouping).toEqual(['group', 'le']);
    expect(names.problems).toEqual([]);
  });

  it('reads bare selectors, binary operators, offsets, numbers and durations', () => {
    const names = promqlNames(
      'sum by (job) (x_total unless x_total offset 10m) > 1e3 and on (job) up == 0 or vector(1) * 0x1f',
    );
    expect(names.metrics).toEqual(['x_total', 'up']);
    expect(names.grouping).toEqual(['job']);
  });

  it('aggregations with the grouping after them, and label_replace strings', () => {
    const names = promqlNames('sum(rate(a_total[1m])) by (route) / ignoring (route) group_left sum(b)');
    expect(names.metrics).toEqual(['a_total', 'b']);
    expect(names.grouping).toEqual(['route']);
    expect(promqlNames('label_replace(up, "dst", "$1", "instance", "(.*):.*")').metrics).toEqual(['up']);
  });

  it('says when a selector names no metric', () => {
    expect(promqlNames('count({__name__=~"genstream_.+"})').problems).toHaveLength(1);
  });
});
