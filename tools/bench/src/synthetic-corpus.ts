// Synthetic content: varied texts with topical structure, reproducible from a seed.

const TOPICS: readonly (readonly string[])[] = [
  'kafka consumer producer partition offset broker topic replication lag throughput retention compaction rebalance commit schema avro serializer idempotent ordering backpressure batch linger acks leader follower cluster stream event segment',
  'postgres index query planner vacuum transaction isolation deadlock lock row table column migration schema replica failover backup restore sequence join aggregate constraint foreign unique btree checkpoint connection pool',
  'redis cache hit miss eviction expiry ttl key invalidation warm cold memory latency stampede lookup hash pipeline shard replica snapshot persistence lru stale freshness',
  'embedding vector similarity cosine neighbor recall precision ranking quantization dimension retrieval semantic relevance dataset training model inference tokenizer prompt context window evaluation benchmark',
  'outage incident alert pager oncall postmortem rollback deploy canary error timeout retry dashboard runbook escalation severity mitigation root cause monitoring uptime degradation status',
  'checkout payment invoice refund order cart shipping customer discount coupon subscription billing card fraud chargeback tax receipt warehouse inventory stock delivery return merchant',
  'campaign newsletter email audience segment conversion funnel landing page headline brand launch announcement social post engagement click subscriber promotion webinar press release',
  'budget forecast revenue quarterly expense margin profit cash flow runway investor board report growth churn cohort pricing cost savings headcount target variance audit',
  'hiring interview candidate onboarding offer recruiter role engineer manager feedback review performance promotion team culture remote office policy benefits training mentor career salary',
  'mobile android ios app release feature roadmap interface design prototype beta store rating crash battery notification screen gesture accessibility tutorial settings',
  'travel flight hotel booking itinerary airport train station luggage passport visa museum beach mountain tour guide reservation layover ticket journey city map',
  'recipe flour sugar butter oven bake dough bread cake chocolate vanilla egg milk whisk simmer garlic onion tomato sauce pasta salad roast spice lemon dinner',
  'garden soil compost seed seedling tomato pepper basil water sunlight prune harvest mulch weed fertilizer greenhouse bloom flower shrub tree bed pest spring',
  'workout running strength stretch recovery sleep nutrition protein hydration heart rate training marathon cycling swim injury physio posture mindfulness stress steps',
  'contract clause agreement liability privacy gdpr consent retention policy audit compliance vendor license terms warranty indemnity breach notice regulator',
  'weather forecast rain storm wind temperature humidity heatwave snow frost drought flood climate emissions solar turbine energy grid carbon season',
].map((words) => words.split(' '));

const GENERAL = (
  'important update team customer week month today next plan result summary detail note question answer request ' +
  'issue improve change review share help support new simple clear short friendly quick detailed overview main ' +
  'first final better faster easier people project goal idea option step process time day year example version ' +
  'good great small large early late open close keep start finish check follow explain describe write list'
).split(' ');

const STOP = 'the a and of to in for with on is that this it our your we you are be as at by from'.split(' ');

const TITLES = [
  'summary',
  'notes',
  'update',
  'guide',
  'checklist',
  'overview',
  'announcement',
  'plan',
  'review',
  'draft',
];

/**
 * Texts with the shape of generated content: a primary topic (sometimes a second one), 2-5
 * sentences of 6-14 words, topic words Zipf-like (a few frequent, many rare), general and stop
 * words mixed in. Seeded (mulberry32): the same seed gives the same texts.
 */
export class SyntheticCorpus {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Standard normal (Box-Muller). */
  gaussian(): number {
    const u = 1 - this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)]!;
  }

  /** A title such as "Partition rebalance checklist". */
  title(topic = this.topic()): string {
    const words = [this.topicWord(topic), this.topicWord(topic), this.pick(TITLES)];
    return words.map((word, i) => (i === 0 ? capitalize(word) : word)).join(' ');
  }

  /** Sentences about one topic, sometimes drifting to a second. */
  text(minSentences = 2, maxSentences = 5, topic = this.topic()): string {
    const second = this.random() < 0.25 ? this.topic() : undefined;
    const sentences: string[] = [];
    for (let s = this.int(minSentences, maxSentences); s > 0; s--) {
      const words: string[] = [];
      for (let w = this.int(6, 14); w > 0; w--) {
        const roll = this.random();
        if (roll < 0.5) words.push(this.topicWord(topic));
        else if (roll < 0.62 && second !== undefined) words.push(this.topicWord(second));
        else if (roll < 0.82) words.push(this.pick(GENERAL));
        else words.push(this.pick(STOP));
      }
      sentences.push(`${capitalize(words.join(' '))}.`);
    }
    return sentences.join(' ');
  }

  topic(): number {
    return Math.floor(this.random() * TOPICS.length);
  }

  private topicWord(topic: number): string {
    const words = TOPICS[topic]!;
    // u² skews towards the first words of the list: a few frequent words, a long tail of rare ones.
    const u = this.random();
    return words[Math.floor(u * u * words.length)]!;
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
