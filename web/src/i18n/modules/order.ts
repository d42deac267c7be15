/* Messages of the order pages: zh-CN (the original) and en, typed against it. Spread into the
 * dictionaries by ../zh-CN.ts and ../en.ts. */
import type { Shape } from '../shape';

const zh = {};

const en: Shape<typeof zh> = {};

export default { zh, en };
