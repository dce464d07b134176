import { randomInt } from 'node:crypto';

export interface DemoRequest {
  readonly user: string;
  readonly userId: number;
  readonly title: string;
  readonly prompt: string;
  readonly model: 'local';
}

const REQUESTS: readonly Omit<DemoRequest, 'userId' | 'model'>[] = [
  {
    user: 'Ada (customer success)',
    title: 'Welcome email for new customers',
    prompt:
      'Write a welcome email for customers who just signed up for our project planning app. ' +
      'Mention that they can import their tasks from a spreadsheet in one click. ' +
      'Point them to the getting-started guide and to the weekly live questions-and-answers session. ' +
      'Keep it under 150 words and sign it from the customer success team.',
  },
  {
    user: 'Bruno (site reliability)',
    title: 'Checkout incident summary for the status page',
    prompt:
      'Summarize this incident for our public status page. ' +
      'Between 09:12 and 09:47 UTC, checkout requests in the European region failed intermittently. ' +
      'The cause was an expired TLS certificate on an internal payment gateway. ' +
      'Engineers rotated the certificate and added an alert that fires thirty days before expiry. ' +
      'No card data was exposed and no payment was charged twice.',
  },
  {
    user: 'Chiara (e-commerce)',
    title: 'Product description of a trail running shoe',
    prompt:
      'Write a product description for a lightweight trail running shoe. ' +
      'The outsole has deep lugs that grip on wet rock and loose gravel. ' +
      'The upper is made of recycled mesh that drains water quickly after river crossings. ' +
      'It weighs 260 grams in size 42 and comes in three widths.',
  },
  {
    user: 'Dmitri (sales operations)',
    title: 'Weekly sales digest for the leadership team',
    prompt:
      'Turn these numbers into a short weekly sales digest for the leadership team. ' +
      'New bookings reached 1.8 million euros, twelve percent above the weekly target. ' +
      'The enterprise segment closed four deals, two of them with logistics companies in Poland. ' +
      'Churn stayed flat at 1.1 percent, while the average deal cycle shortened by six days.',
  },
  {
    user: 'Eun-ji (food blog)',
    title: 'Introduction to a red lentil soup recipe',
    prompt:
      'Write a warm introduction for a red lentil soup recipe on a food blog. ' +
      'The soup is ready in thirty minutes and needs only one pot. ' +
      'Cumin, smoked paprika and a squeeze of lemon give it depth without any cream. ' +
      'It keeps for four days in the fridge and freezes well for busy weeks.',
  },
];

/**
 * The demo's requests, with user ids new on every run: the response cache is scoped to the user,
 * so a second demo run would otherwise find every answer already cached by the first.
 */
export function demoRequests(): DemoRequest[] {
  const base = randomInt(100_000, 900_000) * 10;
  return REQUESTS.map((request, i) => ({ ...request, userId: base + i + 1, model: 'local' }));
}
