/** Says once, at the start of a run, which upstream data is missing and so which tests skip. */
import { conformanceDir, hasConformance, hasDocs, NO_CONFORMANCE, NO_DOCS } from './upstream.js';

export default function announce(): void {
  if (hasConformance) console.log(`conformance data: ${conformanceDir}`);
  else console.log(`skipping the tests that ${NO_CONFORMANCE.replace(/^needs/, 'need')}`);
  if (!hasDocs) console.log(`skipping the tests that ${NO_DOCS.replace(/^needs/, 'need')}`);
}
