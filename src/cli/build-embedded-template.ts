/**
 * Run by `npm run build` after `tsc`: writes dist/embedded-template, the migrated database that a
 * first embedded start copies (see platform/db/embedded-template.ts).
 */
import { writeEmbeddedTemplate } from '../platform/db/write-embedded-template.js';

await writeEmbeddedTemplate();
