export { recordOf, type RecordPlace } from './consumed-records.js';
