import { DEAD_LETTER_HEADERS, DEAD_LETTER_HEADER_DOCS } from '../dead-letter-headers.js';
import type { EventName } from '../generated/events.js';
import { groupVersions, type SchemaFile } from '../schema-files.js';
import { TOPICS, deadLetterTopic } from '../topics.js';
import { EVENT_FLOW } from './event-flow.js';

// The AsyncAPI 3.0 document of the event contract, built from schemas/*.avsc, TOPICS, EVENT_FLOW
// and the dead-letter headers, so it says what the code does. Written by `npm run codegen`.

type Json = Record<string, unknown>;

export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro;version=1.9.0';
const BINDING_VERSION = '0.5.0';
const ref = (pointer: string) => ({ $ref: pointer });
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const camel = (service: string) => lowerFirst(service.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));

const DESCRIPTION = `Every topic and event of genstream (\`../shared/DESIGN.md\`, section 2), generated from
\`schemas/*.avsc\` by \`npm run codegen\`; do not edit.

- **Keys**: every record's key is the event's \`requestId\` (UTF-8), so one request's events keep
  their order within a partition. Every writer is idempotent by key: delivery is at least once.
- **Values**: by default the Avro single-object encoding (\`C3 01\`, the 8-byte little-endian
  CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form, then the Avro binary
  body); with a schema registry configured, the Confluent framing (\`00\`, the 4-byte big-endian
  schema id, then the body), the schema registered under \`<topic>-value\`. Readers accept both and
  resolve any earlier version of a schema to the newest (every version is backward compatible).
- **Topic prefix**: a deployment may set \`TOPIC_PREFIX\`, which goes before every address here.
- **Dead letters**: a record a consumer can never process goes to \`<topic>.dlq\`, byte for byte,
  with the \`genstream.dlq.*\` headers saying why (\`schemas/DEAD_LETTERS.md\`).`;

/** The document, as plain data (the caller serializes it). */
export function asyncApiDocument(files: readonly SchemaFile[]): Json {
  const versions = groupVersions(files);
  const events = (Object.keys(TOPICS) as EventName[]).map((name) => {
    const found = versions.get(name);
    if (!found) throw new Error(`schemas/ has no ${name}.v1.avsc, yet TOPICS names it`);
    return { name, versions: found };
  });
  return {
    asyncapi: '3.0.0',
    info: { title: 'genstream events', version: '1', description: DESCRIPTION },
    defaultContentType: 'avro/binary',
    servers: {
      local: {
        host: '127.0.0.1:39092',
        protocol: 'kafka',
        description: 'The local stack (`npm run stack:up`); services read their brokers from KAFKA_BROKERS.',
      },
    },
    channels: Object.fromEntries(events.flatMap((event) => channelsOf(event.name, event.versions))),
    operations: Object.fromEntries(events.flatMap((event) => operationsOf(event.name, event.versions))),
    components: {
      messages: {
        ...Object.fromEntries(events.flatMap((event) => event.versions.map(eventMessage))),
        DeadLetter: deadLetterMessage(),
      },
    },
  };
}

const messageId = (file: SchemaFile) => `${file.name}V${file.version}`;
const channelId = (name: EventName) => lowerFirst(name);
const deadLetterChannelId = (name: EventName) => `${lowerFirst(name)}DeadLetters`;

function channelsOf(name: EventName, versions: readonly SchemaFile[]): [string, Json][] {
  const flow = EVENT_FLOW[name];
  const consumers = flow.receivedBy.length > 0 ? flow.receivedBy.join(', ') : 'no genstream service';
  return [
    [
      channelId(name),
      {
        address: TOPICS[name],
        title: name,
        description: `${name} events, every version. Sent by ${flow.sentBy.join(', ')}; consumed by ${consumers}.${flow.outside ? ` ${flow.outside}` : ''}`,
        messages: Object.fromEntries(
          versions.map((file) => [messageId(file), ref(`#/components/messages/${messageId(file)}`)]),
        ),
      },
    ],
    [
      deadLetterChannelId(name),
      {
        address: deadLetterTopic(TOPICS[name]),
        title: `${name} dead letters`,
        description: `Records of ${TOPICS[name]} that a consumer could never process, as they were, with the reason in the headers.`,
        messages: { DeadLetter: ref('#/components/messages/DeadLetter') },
      },
    ],
  ];
}

function operationsOf(name: EventName, versions: readonly SchemaFile[]): [string, Json][] {
  const flow = EVENT_FLOW[name];
  const channel = `#/channels/${channelId(name)}`;
  const newest = versions[versions.length - 1]!;
  const every = versions.map((file) => ref(`${channel}/messages/${messageId(file)}`));
  const operation = (action: 'send' | 'receive', service: string, summary: string, messages: Json[]) => [
    `${camel(service)}${action === 'send' ? 'Sends' : 'Receives'}${name}`,
    { action, channel: ref(channel), summary, messages, tags: [{ name: service }] },
  ];
  const deadLetters = `#/channels/${deadLetterChannelId(name)}`;
  return [
    ...flow.sentBy.map((service) =>
      operation('send', service, `${service} publishes ${name} (v${newest.version})`, [
        ref(`${channel}/messages/${messageId(newest)}`),
      ]),
    ),
    ...flow.receivedBy.flatMap((service) => [
      operation('receive', service, `${service} consumes ${name}, every version`, every),
      [
        `${camel(service)}SendsDeadLetterOf${name}`,
        {
          action: 'send',
          channel: ref(deadLetters),
          summary: `${service} dead-letters the ${name} records it can never process`,
          messages: [ref(`${deadLetters}/messages/DeadLetter`)],
          tags: [{ name: service }],
        },
      ],
    ]),
  ] as [string, Json][];
}

function eventMessage(file: SchemaFile): [string, Json] {
  return [
    messageId(file),
    {
      name: file.name,
      title: `${file.name} v${file.version}`,
      summary: typeof file.schema.doc === 'string' ? file.schema.doc : undefined,
      contentType: 'avro/binary',
      payload: { schemaFormat: AVRO_SCHEMA_FORMAT, schema: file.schema },
      bindings: {
        kafka: { key: requestIdKey(), schemaIdLocation: 'payload', bindingVersion: BINDING_VERSION },
      },
    },
  ];
}

function deadLetterMessage(): Json {
  const entries = Object.entries(DEAD_LETTER_HEADERS) as [keyof typeof DEAD_LETTER_HEADERS, string][];
  return {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'The original record, key, value and headers byte for byte, so it can be replayed as it was.',
    contentType: 'application/octet-stream',
    headers: {
      type: 'object',
      description: 'Every original header unchanged, plus these (UTF-8 text).',
      required: entries.filter(([key]) => !DEAD_LETTER_HEADER_DOCS[key].optional).map(([, header]) => header),
      properties: Object.fromEntries(
        entries.map(([key, header]) => [
          header,
          { type: 'string', description: DEAD_LETTER_HEADER_DOCS[key].doc },
        ]),
      ),
      additionalProperties: { type: 'string' },
    },
    payload: {
      type: 'string',
      format: 'binary',
      description:
        'The original value, still in its wire format (single-object encoding or Confluent framing).',
    },
    bindings: { kafka: { key: requestIdKey(), bindingVersion: BINDING_VERSION } },
  };
}

function requestIdKey(): Json {
  return { type: 'string', format: 'uuid', description: "The event's requestId." };
}
