export { formatRatio, formatSpread, latencyPercentiles, percentile, spreadOf, type Spread } from './stats.js';
