/** `npm run schema`: regenerate schemas/calisti.schema.json from the zod model. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../toolkit.js';
import { fleetJsonSchema } from './json-schema.js';

writeFileSync(join(schemasDir, 'calisti.schema.json'), fleetJsonSchema());
