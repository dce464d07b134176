import { resolve } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import house from './house-rules.mjs';

// RuleTester reports through the test framework's hooks; vitest's are these.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ROOT = resolve(import.meta.dirname, '../../..');
const at = (path: string) => resolve(ROOT, path);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });

tester.run('layered-imports', house.rules['layered-imports']!, {
  valid: [
    { filename: at('libs/kafka/src/a.ts'), code: "import { x } from '@genstream/errors';" },
    { filename: at('services/generation/src/a.ts'), code: "import { x } from '@genstream/cache';" },
    { filename: at('services/generation/src/a.ts'), code: "import { x } from '@genstream/generation';" },
    { filename: at('tools/bench/src/a.ts'), code: "import { x } from '@genstream/metadata-writer';" },
    { filename: at('libs/kafka/test/a.int.test.ts'), code: "import { x } from '@genstream/testing';" },
    {
      filename: at('services/cache-updater/src/a.test.ts'),
      code: "import { x } from '@genstream/service-testing';",
    },
  ],
  invalid: [
    {
      filename: at('libs/kafka/src/a.ts'),
      code: "import { x } from '@genstream/stack';",
      errors: [{ messageId: 'tooling' }],
    },
    {
      filename: at('libs/service/src/a.ts'),
      code: "export { x } from '@genstream/testing';",
      errors: [{ messageId: 'tooling' }],
    },
    {
      filename: at('libs/cache/src/a.ts'),
      code: "const m = import('@genstream/generation');",
      errors: [{ messageId: 'service' }],
    },
    {
      filename: at('services/generation/src/a.ts'),
      code: "import { x } from '@genstream/metadata-writer';",
      errors: [{ messageId: 'service' }],
    },
    {
      filename: at('services/generation/test/a.int.test.ts'),
      code: "import { x } from '@genstream/launcher';",
      errors: [{ messageId: 'tooling' }],
    },
  ],
});

tester.run('no-relative-across-workspaces', house.rules['no-relative-across-workspaces']!, {
  valid: [
    { filename: at('services/generation/src/handlers/a.ts'), code: "import { x } from '../services/b.js';" },
    { filename: at('libs/kafka/test/a.ts'), code: "import { x } from '../src/index.js';" },
    { filename: at('tools/bench/src/a.ts'), code: "import { x } from '@genstream/launcher';" },
  ],
  invalid: [
    {
      filename: at('tools/faults/src/a.test.ts'),
      code: "import { x } from '../../../services/generation/src/http/body.js';",
      errors: [{ messageId: 'crosses' }],
    },
    {
      filename: at('libs/kafka/src/a.ts'),
      code: "export * from '../../events/src/index.js';",
      errors: [{ messageId: 'crosses' }],
    },
  ],
});

tester.run('service-layers', house.rules['service-layers']!, {
  valid: [
    { filename: at('services/generation/src/handlers/a.ts'), code: "import { x } from '../services/b.js';" },
    {
      filename: at('services/generation/src/services/a.ts'),
      code: "import { x } from '../repositories/b.js';",
    },
    {
      filename: at('services/generation/src/repositories/a.ts'),
      code: "import type { Port } from '../services/b.js';",
    },
    {
      filename: at('services/generation/src/services/a.test.ts'),
      code: "import { x } from '../handlers/b.js';",
    },
  ],
  invalid: [
    {
      filename: at('services/generation/src/services/a.ts'),
      code: "import { parse } from '../handlers/body.js';",
      errors: [{ messageId: 'up' }],
    },
    {
      filename: at('services/metadata-writer/src/repositories/a.ts'),
      code: "export { x } from '../handlers/b.js';",
      errors: [{ messageId: 'up' }],
    },
    {
      filename: at('services/generation/src/repositories/a.ts'),
      code: "import { Service } from '../services/b.js';",
      errors: [{ messageId: 'up' }],
    },
  ],
});
