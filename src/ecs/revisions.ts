/**
 * Revision marks: berth tags a task definition revision it saw succeed `berth:healthy-at=<ISO
 * time>`, and one that failed `berth:failed-at=<ISO time>` (the later of the two counts). The tag
 * names live in src/config (the stacks tell terraform to leave these tags alone and may read only
 * the config); this is where the rest of berth reads them.
 */
export { FAILED_TAG, HEALTHY_TAG, ONE_OFF_TAG, TERRAFORM_REVISION_TAG } from '../config/revision-tags.js';
